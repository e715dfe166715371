package io.sluice.l7.ratelimit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** GCRA decisions exact to the request over a clock the test moves, the table's memory bound, and its eviction rules. */
class GcraTableTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    /** 10/s. */
    private static final long INTERVAL = 100 * MS;

    private final AtomicLong clock = new AtomicLong(1_000_000 * MS);

    private GcraTable table(final int burst, final int maxKeys)
    {
        return new GcraTable(INTERVAL, burst, maxKeys, clock::get);
    }

    private void advance(final long nanos)
    {
        clock.addAndGet(nanos);
    }

    @Test
    void withoutBurstRequestsAreSpacedByTheInterval()
    {
        final GcraTable table = table(0, 1024);

        assertThat(table.decide(7, 0)).isEqualTo(new LimitDecision(true, 0, 0, INTERVAL));
        assertThat(table.decide(7, 0)).isEqualTo(new LimitDecision(false, 0, INTERVAL, INTERVAL));
        advance(INTERVAL - 1);
        assertThat(table.decide(7, 0)).isEqualTo(new LimitDecision(false, 0, 1, 1));
        advance(1);
        assertThat(table.decide(7, 0)).isEqualTo(new LimitDecision(true, 0, 0, INTERVAL));
        assertThat(table.decide(8, 0).allowed()).as("another key has its own allowance").isTrue();
    }

    @Test
    void aBurstComesAtOnceThenTheRateHolds()
    {
        final GcraTable table = table(4, 1024);

        for (int remaining = 4; remaining >= 0; remaining--)
        {
            final LimitDecision decision = table.decide(7, 0);
            assertThat(decision.allowed()).isTrue();
            assertThat(decision.remaining()).isEqualTo(remaining);
            assertThat(decision.resetNanos()).as("until whole again").isEqualTo((5 - remaining) * INTERVAL);
        }
        assertThat(table.decide(7, 0)).isEqualTo(new LimitDecision(false, 0, INTERVAL, 5 * INTERVAL));

        int allowed = 0;
        for (int tick = 0; tick < 100; tick++)
        {
            advance(10 * MS);
            for (int i = 0; i < 3; i++)
            {
                allowed += table.decide(7, 0).allowed() ? 1 : 0;
            }
        }
        assertThat(allowed).as("one second at 10/s, however hard it is asked").isEqualTo(10);
        advance(2 * 5 * INTERVAL);
        assertThat(table.decide(7, 0).remaining()).as("whole again after idling").isEqualTo(4);
    }

    @Test
    void aDelayReservesTheTurnUpToTheMaximum()
    {
        final GcraTable table = table(1, 1024);

        assertThat(table.decide(7, 250 * MS)).isEqualTo(new LimitDecision(true, 1, 0, INTERVAL));
        assertThat(table.decide(7, 250 * MS)).isEqualTo(new LimitDecision(true, 0, 0, 2 * INTERVAL));
        assertThat(table.decide(7, 250 * MS)).as("waits one interval").isEqualTo(new LimitDecision(true, 0, INTERVAL, 3 * INTERVAL));
        assertThat(table.decide(7, 250 * MS)).isEqualTo(new LimitDecision(true, 0, 2 * INTERVAL, 4 * INTERVAL));
        assertThat(table.decide(7, 250 * MS)).as("would wait 300ms").isEqualTo(new LimitDecision(false, 0, 3 * INTERVAL, 4 * INTERVAL));
        advance(INTERVAL);
        assertThat(table.decide(7, 250 * MS)).isEqualTo(new LimitDecision(true, 0, 2 * INTERVAL, 4 * INTERVAL));
    }

    @Test
    void theIntervalIsRoundedUpNeverLooser()
    {
        assertThat(GcraTable.interval(TimeUnit.SECONDS.toNanos(1), 3)).isEqualTo(333_333_334);
        assertThat(GcraTable.interval(TimeUnit.MINUTES.toNanos(1), 1000)).isEqualTo(60 * MS);
    }

    @Test
    void memoryStaysWithinMaxKeysHoweverManyKeysPass()
    {
        final GcraTable table = table(0, 1000);
        assertThat(table.capacity()).as("small until keys come").isLessThanOrEqualTo(16 * GcraTable.MAX_STRIPES);
        for (long key = 1; key <= 200_000; key++)
        {
            table.decide(key * 0x9E3779B97F4A7C15L, 0);
        }
        assertThat(table.capacity()).isEqualTo(1024);
        assertThat(table.keys()).isLessThanOrEqualTo(1024);
    }

    @Test
    void aHotKeyIsNeverEvictedWhileItIsLimited()
    {
        final GcraTable table = table(2, 16); // one stripe of 16 slots
        final long hot = hash(3, 1);
        for (int i = 0; i < 3; i++)
        {
            assertThat(table.decide(hot, 0).allowed()).isTrue();
        }
        assertThat(table.decide(hot, 0).allowed()).isFalse();
        for (int key = 0; key < 10_000; key++)
        {
            table.decide(hash(key & 15, 100 + key), 0); // crowds every window, most land in shared entries
        }
        assertThat(table.decide(hot, 0)).as("still limited, as GCRA says").isEqualTo(new LimitDecision(false, 0, INTERVAL,
            3 * INTERVAL));
    }

    @Test
    void aKeyCountedInASharedEntryDoesNotComeBackWithAFullBucket()
    {
        final GcraTable table = table(2, 16);
        for (int key = 0; key < 16; key++)
        {
            assertThat(table.decide(hash(key, 1000 + key), 0).allowed()).isTrue(); // every slot taken, one interval ahead
        }
        final long late = hash(5, 7); // its window is full of live keys: it shares entry 7 of the stripe
        for (int i = 0; i < 3; i++)
        {
            assertThat(table.decide(late, 0).allowed()).isTrue();
        }
        assertThat(table.decide(late, 0).allowed()).isFalse();
        assertThat(table.keys()).isEqualTo(16);

        advance(INTERVAL); // the others' TATs pass: their slots are free to take, the shared entry's TAT is still ahead
        final LimitDecision decision = table.decide(late, 0);
        // GCRA over the shared TAT (3 intervals ahead, 2 now): conforming, and nothing left, not a whole allowance of 2
        assertThat(decision).as("an entry of its own, as spent as the shared one").isEqualTo(new LimitDecision(true, 0, 0,
            3 * INTERVAL));
        assertThat(table.decide(late, 0).allowed()).isFalse();
        final long fresh = hash(5, 8); // another shared entry: untouched, a whole allowance
        assertThat(table.decide(fresh, 0).remaining()).isEqualTo(2);
    }

    @Test
    void collidingKeysOnlyMakeTheLimitStricter()
    {
        final GcraTable table = table(0, 16);
        for (int key = 0; key < 16; key++)
        {
            table.decide(hash(key, 1000 + key), 0);
        }
        final long one = hash(2, 9);
        final long other = hash(9, 9); // the same shared entry as one's
        assertThat(table.decide(one, 0).allowed()).isTrue();
        assertThat(table.decide(other, 0).allowed()).as("counted with one: stricter, never looser").isFalse();
    }

    @Test
    void everyEventLoopMeetsTheSameBucket() throws Exception
    {
        clock.set(5_000_000 * MS); // frozen: only the burst may pass
        final GcraTable table = table(99, 1 << 16);
        final int threads = 8;
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        try
        {
            final CountDownLatch start = new CountDownLatch(1);
            final List<Future<long[]>> counts = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                counts.add(pool.submit((Callable<long[]>)() ->
                {
                    start.await();
                    final long[] allowed = new long[65];
                    for (int i = 0; i < 20_000; i++)
                    {
                        final int key = i % 65;
                        allowed[key] += table.decide(key * 0x9E3779B97F4A7C15L + 1, 0).allowed() ? 1 : 0;
                    }
                    return allowed;
                }));
            }
            start.countDown();
            final long[] total = new long[65];
            for (final Future<long[]> count : counts)
            {
                final long[] allowed = count.get(30, TimeUnit.SECONDS);
                for (int key = 0; key < total.length; key++)
                {
                    total[key] += allowed[key];
                }
            }
            for (final long allowed : total)
            {
                assertThat(allowed).as("exactly the burst and the first request, over all threads").isEqualTo(100);
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    /** A hash whose home slot (of one 16-slot stripe) is {@code slot} and whose shared entry is {@code shared % 64}. */
    private static long hash(final int slot, final int shared)
    {
        return ((long)shared << 32) | slot;
    }
}
