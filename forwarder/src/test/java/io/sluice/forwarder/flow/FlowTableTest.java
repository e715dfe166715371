package io.sluice.forwarder.flow;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongToIntFunction;

import static io.sluice.forwarder.flow.FlowTable.MISSING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class FlowTableTest
{
    private static final long TIMEOUT_NS = 1_000L;
    /** Every key in these tests lands in bucket 0 when it hashes to a multiple of the bucket count. */
    private static final int BUCKET_ZERO = 0;
    /** Bucket 0 too, but the top bit makes the bucket's second half the flow's home. */
    private static final int SECOND_HOME = 0x8000_0000;

    private final FlowTable table = new FlowTable(64);

    @AfterEach
    void close()
    {
        table.close();
    }

    @Test
    void insertedFlowIsFound()
    {
        assertThat(table.insert(1, 2, 7, 42, 0, TIMEOUT_NS)).isFalse();
        assertThat(table.lookup(1, 2, 7, 10, TIMEOUT_NS)).isEqualTo(42);
    }

    @Test
    void absentFlowIsMissing()
    {
        table.insert(1, 2, 7, 42, 0, TIMEOUT_NS);
        assertThat(table.lookup(1, 3, 7, 0, TIMEOUT_NS)).isEqualTo(MISSING);
        assertThat(table.lookup(2, 2, 7, 0, TIMEOUT_NS)).isEqualTo(MISSING);
        assertThat(table.lookup(1, 2, 8, 0, TIMEOUT_NS)).as("other bucket").isEqualTo(MISSING);
    }

    @Test
    void keyOfAllZerosIsAnOrdinaryKey()
    {
        assertThat(table.lookup(0, 0, 0, 0, TIMEOUT_NS)).as("fresh table").isEqualTo(MISSING);
        table.insert(0, 0, 0, 0, 0, TIMEOUT_NS);
        assertThat(table.lookup(0, 0, 0, 1, TIMEOUT_NS)).isZero();
        assertThat(table.remove(0, 0, 0)).isTrue();
        assertThat(table.lookup(0, 0, 0, 1, TIMEOUT_NS)).isEqualTo(MISSING);
    }

    @Test
    void anyValueButMissingCanBeStored()
    {
        table.insert(1, 1, 1, Long.MIN_VALUE, 0, TIMEOUT_NS);
        table.insert(2, 2, 2, Long.MAX_VALUE, 0, TIMEOUT_NS);
        table.insert(3, 3, 3, 0xFFFF_FFFFL, 0, TIMEOUT_NS);
        assertThat(table.lookup(1, 1, 1, 0, TIMEOUT_NS)).isEqualTo(Long.MIN_VALUE);
        assertThat(table.lookup(2, 2, 2, 0, TIMEOUT_NS)).isEqualTo(Long.MAX_VALUE);
        assertThat(table.lookup(3, 3, 3, 0, TIMEOUT_NS)).isEqualTo(0xFFFF_FFFFL);
        assertThatThrownBy(() -> table.insert(4, 4, 4, MISSING, 0, TIMEOUT_NS))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MISSING");
    }

    @Test
    void flowIdlePastItsTimeoutIsGone()
    {
        table.insert(1, 2, 7, 42, 0, TIMEOUT_NS);
        assertThat(table.lookup(1, 2, 7, TIMEOUT_NS, TIMEOUT_NS)).as("exactly at the deadline").isEqualTo(42);
        assertThat(table.lookup(1, 2, 7, 2 * TIMEOUT_NS + 1, TIMEOUT_NS)).as("idle one ns too long").isEqualTo(MISSING);
        assertThat(table.lookup(1, 2, 7, 2 * TIMEOUT_NS + 2, TIMEOUT_NS)).isEqualTo(MISSING);
        assertThat(table.countLive(2 * TIMEOUT_NS + 2)).isZero();
    }

    @Test
    void lookupKeepsABusyFlowAlive()
    {
        table.insert(1, 2, 7, 42, 0, TIMEOUT_NS);
        for (long now = 0; now <= 10 * TIMEOUT_NS; now += TIMEOUT_NS / 2)
        {
            assertThat(table.lookup(1, 2, 7, now, TIMEOUT_NS)).as("at %d ns", now).isEqualTo(42);
        }
    }

    /** The slack is 1/64 of the timeout: 15 ns of these tests' 1000. */
    @Test
    void aFlowSeenAgainWithinItsSlackKeepsItsDeadline()
    {
        table.insert(1, 2, 7, 42, 0, TIMEOUT_NS);
        assertThat(table.lookup(1, 2, 7, 15, TIMEOUT_NS)).isEqualTo(42);
        assertThat(table.countLive(TIMEOUT_NS + 1)).as("the deadline left at 1000").isZero();
        assertThat(table.lookup(1, 2, 7, 16, TIMEOUT_NS)).isEqualTo(42);
        assertThat(table.countLive(TIMEOUT_NS + 16)).as("the deadline moved to 1016").isOne();
        assertThat(table.lookup(1, 2, 7, TIMEOUT_NS + 16, TIMEOUT_NS)).as("at least 63/64 of the timeout after the last packet")
            .isEqualTo(42);
    }

    @Test
    void aShorterTimeoutMovesTheDeadlineEarlierAtOnce()
    {
        table.insert(1, 2, 7, 42, 0, 10 * TIMEOUT_NS);
        assertThat(table.lookup(1, 2, 7, 1, TIMEOUT_NS)).isEqualTo(42);
        assertThat(table.countLive(TIMEOUT_NS + 2)).isZero();
    }

    @Test
    void reinsertingAnUnchangedFlowWithinItsSlackKeepsItsDeadline()
    {
        try (FlowTable withPayload = FlowTable.withPayload(64))
        {
            withPayload.insert(1, 2, 7, 42, 99, 0, TIMEOUT_NS);
            assertThat(withPayload.insert(1, 2, 7, 42, 99, 15, TIMEOUT_NS)).isFalse();
            assertThat(withPayload.countLive(TIMEOUT_NS + 1)).as("the deadline left at 1000").isZero();
            withPayload.insert(1, 2, 7, 42, 99, 16, TIMEOUT_NS);
            assertThat(withPayload.countLive(TIMEOUT_NS + 16)).as("the deadline moved to 1016").isOne();
        }
    }

    @Test
    void timesNearTheWrapOfTheClockWork()
    {
        final long now = Long.MAX_VALUE - TIMEOUT_NS / 2;
        table.insert(1, 2, 7, 42, now, TIMEOUT_NS);
        assertThat(table.lookup(1, 2, 7, now + TIMEOUT_NS, TIMEOUT_NS)).as("deadline past Long.MAX_VALUE").isEqualTo(42);
        assertThat(table.lookup(1, 2, 7, now + 3 * TIMEOUT_NS, TIMEOUT_NS)).isEqualTo(MISSING);
        table.insert(3, 4, 7, 43, -5, TIMEOUT_NS);
        assertThat(table.lookup(3, 4, 7, 0, TIMEOUT_NS)).as("negative clock values").isEqualTo(43);
    }

    @Test
    void insertReplacesTheValueOfAKnownFlow()
    {
        table.insert(1, 2, 7, 42, 0, TIMEOUT_NS);
        assertThat(table.insert(1, 2, 7, 43, 5, TIMEOUT_NS)).isFalse();
        assertThat(table.lookup(1, 2, 7, 6, TIMEOUT_NS)).isEqualTo(43);
        assertThat(table.countLive(6)).as("replaced, not duplicated").isOne();
    }

    @Test
    void replacingFindsTheKeyBehindAnEmptiedEntry()
    {
        for (int i = 0; i < FlowTable.ENTRIES_PER_BUCKET; i++)
        {
            table.insert(i, i, BUCKET_ZERO, i, 0, TIMEOUT_NS);
        }
        table.remove(0, 0, BUCKET_ZERO);
        table.insert(3, 3, BUCKET_ZERO, 99, 1, TIMEOUT_NS);
        assertThat(table.lookup(3, 3, BUCKET_ZERO, 2, TIMEOUT_NS)).isEqualTo(99);
        assertThat(table.countLive(2)).as("key 3 replaced in place, hole left for others").isEqualTo(3);
    }

    @Test
    void fullBucketEvictsTheFlowNearestToExpiry()
    {
        for (int i = 0; i < FlowTable.ENTRIES_PER_BUCKET; i++)
        {
            assertThat(table.insert(i, 100 + i, BUCKET_ZERO, i, 10 * i, TIMEOUT_NS)).isFalse();
        }
        table.lookup(0, 100, BUCKET_ZERO, 50, TIMEOUT_NS); // flow 0 seen again: flow 1 is now the oldest

        assertThat(table.insert(9, 109, BUCKET_ZERO, 9, 60, TIMEOUT_NS)).as("evicted a live flow").isTrue();

        assertThat(table.lookup(1, 101, BUCKET_ZERO, 61, TIMEOUT_NS)).isEqualTo(MISSING);
        assertThat(table.lookup(0, 100, BUCKET_ZERO, 61, TIMEOUT_NS)).isEqualTo(0);
        assertThat(table.lookup(2, 102, BUCKET_ZERO, 61, TIMEOUT_NS)).isEqualTo(2);
        assertThat(table.lookup(3, 103, BUCKET_ZERO, 61, TIMEOUT_NS)).isEqualTo(3);
        assertThat(table.lookup(9, 109, BUCKET_ZERO, 61, TIMEOUT_NS)).isEqualTo(9);
    }

    @Test
    void fullBucketReusesAnExpiredEntryWithoutEvicting()
    {
        for (int i = 0; i < FlowTable.ENTRIES_PER_BUCKET; i++)
        {
            table.insert(i, i, BUCKET_ZERO, i, i == 2 ? 0 : 5 * TIMEOUT_NS, TIMEOUT_NS);
        }
        assertThat(table.insert(9, 9, BUCKET_ZERO, 9, 5 * TIMEOUT_NS + 1, TIMEOUT_NS)).isFalse();
        assertThat(table.lookup(2, 2, BUCKET_ZERO, 5 * TIMEOUT_NS + 1, TIMEOUT_NS)).isEqualTo(MISSING);
        assertThat(table.lookup(9, 9, BUCKET_ZERO, 5 * TIMEOUT_NS + 1, TIMEOUT_NS)).isEqualTo(9);
        assertThat(table.countLive(5 * TIMEOUT_NS + 1)).isEqualTo(4);
    }

    @Test
    void flowsWithLongerTimeoutsOutliveShorterOnesInTheSameBucket()
    {
        table.insert(1, 1, BUCKET_ZERO, 1, 0, 10 * TIMEOUT_NS); // a TCP-like flow
        table.insert(2, 2, BUCKET_ZERO, 2, 0, TIMEOUT_NS);      // a UDP-like flow
        assertThat(table.lookup(2, 2, BUCKET_ZERO, 2 * TIMEOUT_NS, TIMEOUT_NS)).isEqualTo(MISSING);
        assertThat(table.lookup(1, 1, BUCKET_ZERO, 2 * TIMEOUT_NS, 10 * TIMEOUT_NS)).isEqualTo(1);
    }

    @Test
    void removeForgetsOnlyThatFlow()
    {
        table.insert(1, 2, BUCKET_ZERO, 42, 0, TIMEOUT_NS);
        table.insert(1, 3, BUCKET_ZERO, 43, 0, TIMEOUT_NS);
        assertThat(table.remove(1, 2, BUCKET_ZERO)).isTrue();
        assertThat(table.remove(1, 2, BUCKET_ZERO)).as("already gone").isFalse();
        assertThat(table.lookup(1, 2, BUCKET_ZERO, 0, TIMEOUT_NS)).isEqualTo(MISSING);
        assertThat(table.lookup(1, 3, BUCKET_ZERO, 0, TIMEOUT_NS)).isEqualTo(43);
    }

    @Test
    void holdsAsManyFlowsAsItsCapacityWhenHashesSpreadEvenly()
    {
        for (int i = 0; i < table.capacity(); i++)
        {
            assertThat(table.insert(i, -i, i, i, 0, TIMEOUT_NS)).as("flow %d", i).isFalse();
        }
        for (int i = 0; i < table.capacity(); i++)
        {
            assertThat(table.lookup(i, -i, i, 1, TIMEOUT_NS)).isEqualTo(i);
        }
        assertThat(table.countLive(1)).isEqualTo(table.capacity());
    }

    @Test
    void oneMillionFlowsFitInSixtyFourMebibytes()
    {
        try (FlowTable large = new FlowTable(1 << 20))
        {
            assertThat(large.capacity()).isEqualTo(1 << 20);
            assertThat(large.bytes()).isLessThanOrEqualTo(64L << 20);
            int kept = 0;
            for (int i = 0; i < large.capacity(); i++)
            {
                final long key0 = FlowHash.key0(0xC613_0000 + i, 0xC612_0101);
                final long key1 = FlowHash.key1(i & 0xFFFF, 80, 6);
                large.insert(key0, key1, FlowHash.hash(key0, key1), i, 0, TIMEOUT_NS);
            }
            for (int i = 0; i < large.capacity(); i++)
            {
                final long key0 = FlowHash.key0(0xC613_0000 + i, 0xC612_0101);
                final long key1 = FlowHash.key1(i & 0xFFFF, 80, 6);
                kept += large.lookup(key0, key1, FlowHash.hash(key0, key1), 1, TIMEOUT_NS) == i ? 1 : 0;
            }
            // Random hashes fill buckets unevenly: at full load some buckets overflow and evict.
            assertThat(kept).isEqualTo(large.countLive(1)).isGreaterThan((int)(0.8 * large.capacity()));
        }
    }

    @Test
    void aFlowIsStoredInItsHomeHalfWhichTouchReads()
    {
        table.insert(5, 6, SECOND_HOME, 1, 0, TIMEOUT_NS);
        assertThat(table.touch(SECOND_HOME)).as("the home line's first key0").isEqualTo(5);
        assertThat(table.touch(BUCKET_ZERO)).as("the other half is still empty").isZero();
        table.insert(7, 8, BUCKET_ZERO, 2, 0, TIMEOUT_NS);
        assertThat(table.touch(BUCKET_ZERO)).isEqualTo(7);
    }

    @Test
    void flowsOverflowIntoTheOtherHalfAndAreFoundThere()
    {
        for (int i = 0; i < FlowTable.ENTRIES_PER_BUCKET; i++)
        {
            assertThat(table.insert(i, 10 + i, BUCKET_ZERO, 100 + i, 0, TIMEOUT_NS)).as("flow %d has room", i).isFalse();
        }
        assertThat(table.touch(SECOND_HOME)).as("the second half took flows 2 and 3").isEqualTo(2);
        for (int i = 0; i < FlowTable.ENTRIES_PER_BUCKET; i++)
        {
            assertThat(table.lookup(i, 10 + i, BUCKET_ZERO, 1, TIMEOUT_NS)).isEqualTo(100 + i);
        }
        assertThat(table.lookup(9, 19, SECOND_HOME, 1, TIMEOUT_NS)).as("a flow at home in the full bucket's other half")
            .isEqualTo(MISSING);
    }

    /** Flows at home in either half compete for the whole bucket: the one nearest to expiry goes, whichever half it is in. */
    @Test
    void fullBucketEvictsTheFlowNearestToExpiryFromEitherHalf()
    {
        table.insert(1, 1, BUCKET_ZERO, 1, 30, TIMEOUT_NS);
        table.insert(2, 2, SECOND_HOME, 2, 10, TIMEOUT_NS);
        table.insert(3, 3, BUCKET_ZERO, 3, 40, TIMEOUT_NS);
        table.insert(4, 4, SECOND_HOME, 4, 20, TIMEOUT_NS);

        assertThat(table.insert(5, 5, BUCKET_ZERO, 5, 50, TIMEOUT_NS)).isTrue();
        assertThat(table.lookup(2, 2, SECOND_HOME, 51, TIMEOUT_NS)).as("deadline 10 + timeout, the nearest").isEqualTo(MISSING);
        assertThat(table.insert(6, 6, SECOND_HOME, 6, 60, TIMEOUT_NS)).isTrue();
        assertThat(table.lookup(4, 4, SECOND_HOME, 61, TIMEOUT_NS)).as("deadline 20 + timeout").isEqualTo(MISSING);
        assertThat(table.lookup(1, 1, BUCKET_ZERO, 61, TIMEOUT_NS)).isEqualTo(1);
        assertThat(table.lookup(3, 3, BUCKET_ZERO, 61, TIMEOUT_NS)).isEqualTo(3);
        assertThat(table.lookup(5, 5, BUCKET_ZERO, 61, TIMEOUT_NS)).isEqualTo(5);
        assertThat(table.lookup(6, 6, SECOND_HOME, 61, TIMEOUT_NS)).isEqualTo(6);
        assertThat(table.countLive(61)).isEqualTo(FlowTable.ENTRIES_PER_BUCKET);
    }

    @Test
    void aLargeTableIsInHugePagesWhereTheKernelGivesThem() throws IOException
    {
        final String enabled = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
        try (FlowTable large = new FlowTable(1 << 20))
        {
            assertThat(large.hugePagesAdvised()).as("THP: %s", enabled.strip()).isEqualTo(!enabled.contains("[never]"));
        }
        assertThat(table.hugePagesAdvised()).as("2 KiB: smaller than a huge page").isFalse();
    }

    @Test
    void capacityMustBeAPowerOfTwoInRange()
    {
        assertThatThrownBy(() -> new FlowTable(1000)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("flow table capacity 1000 is not a power of two from 4 to 33554432");
        assertThatThrownBy(() -> new FlowTable(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FlowTable(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FlowTable(1 << 26)).isInstanceOf(IllegalArgumentException.class);
        try (FlowTable smallest = new FlowTable(4))
        {
            assertThat(smallest.bytes()).isEqualTo(128);
        }
    }

    @Test
    void closeTwiceIsHarmless()
    {
        final FlowTable other = new FlowTable(4);
        other.close();
        other.close();
        assertThat(other.capacity()).isEqualTo(4);
    }

    @Test
    void aTableWithPayloadKeepsAWordPerFlow()
    {
        try (FlowTable withPayload = FlowTable.withPayload(64))
        {
            assertThat(withPayload.bytes()).isEqualTo(64 * 64);
            withPayload.insert(1, 2, 7, 42, 0x0200_0000_00FEL, 0, TIMEOUT_NS);
            withPayload.insert(1, 3, 7, 43, 0x0200_0000_00FFL, 0, TIMEOUT_NS);
            assertThat(withPayload.lookup(1, 2, 7, 10, TIMEOUT_NS)).isEqualTo(42);
            assertThat(withPayload.payload()).isEqualTo(0x0200_0000_00FEL);
            assertThat(withPayload.lookup(1, 3, 7, 10, TIMEOUT_NS)).isEqualTo(43);
            assertThat(withPayload.payload()).isEqualTo(0x0200_0000_00FFL);
        }
    }

    @Test
    void renewChangesTheFoundFlowsValueAndDeadline()
    {
        table.insert(1, 2, 7, 42, 0, TIMEOUT_NS);
        table.lookup(1, 2, 7, 10, TIMEOUT_NS);
        table.renew(43, 10, 100);
        assertThat(table.lookup(1, 2, 7, 110, TIMEOUT_NS)).isEqualTo(43);
        table.renew(44, 110, 100);
        assertThat(table.lookup(1, 2, 7, 211, TIMEOUT_NS)).as("past the renewed deadline").isEqualTo(MISSING);

        table.insert(5, 6, 7, 50, 0, TIMEOUT_NS);
        table.renew(51, 0, 10);
        assertThat(table.lookup(5, 6, 7, 5, TIMEOUT_NS)).as("renew after insert changes the inserted flow").isEqualTo(51);
    }

    @Test
    void peekFindsLiveFlowsWithoutChangingThem()
    {
        try (FlowTable withPayload = FlowTable.withPayload(64))
        {
            final long[] payload = new long[1];
            withPayload.insert(1, 2, 7, 42, 99, 0, TIMEOUT_NS);
            assertThat(withPayload.peek(1, 2, 7, 500, payload)).isEqualTo(42);
            assertThat(payload[0]).isEqualTo(99);
            assertThat(withPayload.peek(1, 3, 7, 500, payload)).isEqualTo(MISSING);
            assertThat(withPayload.peek(1, 2, 7, TIMEOUT_NS + 1, payload)).as("expired").isEqualTo(MISSING);
            assertThat(withPayload.lookup(1, 2, 7, 900, TIMEOUT_NS)).as("peek did not push the deadline").isEqualTo(42);
        }
    }

    /**
     * The owner keeps replacing the flows of one bucket while another thread peeks: every value
     * and payload a peek returns must belong to the key it asked for, never half of another entry.
     */
    @Test
    void aPeekOnAnotherThreadNeverReturnsAHalfWrittenEntry() throws Exception
    {
        peeksNeverReturnHalfWrittenEntries(key -> BUCKET_ZERO);
    }

    /** The same with flows at home in both halves of the bucket: the scan order differs, the seqlock's guarantee does not. */
    @Test
    void aPeekNeverReturnsAHalfWrittenEntryWhicheverHalfIsTheFlowsHome() throws Exception
    {
        peeksNeverReturnHalfWrittenEntries(key -> (key & 1) == 0 ? BUCKET_ZERO : SECOND_HOME);
    }

    private static void peeksNeverReturnHalfWrittenEntries(final LongToIntFunction hashOfKey) throws Exception
    {
        final int keys = 16; // four times the bucket's entries, so entries are replaced all the time
        final int writes = 5_000_000;
        try (FlowTable shared = FlowTable.withPayload(4))
        {
            final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            final java.util.concurrent.atomic.AtomicLong found = new java.util.concurrent.atomic.AtomicLong();
            final java.util.concurrent.atomic.AtomicReference<String> torn = new java.util.concurrent.atomic.AtomicReference<>();
            final Thread reader = new Thread(() ->
            {
                final long[] payload = new long[1];
                long hits = 0;
                for (long i = 0; !done.get() && torn.get() == null; i++)
                {
                    final long key = i % keys;
                    final long value = shared.peek(key, ~key, hashOfKey.applyAsInt(key), 0, payload);
                    if (value != MISSING)
                    {
                        hits++;
                        if ((value >>> 32) != key || payload[0] != key * 1_000_003L)
                        {
                            torn.set("key " + key + " read value " + value + " payload " + payload[0]);
                        }
                    }
                }
                found.set(hits);
            });
            reader.start();
            for (int i = 0; i < writes; i++)
            {
                final long key = i % keys;
                final int hash = hashOfKey.applyAsInt(key);
                shared.insert(key, ~key, hash, (key << 32) | (i & 0xFFFF), key * 1_000_003L, 0, Long.MAX_VALUE / 2);
            }
            done.set(true);
            reader.join();
            assertThat(torn.get()).as("a torn read").isNull();
            assertThat(found.get()).as("the reader found flows at all").isPositive();
        }
    }
}
