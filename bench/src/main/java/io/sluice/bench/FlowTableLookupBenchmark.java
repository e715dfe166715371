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
 * Flow-table lookups of established flows in one table of fixed capacity holding 1 k, 100 k or
 * 1 M flows, looked up in an order unrelated to where they sit. The work per lookup is the same
 * (one bucket, two cache lines); what changes with the count is only how much of the table the
 * CPU caches hold, so the figures show the memory cost of a large flow table rather than any
 * algorithmic growth.
 *
 * <p>{@code lookup}: one at a time, each waiting for nothing but what the CPU overlaps on its
 * own. {@code lookupBurst}: as the workers look flows up, {@link #BURST} at a time, every
 * bucket of the burst touched ({@link FlowTable#touch}) before the first lookup, so their cache
 * misses are in flight together; reported per lookup.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Thread)
public class FlowTableLookupBenchmark
{
    /** 2 Mi entries, 64 MiB: room for 1 M flows at half load, so few buckets overflow. */
    static final int CAPACITY = 1 << 21;
    static final long NOW_NS = 1_000_000_000L;
    static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(300);
    /** Frames a worker takes from its ring at once. */
    static final int BURST = 64;

    @Param({"1000", "100000", "1000000"})
    public int occupied;

    private FlowTable table;
    private long[] keys0;
    private long[] keys1;
    private int[] hashes;
    private int next;

    @Setup(Level.Trial)
    public void setUp()
    {
        table = new FlowTable(CAPACITY);
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
        long sink = 0;
        int index = first;
        for (int i = 0; i < BURST; i++)
        {
            sink += table.touch(hashes[index]);
            index = index + 1 == occupied ? 0 : index + 1;
        }
        index = first;
        for (int i = 0; i < BURST; i++)
        {
            sink += table.lookup(keys0[index], keys1[index], hashes[index], NOW_NS, TIMEOUT_NS);
            index = index + 1 == occupied ? 0 : index + 1;
        }
        next = index;
        return sink;
    }
}
