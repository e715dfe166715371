package io.sluice.control.cnc;

import org.agrona.concurrent.status.CountersReader;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The forwarder's counters at one moment, each label summed over the workers that own a copy
 * of it (a VIP has one counter per worker, all with the same label). Read straight from the
 * control file: taking a snapshot sends nothing to the forwarder and cannot slow it down.
 */
public final class CounterSnapshot
{
    /**
     * One label's total.
     *
     * @param typeId      the counters' type id ({@link io.sluice.forwarder.counters.CounterTypes}).
     * @param label       e.g. {@code "vip 198.18.1.1:80/tcp packets"}.
     * @param workerIndex key offset 0 of the first counter with this label (meaningful for
     *                    per-worker counters, whose labels name the worker).
     * @param detail      key offset 4 of the first counter with this label (e.g. a drop reason code).
     * @param value       the sum over all counters with this type and label.
     */
    public record Entry(int typeId, String label, int workerIndex, int detail, long value)
    {
    }

    private final List<Entry> entries;
    private final long takenAtNs;

    private CounterSnapshot(final List<Entry> entries, final long takenAtNs)
    {
        this.entries = entries;
        this.takenAtNs = takenAtNs;
    }

    /** Sums every allocated counter by (type id, label), in the order they were first allocated. */
    public static CounterSnapshot read(final CountersReader counters, final long nowNs)
    {
        final Map<String, long[]> sums = new LinkedHashMap<>();
        final Map<String, Entry> first = new LinkedHashMap<>();
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            final String key = typeId + " " + label;
            final long value = counters.getCounterValue(counterId);
            final long[] sum = sums.get(key);
            if (sum == null)
            {
                sums.put(key, new long[]{ value });
                first.put(key, new Entry(typeId, label, keyBuffer.getInt(0), keyBuffer.getInt(4), 0));
            }
            else
            {
                sum[0] += value;
            }
        });
        final List<Entry> entries = new ArrayList<>(first.size());
        for (final Map.Entry<String, Entry> entry : first.entrySet())
        {
            final Entry e = entry.getValue();
            entries.add(new Entry(e.typeId(), e.label(), e.workerIndex(), e.detail(), sums.get(entry.getKey())[0]));
        }
        return new CounterSnapshot(Collections.unmodifiableList(entries), nowNs);
    }

    public List<Entry> entries()
    {
        return entries;
    }

    /** When it was taken, on the clock the caller passed; rates divide deltas by the difference. */
    public long takenAtNs()
    {
        return takenAtNs;
    }

    /** @return the total for this type and label, or 0 when no such counter exists. */
    public long value(final int typeId, final String label)
    {
        for (final Entry entry : entries)
        {
            if (entry.typeId() == typeId && entry.label().equals(label))
            {
                return entry.value();
            }
        }
        return 0;
    }

    /**
     * @return what changed since {@code earlier}: per label the difference (a counter that is new
     *         counts from 0), taken at this snapshot's time; for rates.
     */
    public CounterSnapshot minus(final CounterSnapshot earlier)
    {
        final List<Entry> deltas = new ArrayList<>(entries.size());
        for (final Entry entry : entries)
        {
            final long before = earlier.value(entry.typeId(), entry.label());
            deltas.add(new Entry(entry.typeId(), entry.label(), entry.workerIndex(), entry.detail(),
                Math.max(0, entry.value() - before)));
        }
        return new CounterSnapshot(Collections.unmodifiableList(deltas), takenAtNs);
    }
}
