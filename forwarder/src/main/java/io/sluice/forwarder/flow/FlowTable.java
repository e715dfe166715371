package io.sluice.forwarder.flow;

import org.agrona.concurrent.UnsafeBuffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A worker's memory of which real each flow goes to: a fixed-capacity, off-heap hash table with
 * bucketed open addressing. Single-threaded: only the owning worker calls it.
 *
 * <p>A lookup hashes to one bucket of {@link #ENTRIES_PER_BUCKET} entries, two cache lines, and
 * scans only that bucket, so its cost does not grow with the number of flows. When a bucket is
 * full the entry nearest to expiry gives way: losing a flow's memory only matters if the Maglev
 * table changed since the flow started, which is the rare case consistent hashing is for.
 *
 * <p>Layout, {@link #ENTRY_LENGTH} bytes per entry, native byte order:
 * <pre>
 *   0  key0          long
 *   8  key1          long
 *  16  ~value        long  (stored complemented: zeroed memory reads as MISSING = empty slot)
 *  24  expiresAtNs   long
 * </pre>
 * Storing the complement of the value makes the all-zero entry the empty one without reserving
 * any key, so a key of all zeros is an ordinary key. Each entry keeps its deadline rather than
 * the time it was last seen so that flows with different idle timeouts (TCP and UDP) share one
 * table and each expires on its own timeout; for flows with equal timeouts "nearest to expiry"
 * is exactly "least recently seen". Times are compared by subtraction, so a clock that wraps or
 * starts negative ({@code System.nanoTime()}) is fine.
 *
 * <p>Memory comes from a shared {@link Arena} (a worker may be made on one thread, run on
 * another and closed on a third); {@link #close()} frees it and must only be called once the
 * worker has stopped.
 */
public final class FlowTable implements AutoCloseable
{
    /** What {@link #lookup} returns when there is no live entry; also the one value that cannot be stored. */
    public static final long MISSING = -1L;
    public static final int ENTRIES_PER_BUCKET = 4;
    public static final int ENTRY_LENGTH = 32;
    public static final int BUCKET_LENGTH = ENTRIES_PER_BUCKET * ENTRY_LENGTH;
    /** 2^25 entries, 1 GiB: the most one int-addressed buffer holds. */
    public static final int MAX_CAPACITY = 1 << 25;

    private static final int KEY0_OFFSET = 0;
    private static final int KEY1_OFFSET = 8;
    private static final int VALUE_OFFSET = 16;
    private static final int EXPIRES_AT_OFFSET = 24;
    private static final long EMPTY = 0L;
    private static final int CACHE_LINE = 64;

    private final Arena arena;
    private final UnsafeBuffer memory;
    private final int capacity;
    private final int bucketMask;
    private boolean closed;

    /**
     * @param capacity entries, a power of two from {@link #ENTRIES_PER_BUCKET} to {@link #MAX_CAPACITY}.
     * @throws IllegalArgumentException naming the capacity when it is not one of those.
     */
    public FlowTable(final int capacity)
    {
        if (capacity < ENTRIES_PER_BUCKET || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException(
                "flow table capacity " + capacity + " is not a power of two from " + ENTRIES_PER_BUCKET + " to " + MAX_CAPACITY);
        }
        this.capacity = capacity;
        this.bucketMask = capacity / ENTRIES_PER_BUCKET - 1;
        this.arena = Arena.ofShared();
        final long bytes = (long)capacity * ENTRY_LENGTH;
        // Zeroed: every entry empty. Aligned to a bucket, so a bucket is one aligned pair of cache
        // lines, the unit the CPU's adjacent-line prefetcher fetches together.
        final MemorySegment segment = arena.allocate(bytes, BUCKET_LENGTH);
        this.memory = new UnsafeBuffer(segment.address(), (int)bytes);
    }

    /**
     * Finds a live flow and pushes its deadline to {@code nowNs + idleTimeoutNs}.
     *
     * @param hash the flow's {@link FlowHash}; its low bits pick the bucket.
     * @return the value stored for the key, or {@link #MISSING} when absent or idle past its timeout
     *         (an expired entry is cleared on the way).
     */
    public long lookup(final long key0, final long key1, final int hash, final long nowNs, final long idleTimeoutNs)
    {
        int entry = bucketOffset(hash);
        for (int i = 0; i < ENTRIES_PER_BUCKET; i++, entry += ENTRY_LENGTH)
        {
            if (memory.getLong(entry + KEY0_OFFSET) == key0 && memory.getLong(entry + KEY1_OFFSET) == key1)
            {
                final long stored = memory.getLong(entry + VALUE_OFFSET);
                if (stored == EMPTY)
                {
                    continue;
                }
                if (nowNs - memory.getLong(entry + EXPIRES_AT_OFFSET) > 0)
                {
                    memory.putLong(entry + VALUE_OFFSET, EMPTY);
                    return MISSING;
                }
                memory.putLong(entry + EXPIRES_AT_OFFSET, nowNs + idleTimeoutNs);
                return ~stored;
            }
        }
        return MISSING;
    }

    /**
     * Remembers a flow, replacing the key's entry if it has one, else taking an empty or expired
     * entry of the bucket, else evicting the live entry nearest to expiry.
     *
     * @param value any value except {@link #MISSING}.
     * @return true when a live flow was evicted to make room.
     */
    public boolean insert(
        final long key0, final long key1, final int hash, final long value, final long nowNs, final long idleTimeoutNs)
    {
        if (value == MISSING)
        {
            throw new IllegalArgumentException("a flow table value cannot be MISSING (-1)");
        }
        int entry = bucketOffset(hash);
        int free = -1;
        int victim = -1;
        long victimRemainingNs = Long.MAX_VALUE;
        for (int i = 0; i < ENTRIES_PER_BUCKET; i++, entry += ENTRY_LENGTH)
        {
            if (memory.getLong(entry + VALUE_OFFSET) == EMPTY)
            {
                free = free < 0 ? entry : free;
                continue;
            }
            if (memory.getLong(entry + KEY0_OFFSET) == key0 && memory.getLong(entry + KEY1_OFFSET) == key1)
            {
                write(entry, key0, key1, value, nowNs + idleTimeoutNs);
                return false;
            }
            final long remainingNs = memory.getLong(entry + EXPIRES_AT_OFFSET) - nowNs;
            if (remainingNs < 0)
            {
                free = free < 0 ? entry : free;
            }
            else if (remainingNs < victimRemainingNs)
            {
                victim = entry;
                victimRemainingNs = remainingNs;
            }
        }
        if (free >= 0)
        {
            write(free, key0, key1, value, nowNs + idleTimeoutNs);
            return false;
        }
        write(victim, key0, key1, value, nowNs + idleTimeoutNs);
        return true;
    }

    /** @return true when the key had an entry, live or expired, which is now gone. */
    public boolean remove(final long key0, final long key1, final int hash)
    {
        int entry = bucketOffset(hash);
        for (int i = 0; i < ENTRIES_PER_BUCKET; i++, entry += ENTRY_LENGTH)
        {
            if (memory.getLong(entry + VALUE_OFFSET) != EMPTY &&
                memory.getLong(entry + KEY0_OFFSET) == key0 &&
                memory.getLong(entry + KEY1_OFFSET) == key1)
            {
                memory.putLong(entry + VALUE_OFFSET, EMPTY);
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the first word of the hash's bucket and nothing else: brings the bucket toward the
     * cache ahead of a {@link #lookup} (Java has no prefetch instruction; a load whose result is
     * used is the portable one).
     *
     * @return the word read, for the caller to fold into a sink so the load is not removed.
     */
    public long touch(final int hash)
    {
        final int bucket = bucketOffset(hash);
        return memory.getLong(bucket + KEY0_OFFSET) + memory.getLong(bucket + CACHE_LINE + KEY0_OFFSET);
    }

    /** @return the number of entries, live or not, the table can hold. */
    public int capacity()
    {
        return capacity;
    }

    /** @return the off-heap bytes the table occupies. */
    public long bytes()
    {
        return (long)capacity * ENTRY_LENGTH;
    }

    /**
     * Counts live entries by scanning the whole table: for tests and diagnostics, not the data
     * path.
     */
    public int countLive(final long nowNs)
    {
        int live = 0;
        for (int entry = 0; entry < memory.capacity(); entry += ENTRY_LENGTH)
        {
            if (memory.getLong(entry + VALUE_OFFSET) != EMPTY && nowNs - memory.getLong(entry + EXPIRES_AT_OFFSET) <= 0)
            {
                live++;
            }
        }
        return live;
    }

    /** Frees the memory; the table must not be used afterwards (only once the worker has stopped). */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            arena.close();
        }
    }

    private int bucketOffset(final int hash)
    {
        return (hash & bucketMask) * BUCKET_LENGTH;
    }

    private void write(final int entry, final long key0, final long key1, final long value, final long expiresAtNs)
    {
        memory.putLong(entry + KEY0_OFFSET, key0);
        memory.putLong(entry + KEY1_OFFSET, key1);
        memory.putLong(entry + EXPIRES_AT_OFFSET, expiresAtNs);
        memory.putLong(entry + VALUE_OFFSET, ~value);
    }
}
