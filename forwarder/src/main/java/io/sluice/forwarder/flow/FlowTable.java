package io.sluice.forwarder.flow;

import io.sluice.linux.AnonymousMemory;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.VarHandle;

/**
 * A worker's memory of which real each flow goes to: a fixed-capacity, off-heap hash table with
 * bucketed open addressing. Single-threaded: only the owning worker calls it.
 *
 * <p>A lookup hashes to one bucket of {@link #ENTRIES_PER_BUCKET} entries, two cache lines, and
 * scans only that bucket, so its cost does not grow with the number of flows. When a bucket is
 * full the entry nearest to expiry gives way: losing a flow's memory only matters if the Maglev
 * table changed since the flow started, which is the rare case consistent hashing is for.
 *
 * <p>Each half of a bucket, two entries, is one cache line (two in a table with a payload), and
 * the top bit of a flow's hash (the bucket takes the low bits) makes one half its home: the flow
 * is looked for there first and stored there while the half has room. So a flow is nearly always
 * found in its home line, the one {@link #touch} brings toward the cache ahead of a burst's
 * lookups, and a burst's prefetch asks the memory for one line per packet instead of two. Only a
 * miss, or a flow that overflowed into the other half, reads the second line.
 *
 * <p>Entries hold the whole key, not a fingerprint of it. A 16-byte entry (fingerprint, value,
 * coarse deadline) would fit a bucket in one line, but two flows whose fingerprints collide in
 * one bucket would share an entry, and the second would go, silently, to the first one's real
 * (and move when the entry did). Checking the whole key stored elsewhere would read a second
 * line per lookup, the cost the compact entry was to save; a key of 104 bits (IPv4's 5-tuple)
 * with its value and deadline needs at least 24 bytes, so a line holds two entries either way.
 *
 * <p>Layout, {@link #ENTRY_LENGTH} bytes per entry ({@link #PAYLOAD_ENTRY_LENGTH} in a table made
 * {@link #withPayload}), native byte order:
 * <pre>
 *   0  key0          long
 *   8  key1          long
 *  16  ~value        long  (stored complemented: zeroed memory reads as MISSING = empty slot)
 *  24  expiresAtNs   long
 *  32  payload       long  (tables with a payload only: a second word per flow, e.g. a MAC)
 * </pre>
 * Storing the complement of the value makes the all-zero entry the empty one without reserving
 * any key, so a key of all zeros is an ordinary key. Each entry keeps its deadline rather than
 * the time it was last seen so that flows with different idle timeouts (TCP and UDP) share one
 * table and each expires on its own timeout; for flows with equal timeouts "nearest to expiry"
 * is exactly "least recently seen". A lookup moves the deadline only when it would move by more
 * than 1/64 of the timeout, so a busy flow's packets read its line without writing it. Times are
 * compared by subtraction, so a clock that wraps or starts negative ({@code System.nanoTime()})
 * is fine.
 *
 * <p>Only the owner writes, but other workers may {@link #peek} (NAT: a real's reply reaches the
 * worker its own hash picks, not always the one that translated the client's packet). So the
 * owner writes an entry as a seqlock would: value cleared, fence, fields, value stored with
 * release; a peek reads the value before and after the fields and trusts them only when it saw
 * the same live value twice.
 *
 * <p>Memory is an {@link AnonymousMemory} mapping (a worker may be made on one thread, run on
 * another and closed on a third), for two reasons. Its pages become resident only as entries
 * reach them, so a table sized for a million flows costs what its flows fill, and a NAT reply
 * table on a forwarder without NAT VIPs costs nothing. And it is in huge pages where the kernel
 * gives them: a table of millions of flows spans thousands of 4 KiB pages, far beyond the TLB,
 * so with small pages every lookup at a random bucket also paid a page walk (two-dimensional,
 * and slower still, in a virtual machine). {@link #close()} unmaps it and must only be called
 * once the worker has stopped.
 */
public final class FlowTable implements AutoCloseable
{
    /** What {@link #lookup} returns when there is no live entry; also the one value that cannot be stored. */
    public static final long MISSING = -1L;
    public static final int ENTRIES_PER_BUCKET = 4;
    public static final int ENTRY_LENGTH = 32;
    public static final int PAYLOAD_ENTRY_LENGTH = 64;
    public static final int BUCKET_LENGTH = ENTRIES_PER_BUCKET * ENTRY_LENGTH;
    /** 2^25 entries, 1 GiB: the most one int-addressed buffer holds. */
    public static final int MAX_CAPACITY = 1 << 25;

    private static final int KEY0_OFFSET = 0;
    private static final int KEY1_OFFSET = 8;
    private static final int VALUE_OFFSET = 16;
    private static final int EXPIRES_AT_OFFSET = 24;
    private static final int PAYLOAD_OFFSET = 32;
    private static final long EMPTY = 0L;
    /**
     * A found flow's deadline is left where it is while the timeout would move it later by no
     * more than 1/2^6 of the timeout ({@link #extend}): a flow is then remembered for at least 63/64
     * of its timeout after its last packet (295 s of TCP's 300).
     */
    private static final int DEADLINE_SLACK_SHIFT = 6;
    /** The first entry of a bucket's second half, as an index in the bucket. */
    private static final int SECOND_HALF = ENTRIES_PER_BUCKET / 2;

    private final AnonymousMemory mapping;
    private final UnsafeBuffer memory;
    private final int capacity;
    private final int bucketMask;
    private final int entryLength;
    /** log2 of {@link #entryLength} and of a bucket's length: offsets are shifts, not multiplications. */
    private final int entryShift;
    private final int bucketShift;
    /** The entry {@link #lookup} last found, for {@link #payload()} and {@link #renew}; owner only. */
    private int lastEntry = -1;

    /**
     * @param capacity entries, a power of two from {@link #ENTRIES_PER_BUCKET} to {@link #MAX_CAPACITY}.
     * @throws IllegalArgumentException naming the capacity when it is not one of those.
     */
    public FlowTable(final int capacity)
    {
        this(capacity, ENTRY_LENGTH);
    }

    /** A table whose entries also hold a payload word ({@link #insert(long, long, int, long, long, long, long)}). */
    public static FlowTable withPayload(final int capacity)
    {
        return new FlowTable(capacity, PAYLOAD_ENTRY_LENGTH);
    }

    private FlowTable(final int capacity, final int entryLength)
    {
        if (capacity < ENTRIES_PER_BUCKET || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException(
                "flow table capacity " + capacity + " is not a power of two from " + ENTRIES_PER_BUCKET + " to " + MAX_CAPACITY);
        }
        this.capacity = capacity;
        this.entryLength = entryLength;
        this.entryShift = Integer.numberOfTrailingZeros(entryLength);
        this.bucketShift = entryShift + Integer.numberOfTrailingZeros(ENTRIES_PER_BUCKET);
        this.bucketMask = capacity / ENTRIES_PER_BUCKET - 1;
        final long bytes = (long)capacity * entryLength;
        if (bytes > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("flow table capacity " + capacity + " needs " + bytes + " bytes, more than one buffer holds");
        }
        // Zeroed: every entry empty. Page-aligned, so a bucket is one aligned pair of cache lines,
        // the unit the CPU's adjacent-line prefetcher fetches together.
        this.mapping = AnonymousMemory.map(bytes);
        this.memory = new UnsafeBuffer(mapping.address(), (int)bytes);
    }

    /**
     * Finds a live flow and pushes its deadline to {@code nowNs + idleTimeoutNs} (or leaves it within
     * its slack of that, {@link #extend}).
     *
     * @param hash the flow's {@link FlowHash}; its low bits pick the bucket, its top bit the home half.
     * @return the value stored for the key, or {@link #MISSING} when absent or idle past its timeout
     *         (an expired entry is cleared on the way).
     */
    public long lookup(final long key0, final long key1, final int hash, final long nowNs, final long idleTimeoutNs)
    {
        final int bucket = bucketOffset(hash);
        final int home = homeHalf(hash);
        for (int i = 0; i < ENTRIES_PER_BUCKET; i++)
        {
            final int entry = bucket + ((i ^ home) << entryShift);
            if (memory.getLong(entry + KEY0_OFFSET) == key0 && memory.getLong(entry + KEY1_OFFSET) == key1)
            {
                final long stored = memory.getLong(entry + VALUE_OFFSET);
                if (stored == EMPTY)
                {
                    continue;
                }
                if (nowNs - memory.getLong(entry + EXPIRES_AT_OFFSET) > 0)
                {
                    memory.putLongRelease(entry + VALUE_OFFSET, EMPTY);
                    lastEntry = -1;
                    return MISSING;
                }
                extend(entry, nowNs + idleTimeoutNs, idleTimeoutNs);
                lastEntry = entry;
                return ~stored;
            }
        }
        lastEntry = -1;
        return MISSING;
    }

    /**
     * The payload of the entry the last {@link #lookup} found or {@link #insert} wrote (tables {@link #withPayload} only);
     * owner only.
     */
    public long payload()
    {
        return memory.getLong(lastEntry + PAYLOAD_OFFSET);
    }

    /**
     * Replaces the value of the entry the last {@link #lookup} found (or {@link #insert} wrote) and sets its deadline to
     * {@code nowNs + idleTimeoutNs}: a flow whose state changed (a TCP FIN seen) keeps its place.
     * Owner only; the lookup must have found the entry.
     */
    public void renew(final long value, final long nowNs, final long idleTimeoutNs)
    {
        final int entry = lastEntry;
        memory.putLongRelease(entry + VALUE_OFFSET, EMPTY);
        VarHandle.storeStoreFence();
        memory.putLong(entry + EXPIRES_AT_OFFSET, nowNs + idleTimeoutNs);
        memory.putLongRelease(entry + VALUE_OFFSET, ~value);
    }

    /**
     * Finds a live flow without changing anything, from any thread: what another worker calls on
     * this worker's table. A value is returned only if the entry read the same before and after
     * its key and payload were read, so a half-written entry is never trusted.
     *
     * @param payload where the entry's payload is written (index 0) when the flow is found.
     * @return the value, or {@link #MISSING}.
     */
    public long peek(final long key0, final long key1, final int hash, final long nowNs, final long[] payload)
    {
        final int bucket = bucketOffset(hash);
        final int home = homeHalf(hash);
        for (int i = 0; i < ENTRIES_PER_BUCKET; i++)
        {
            final int entry = bucket + ((i ^ home) << entryShift);
            final long before = memory.getLongVolatile(entry + VALUE_OFFSET);
            if (before == EMPTY)
            {
                continue;
            }
            final boolean match = memory.getLong(entry + KEY0_OFFSET) == key0 && memory.getLong(entry + KEY1_OFFSET) == key1;
            final long expiresAtNs = memory.getLong(entry + EXPIRES_AT_OFFSET);
            final long word = entryLength == PAYLOAD_ENTRY_LENGTH ? memory.getLong(entry + PAYLOAD_OFFSET) : 0L;
            VarHandle.loadLoadFence();
            if (match && memory.getLongVolatile(entry + VALUE_OFFSET) == before && nowNs - expiresAtNs <= 0)
            {
                payload[0] = word;
                return ~before;
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
        return insert(key0, key1, hash, value, 0L, nowNs, idleTimeoutNs);
    }

    /**
     * {@link #insert(long, long, int, long, long, long)} with a payload word, kept only by a table
     * made {@link #withPayload}.
     */
    public boolean insert(
        final long key0, final long key1, final int hash, final long value, final long payload, final long nowNs,
        final long idleTimeoutNs)
    {
        if (value == MISSING)
        {
            throw new IllegalArgumentException("a flow table value cannot be MISSING (-1)");
        }
        final int bucket = bucketOffset(hash);
        final int home = homeHalf(hash);
        int free = -1;
        int victim = -1;
        long victimRemainingNs = Long.MAX_VALUE;
        for (int i = 0; i < ENTRIES_PER_BUCKET; i++)
        {
            final int entry = bucket + ((i ^ home) << entryShift);
            if (memory.getLong(entry + VALUE_OFFSET) == EMPTY)
            {
                free = free < 0 ? entry : free;
                continue;
            }
            if (memory.getLong(entry + KEY0_OFFSET) == key0 && memory.getLong(entry + KEY1_OFFSET) == key1)
            {
                if (memory.getLong(entry + VALUE_OFFSET) == ~value &&
                    (entryLength != PAYLOAD_ENTRY_LENGTH || memory.getLong(entry + PAYLOAD_OFFSET) == payload))
                {
                    // The flow as it was (NAT refreshes its reply's entry on every packet): only the
                    // deadline moves, with no fence, and a peek on another thread still trusts it.
                    extend(entry, nowNs + idleTimeoutNs, idleTimeoutNs);
                    lastEntry = entry;
                    return false;
                }
                write(entry, key0, key1, value, payload, nowNs + idleTimeoutNs);
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
            write(free, key0, key1, value, payload, nowNs + idleTimeoutNs);
            return false;
        }
        write(victim, key0, key1, value, payload, nowNs + idleTimeoutNs);
        return true;
    }

    /** @return true when the key had an entry, live or expired, which is now gone. */
    public boolean remove(final long key0, final long key1, final int hash)
    {
        final int bucket = bucketOffset(hash);
        final int home = homeHalf(hash);
        for (int i = 0; i < ENTRIES_PER_BUCKET; i++)
        {
            final int entry = bucket + ((i ^ home) << entryShift);
            if (memory.getLong(entry + VALUE_OFFSET) != EMPTY &&
                memory.getLong(entry + KEY0_OFFSET) == key0 &&
                memory.getLong(entry + KEY1_OFFSET) == key1)
            {
                memory.putLongRelease(entry + VALUE_OFFSET, EMPTY);
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the first word of the hash's home half-bucket and nothing else: brings the cache line
     * where the flow nearly always is toward the cache ahead of a {@link #lookup} (Java has no
     * prefetch instruction; a load whose result is used is the portable one).
     *
     * @return the word read, for the caller to fold into a sink so the load is not removed.
     */
    public long touch(final int hash)
    {
        return memory.getLong(bucketOffset(hash) + (homeHalf(hash) << entryShift) + KEY0_OFFSET);
    }

    /** @return the number of entries, live or not, the table can hold. */
    public int capacity()
    {
        return capacity;
    }

    /** @return the off-heap bytes the table occupies. */
    public long bytes()
    {
        return (long)capacity * entryLength;
    }

    /**
     * The value of entry {@code index} (0 to {@link #capacity()} - 1) when it holds a live flow, else
     * {@link #MISSING}: for a scan of the whole table a slice at a time, without changing anything.
     * Owner only.
     */
    public long liveValueAt(final int index, final long nowNs)
    {
        final int entry = index << entryShift;
        final long stored = memory.getLong(entry + VALUE_OFFSET);
        return stored == EMPTY || nowNs - memory.getLong(entry + EXPIRES_AT_OFFSET) > 0 ? MISSING : ~stored;
    }

    /**
     * Counts live entries by scanning the whole table: for tests and diagnostics, not the data
     * path.
     */
    public int countLive(final long nowNs)
    {
        int live = 0;
        for (int entry = 0; entry < memory.capacity(); entry += entryLength)
        {
            if (memory.getLong(entry + VALUE_OFFSET) != EMPTY && nowNs - memory.getLong(entry + EXPIRES_AT_OFFSET) <= 0)
            {
                live++;
            }
        }
        return live;
    }

    /** @return whether the kernel was asked to back the table with huge pages, and did not refuse. */
    public boolean hugePagesAdvised()
    {
        return mapping.hugePagesAdvised();
    }

    /** Unmaps the memory; the table must not be used afterwards (only once the worker has stopped). */
    @Override
    public void close()
    {
        mapping.close();
    }

    private int bucketOffset(final int hash)
    {
        return (hash & bucketMask) << bucketShift;
    }

    /** @return the index in the bucket of the first entry of the flow's home half: 0 or {@link #SECOND_HALF}. */
    private static int homeHalf(final int hash)
    {
        return (hash >>> 31) * SECOND_HALF;
    }

    /**
     * Moves a found flow's deadline to {@code deadlineNs}, unless that would push it later by no
     * more than {@link #DEADLINE_SLACK_SHIFT its slack}: a busy flow's packets then only read its
     * entry, so its cache line stays clean (nothing to write back when a burst's lookups push it
     * out of the cache) and a NAT reply's line is not taken from the workers that {@link #peek} it
     * on every packet. A deadline that moves earlier (a shorter timeout) is always written.
     */
    private void extend(final int entry, final long deadlineNs, final long timeoutNs)
    {
        final long movedNs = deadlineNs - memory.getLong(entry + EXPIRES_AT_OFFSET);
        if (movedNs < 0 || movedNs > timeoutNs >>> DEADLINE_SLACK_SHIFT)
        {
            memory.putLong(entry + EXPIRES_AT_OFFSET, deadlineNs);
        }
    }

    /** Writes an entry so that a {@link #peek} on another thread never trusts it half-written. */
    private void write(
        final int entry, final long key0, final long key1, final long value, final long payload, final long expiresAtNs)
    {
        memory.putLongRelease(entry + VALUE_OFFSET, EMPTY);
        VarHandle.storeStoreFence();
        memory.putLong(entry + KEY0_OFFSET, key0);
        memory.putLong(entry + KEY1_OFFSET, key1);
        memory.putLong(entry + EXPIRES_AT_OFFSET, expiresAtNs);
        if (entryLength == PAYLOAD_ENTRY_LENGTH)
        {
            memory.putLong(entry + PAYLOAD_OFFSET, payload);
        }
        memory.putLongRelease(entry + VALUE_OFFSET, ~value);
        lastEntry = entry;
    }
}
