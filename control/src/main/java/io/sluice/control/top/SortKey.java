package io.sluice.control.top;

import java.util.Comparator;
import java.util.List;

/**
 * The orders top shows rows in, each chosen by one key: the busiest first by packets (requests at
 * L7) or by bytes, or by name. Ties fall back to the name, so rows with equal rates (idle ones)
 * keep still between refreshes instead of swapping places.
 */
public enum SortKey
{
    PACKETS('p', "packets", Comparator.comparingDouble(Sortable::countPerS).reversed()),
    BYTES('b', "bytes", Comparator.comparingDouble(Sortable::bytesPerS).reversed()),
    NAME('n', "name", (a, b) -> 0);

    private final char key;
    private final String label;
    private final Comparator<Sortable> order;

    SortKey(final char key, final String label, final Comparator<Sortable> first)
    {
        this.key = key;
        this.label = label;
        this.order = first.thenComparing(Sortable::name);
    }

    /** The key that selects it on the live screen. */
    public char key()
    {
        return key;
    }

    public String label()
    {
        return label;
    }

    /** @return the sort key for a key typed, or null when the key selects none. */
    public static SortKey ofKey(final int typed)
    {
        for (final SortKey sort : values())
        {
            if (sort.key == typed)
            {
                return sort;
            }
        }
        return null;
    }

    /** @return a sorted copy of {@code rows}. */
    public <T extends Sortable> List<T> sorted(final List<T> rows)
    {
        return rows.stream().sorted(order).toList();
    }
}
