package io.sluice.bench;

import io.sluice.forwarder.maglev.MaglevTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/** A Maglev table build as the conductor does it on a configuration change: budget 2 ms for M = 65537, 100 reals. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Thread)
public class MaglevBuildBenchmark
{
    @Param({"100"})
    public int reals;

    @Param({"65537"})
    public int tableSize;

    /** Equal weights is the paper's case; unequal adds rounds where only the heavy reals take turns. */
    @Param({"equal", "1-to-10"})
    public String weighting;

    private long[] keys;
    private int[] weights;

    @Setup
    public void setUp()
    {
        keys = new long[reals];
        weights = new int[reals];
        for (int i = 0; i < reals; i++)
        {
            keys[i] = MaglevTable.endpointKey(0xC612_000B + i, 80);
        }
        if ("equal".equals(weighting))
        {
            Arrays.fill(weights, 100);
        }
        else
        {
            for (int i = 0; i < reals; i++)
            {
                weights[i] = 1 + i % 10;
            }
        }
    }

    @Benchmark
    public int[] build()
    {
        return MaglevTable.build(keys, weights, tableSize);
    }
}
