package io.sluice.control.top;

import io.sluice.control.cnc.BgpState;

/**
 * One screen's worth of rates: the forwarder's and the L7 proxy's, each present only when top
 * reads it.
 *
 * @param forwarder  which forwarder, e.g. {@code "/run/sluice (pid 4242)"}; null when top reads none.
 * @param forwarderRates its rates; null with {@code forwarder}.
 * @param l7Rates    the L7 proxy's rates; null when top reads none, or this time could not ({@code l7Error}).
 * @param l7Error    why the L7 admin endpoint could not be read this time; null when it was, or is not read.
 * @param takenAtMs  the wall-clock time of the later sample.
 * @param bgp        the forwarder's announcements and BGP sessions at the later sample; {@link BgpState#NONE}
 *                   without BGP or without a forwarder.
 */
public record TopSnapshot(String forwarder, ForwarderRates forwarderRates, L7Rates l7Rates, String l7Error, long takenAtMs,
    BgpState bgp)
{
}
