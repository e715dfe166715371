package io.sluice.control.top;

/** A row that {@link SortKey} can order: a name, a count per second (packets, requests) and bytes per second. */
public interface Sortable
{
    String name();

    double countPerS();

    double bytesPerS();
}
