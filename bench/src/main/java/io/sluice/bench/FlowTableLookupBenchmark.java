package io.sluice.bench;

import io.sluice.forwarder.flow.FlowHash;
import io.sluice.forwarder.flow.FlowTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Flow-table lookups of established flows in one table holding 1 k, 100 k, 1 M or 4 M flows
 * (2 Mi entries, or twice the flows rounded up to a power of two: at most half full, so few
 * buckets overflow), looked up in an order unrelated to where they sit. The work per lookup is
 * the same (one bucket, nearly always its home cache line); what changes with the count is only
 * how much of the table the CPU's caches and TLB hold, so the figures show the memory cost of a
 * large flow table rather than any algorithmic growth.
 *
 * <p>{@code lookupBurst} is what a worker does, and what the budget "lookup flat from 1 k to
 * 1 M entries" is about: {@link #BURST} keys hashed, every one's home line touched
 * ({@link FlowTable#touch}) so that their cache misses are in flight together, then the
 * lookups; reported per lookup. {@code touchBurst} is its memory part alone (the same hashes and
 * touches, no lookup): the floor a burst cannot go below on this machine, so {@code lookupBurst}
 * minus it is the lookups' own work. {@code lookup}, one at a time with each miss waiting for
 * nothing but what the CPU overlaps on its own, is kept for comparison.
 *
 * <p>Run as the forwarder runs, with Agrona's bounds checks off (as {@link PacketProcessorBenchmark}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED",
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=" + PacketProcessorBenchmark.BOUNDS_CHECKS_DISABLED})
@State(Scope.Thread)
public class FlowTableLookupBenchmark
{
    /** The smallest table, 2 Mi entries (64 MiB): room for 1 M flows at half load, so few buckets overflow. */
    static final int MIN_CAPACITY = 1 << 21;
    static final long NOW_NS = 1_000_000_000L;
    static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(300);
    /** Frames a worker takes from its ring at once. */
    static final int BURST = 64;

    @Param({"1000", "100000", "1000000", "4000000"})
    public int occupied;

    private FlowTable table;
    private long[] keys0;
    private long[] keys1;
    private int[] hashes;
    /** The hashes of the burst being looked up, computed in the burst as the worker computes them. */
    private final int[] burstHashes = new int[BURST];
    private int next;

    @Setup(Level.Trial)
    public void setUp()
    {
        int capacity = MIN_CAPACITY;
        while (capacity < 2 * occupied)
        {
            capacity <<= 1;
        }
        table = new FlowTable(capacity);
        keys0 = new long[occupied];
        keys1 = new long[occupied];
        hashes = new int[occupied];
        for (int i = 0; i < occupied; i++)
        {
            keys0[i] = FlowHash.key0(0xC613_0000 + (i >>> 6), 0xC612_0101);
            keys1[i] = FlowHash.key1(1024 + (i & 63), 443, 6);
            hashes[i] = FlowHash.hash(keys0[i], keys1[i]);
            table.insert(keys0[i], keys1[i], hashes[i], i, NOW_NS, TIMEOUT_NS);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        table.close();
    }

    @Benchmark
    public long lookup()
    {
        final int index = next;
        next = index + 1 == occupied ? 0 : index + 1;
        return table.lookup(keys0[index], keys1[index], hashes[index], NOW_NS, TIMEOUT_NS);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public long lookupBurst()
    {
        final FlowTable table = this.table;
        final int first = next;
        long sink = touch(first);
        int index = first;
        for (int i = 0; i < BURST; i++)
        {
            sink += table.lookup(keys0[index], keys1[index], burstHashes[i], NOW_NS, TIMEOUT_NS);
            index = index + 1 == occupied ? 0 : index + 1;
        }
        next = index;
        return sink;
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public long touchBurst()
    {
        final int first = next;
        next = (int)((first + (long)BURST) % occupied);
        return touch(first);
    }

    /** Hashes the burst's keys from {@code first} into {@link #burstHashes}, then touches every one's home line. */
    private long touch(final int first)
    {
        final FlowTable table = this.table;
        final int[] burstHashes = this.burstHashes;
        int index = first;
        for (int i = 0; i < BURST; i++)
        {
            burstHashes[i] = FlowHash.hash(keys0[index], keys1[index]);
            index = index + 1 == occupied ? 0 : index + 1;
        }
        long sink = 0;
        for (int i = 0; i < BURST; i++)
        {
            sink += table.touch(burstHashes[i]);
        }
        return sink;
    }
}
