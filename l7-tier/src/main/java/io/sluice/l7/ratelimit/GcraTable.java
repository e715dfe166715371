package io.sluice.l7.ratelimit;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * One limit's GCRA state on this proxy: for each key (by its 64-bit hash) the theoretical arrival
 * time (TAT) of its next request. A request at {@code now} conforms when it is at most the
 * tolerance ({@code burst} emission intervals) early against its key's TAT, and then moves the
 * TAT one interval on; a key whose TAT has passed has its whole allowance, whatever else it did.
 *
 * <p><b>One table for every event loop</b>: a limit is the proxy's, so a client that spreads its
 * requests over connections on several event loops must meet one bucket, not one per loop.
 * The table is striped: a key's hash picks one of up to {@value #MAX_STRIPES} stripes, each an
 * open-addressing array under its own monitor, held for a probe of a few slots and two writes.
 * Two event loops wait for each other only when their keys meet in one stripe at the same
 * moment; no allocation happens under the lock but when a stripe grows.
 *
 * <p><b>Memory is bounded</b> by {@code maxKeys} (rounded up to a power of two), 16 bytes a key:
 * stripes start small and double as keys come, up to their share. A key's entry is never
 * dropped while its TAT is ahead of the clock (the key is still being limited); only entries
 * whose TAT has passed, buckets that are full anyway, are reused or left behind when a stripe
 * grows. When a key finds its probe window full of live entries in a stripe that cannot grow,
 * it is counted in a shared entry of the stripe that every such key hashing alike is counted in:
 * a conservative bucket, which can only make their limit stricter. A key that later gets an
 * entry of its own starts from that shared entry's TAT, so leaving the shared bucket never
 * gives it back an allowance it had spent. Hence no key comes back with a fuller bucket than
 * GCRA would give it, however many keys pass through.
 */
public final class GcraTable
{
    static final int MAX_STRIPES = 64;
    /** Slots probed from a key's home slot; a key lives within them. */
    static final int WINDOW = 8;
    /** Shared entries per stripe for keys that found no room. */
    static final int SHARED = 64;
    private static final int FIRST_SLOTS = 16;
    private static final SecureRandom SEEDS = new SecureRandom();

    private final long intervalNanos;
    private final long toleranceNanos;
    private final LongSupplier clock;
    private final Stripe[] stripes;
    private final int stripeShift;
    /** What keys are hashed with for this table: unknown outside the process, so nobody can aim keys at one stripe. */
    private final long seed = SEEDS.nextLong();

    /**
     * @param intervalNanos the emission interval: the period divided by the count, rounded up (never looser).
     * @param burst         requests that may come at once above the rate.
     * @param maxKeys       keys tracked at once at most (rounded up to a power of two).
     * @param clockNanos    monotonic nanoseconds ({@link System#nanoTime}; tests pass their own).
     */
    public GcraTable(final long intervalNanos, final int burst, final int maxKeys, final LongSupplier clockNanos)
    {
        this.intervalNanos = intervalNanos;
        this.toleranceNanos = intervalNanos * burst;
        this.clock = clockNanos;
        final int slots = Integer.highestOneBit(Math.max(1, maxKeys - 1)) << 1;
        final int stripeCount = Math.clamp(slots / (WINDOW * 4), 1, MAX_STRIPES);
        stripes = new Stripe[stripeCount];
        final long now = clockNanos.getAsLong();
        for (int i = 0; i < stripeCount; i++)
        {
            stripes[i] = new Stripe(slots / stripeCount, now);
        }
        stripeShift = 64 - Integer.numberOfTrailingZeros(stripeCount);
    }

    /** The seed to hash keys with for this table ({@link RequestKey#hash}). */
    public long seed()
    {
        return seed;
    }

    /** The emission interval for {@code count} requests per {@code periodNanos}, rounded up so the limit is never looser. */
    public static long interval(final long periodNanos, final long count)
    {
        return (periodNanos + count - 1) / count;
    }

    /**
     * Spends one request of the key's allowance if it has one, or reserves its turn when that
     * comes within {@code maxDelayNanos}.
     *
     * @param keyHash       the key's hash ({@link RequestKey#hash}); never 0.
     * @param maxDelayNanos how long a request may wait for its turn (0: refused unless it conforms now).
     * @return allowed, with {@code retryAfterNanos} the wait before the request goes (0 but when delayed);
     *         or refused, with the wait until one request would conform.
     */
    public LimitDecision decide(final long keyHash, final long maxDelayNanos)
    {
        final Stripe stripe = stripes[stripeShift == 64 ? 0 : (int)(keyHash >>> stripeShift)];
        synchronized (stripe)
        {
            final long now = clock.getAsLong();
            final int slot = stripe.entry(keyHash, now);
            final int shared = (int)(keyHash >>> 32) & (SHARED - 1);
            final long tat = slot >= 0 ? stripe.slots[slot + 1] : stripe.shared[shared];
            final long early = Math.max(tat - now, 0); // how far ahead of the clock the key's TAT is
            final long wait = early - toleranceNanos;
            if (wait > maxDelayNanos)
            {
                return new LimitDecision(false, 0, wait, early);
            }
            final long next = now + early + intervalNanos;
            if (slot >= 0)
            {
                stripe.slots[slot + 1] = next;
            }
            else
            {
                stripe.shared[shared] = next;
            }
            final long ahead = early + intervalNanos;
            final long remaining = wait > 0 || ahead > toleranceNanos ? 0 : (toleranceNanos - ahead) / intervalNanos + 1;
            return new LimitDecision(true, remaining, Math.max(wait, 0), ahead);
        }
    }

    /** Keys with an entry of their own now. */
    int keys()
    {
        int keys = 0;
        for (final Stripe stripe : stripes)
        {
            synchronized (stripe)
            {
                keys += stripe.used;
            }
        }
        return keys;
    }

    /** Slots allocated now over all stripes. */
    int capacity()
    {
        int capacity = 0;
        for (final Stripe stripe : stripes)
        {
            synchronized (stripe)
            {
                capacity += stripe.slots.length / 2;
            }
        }
        return capacity;
    }

    /** A part of the table, guarded by its own monitor. */
    private static final class Stripe
    {
        private final int maxSlots;
        /** Pairs: a key's hash (0: never used), its TAT. */
        private long[] slots;
        private int used;
        /** The conservative entries of keys that found no slot, by their hash. */
        private final long[] shared = new long[SHARED];

        Stripe(final int maxSlots, final long now)
        {
            this.maxSlots = maxSlots;
            slots = new long[2 * Math.min(FIRST_SLOTS, maxSlots)];
            Arrays.fill(shared, now); // in the past from now on: full buckets
        }

        /** The index of the key's entry (its hash; its TAT one further), made if need be; -1 for the shared entry. */
        int entry(final long keyHash, final long now)
        {
            while (true)
            {
                final int found = probe(keyHash, now);
                if (found >= 0 && slots[found] == keyHash)
                {
                    return found;
                }
                final int capacity = slots.length / 2;
                final boolean crowded = found < 0 || (slots[found] == 0 && used + 1 > capacity - capacity / 4);
                if (crowded && capacity < maxSlots)
                {
                    grow(now);
                    continue;
                }
                if (found < 0)
                {
                    return -1;
                }
                if (slots[found] == 0)
                {
                    used++;
                }
                slots[found] = keyHash;
                // Where the key was counted while it had no entry: never a fuller bucket than it had there.
                slots[found + 1] = shared[(int)(keyHash >>> 32) & (SHARED - 1)];
                return found;
            }
        }

        /**
         * The key's slot if it is in its window; else the first slot it may take (never used, or
         * holding a TAT already passed); else -1.
         */
        private int probe(final long keyHash, final long now)
        {
            final int mask = slots.length / 2 - 1;
            final int home = (int)keyHash & mask;
            final int window = Math.min(WINDOW, mask + 1);
            int free = -1;
            for (int i = 0; i < window; i++)
            {
                final int slot = ((home + i) & mask) * 2;
                final long hash = slots[slot];
                if (hash == keyHash)
                {
                    return slot;
                }
                if (hash == 0)
                {
                    // Entries are only ever placed at the first free slot of their window, and never
                    // emptied: the key is not further on.
                    return free >= 0 ? free : slot;
                }
                if (free < 0 && slots[slot + 1] - now <= 0)
                {
                    free = slot;
                }
            }
            return free;
        }

        /** Twice the slots; the entries still ahead of the clock move over, the others (full buckets) stay behind. */
        private void grow(final long now)
        {
            final long[] old = slots;
            slots = new long[old.length * 2];
            used = 0;
            for (int slot = 0; slot < old.length; slot += 2)
            {
                final long hash = old[slot];
                final long tat = old[slot + 1];
                if (hash == 0 || tat - now <= 0)
                {
                    continue;
                }
                final int to = probe(hash, now);
                if (to >= 0)
                {
                    slots[to] = hash;
                    slots[to + 1] = tat;
                    used++;
                }
                else
                {
                    // No room in its window even now: the shared entry keeps what the key had spent.
                    final int shared = (int)(hash >>> 32) & (SHARED - 1);
                    this.shared[shared] = Math.max(this.shared[shared] - now, tat - now) + now;
                }
            }
        }
    }
}
