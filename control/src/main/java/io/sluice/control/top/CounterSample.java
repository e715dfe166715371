package io.sluice.control.top;

import org.agrona.concurrent.status.CountersReader;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every allocated counter of a forwarder at one moment, one entry per counter (not summed by
 * label as {@code sluice stats} does): the AF_XDP sockets' counters share their labels and are
 * told apart only by their key's socket index, and top shows them per socket. Read from the
 * control file's counters, so taking one sends nothing to the forwarder.
 *
 * @param counters  in the order they were allocated.
 * @param takenAtNs when, on the caller's clock; rates divide by the difference of two.
 */
public record CounterSample(List<Counter> counters, long takenAtNs)
{
    /**
     * One counter.
     *
     * @param typeId      {@link io.sluice.forwarder.counters.CounterTypes}.
     * @param workerIndex key offset 0: the worker, the AF_XDP socket, or -1 for the conductor.
     * @param detail      key offset 4: a drop reason code, a VIP or real id, a socket statistic.
     * @param label       e.g. {@code "real 198.18.1.1:80/tcp 198.18.0.11 packets"}.
     * @param value       its value now.
     */
    public record Counter(int typeId, int workerIndex, int detail, String label, long value)
    {
    }

    public CounterSample
    {
        counters = List.copyOf(counters);
    }

    public static CounterSample read(final CountersReader reader, final long nowNs)
    {
        final List<Counter> counters = new ArrayList<>();
        reader.forEach((counterId, typeId, keyBuffer, label) -> counters.add(
            new Counter(typeId, keyBuffer.getInt(0), keyBuffer.getInt(4), label, reader.getCounterValue(counterId))));
        return new CounterSample(Collections.unmodifiableList(counters), nowNs);
    }
}
