package io.sluice.bench.report;

import java.util.List;

/**
 * bench/tls/run-tls's figures: for each kind of run and key type (one {@link TlsCalculation.Figure}
 * each) every proxy's medians and the generator's headroom for that figure; the open-loop latency
 * rows (over TLS to the first key type's listener); the target lines with
 * their verdicts; whether the run met its targets (true only when every verdict is met, false
 * when one is not, null while none could be given); the runs whose handshakes were not what their
 * kind says, left out of the figures; and the runs, CPU windows as percentages.
 */
public record TlsFigures(List<TlsCalculation.Figure> figures, List<RpsCalculation.Latency> latency,
    List<Target> targets, List<String> verdictLines, Boolean met, List<Run> unproven, RunSet runs)
{
    public static TlsFigures of(final Context context, final List<Run> runs)
    {
        return new TlsCalculation(context, runs.stream().map(RpsWindow::percentages).toList()).figures();
    }
}
