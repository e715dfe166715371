package io.sluice.l7.dns;

import java.net.InetAddress;
import java.util.List;

/**
 * What one lookup of a name gave: its addresses and how long they may be kept, or why there are none.
 *
 * @param addresses  A then AAAA addresses, each sorted by its bytes (so an answer in another order is the same one);
 *                   empty on failure.
 * @param ttlSeconds the least TTL of the records; 0 on failure.
 * @param failure    why the lookup failed ({@code timed out}, {@code NXDOMAIN}, {@code no A or AAAA records}), or null.
 */
record Answer(List<InetAddress> addresses, long ttlSeconds, String failure)
{
    Answer
    {
        addresses = List.copyOf(addresses);
    }

    static Answer failed(final String why)
    {
        return new Answer(List.of(), 0, why);
    }

    boolean succeeded()
    {
        return failure == null;
    }
}
