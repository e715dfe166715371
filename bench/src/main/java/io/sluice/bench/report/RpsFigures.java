package io.sluice.bench.report;

import java.util.List;

/**
 * bench/rps/run-rps's figures: per proxy the medians of its throughput runs (warm over HTTP/1.1
 * and h2, cold, after one run) and latency runs, the generator's headroom for each protocol, the
 * target lines with their verdicts, and whether the run met its targets: true only when every verdict is met, false when one is not, null while none could be
 * given. The runs are those the figures were made from, CPU windows as percentages.
 */
public record RpsFigures(List<RpsCalculation.Throughput> throughput, List<RpsCalculation.Throughput> throughputH2,
    List<RpsCalculation.Latency> latency, List<RpsCalculation.WarmUp> warmUp, Headroom headroom, Headroom headroomH2,
    List<Target> targets, List<String> verdictLines, Boolean met, RunSet runs)
{
    public static RpsFigures of(final Context context, final List<Run> runs)
    {
        return new RpsCalculation(context, runs).figures();
    }
}
