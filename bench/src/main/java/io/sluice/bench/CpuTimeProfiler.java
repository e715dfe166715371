package io.sluice.bench;

import com.sun.management.OperatingSystemMXBean;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

/**
 * {@code -prof io.sluice.bench.CpuTimeProfiler}: the benchmark JVM's CPU time per operation
 * ({@code cpu.time.norm}, microseconds), beside JMH's wall-clock time. On a machine whose cores
 * other work shares, a thread that waits for a core still counts wall-clock time; CPU time counts
 * only the work, so an A/B of a CPU-bound operation reads it as a ratio even under load (the JIT
 * and GC threads count too: read it after warm-up). This machine's VM has no hardware counters
 * for JMH's {@code perfnorm}.
 */
public final class CpuTimeProfiler implements InternalProfiler
{
    private final OperatingSystemMXBean os = (OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();
    private long startNanos;

    @Override
    public String getDescription()
    {
        return "the JVM's CPU time per operation";
    }

    @Override
    public void beforeIteration(final BenchmarkParams benchmark, final IterationParams iteration)
    {
        startNanos = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(final BenchmarkParams benchmark, final IterationParams iteration,
        final IterationResult result)
    {
        final long cpuNanos = os.getProcessCpuTime() - startNanos;
        final long ops = result.getMetadata().getAllOps();
        final double perOp = ops == 0 ? Double.NaN : cpuNanos / 1000.0 / ops;
        return List.of(new ScalarResult("cpu.time.norm", perOp, "us/op", AggregationPolicy.AVG));
    }
}
