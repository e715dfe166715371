package io.sluice.bench.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU use over one requests-per-second measurement, from the clock ticks run-rps read before and
 * after it: the proxy's own time (all threads), each CPU's busy time (user, system, irq,
 * softirq), and what other processes used on both CPUs (all busy time less the proxy's, the
 * backends' and the load generator's; never below zero), each as a percentage of the window.
 */
public final class RpsWindow
{
    static final List<String> RAW = List.of("window_ticks", "hz", "proxy_ticks", "backend_ticks", "cpu0_ticks", "cpu1_ticks",
        "all_ticks", "generator_cpu_s");

    private RpsWindow()
    {
    }

    /** The run with its raw window ticks replaced by the percentages; a run without them (one that failed) as it is. */
    public static Run percentages(final Run run)
    {
        if (!run.fields().containsKey("window_ticks"))
        {
            return run;
        }
        final double hz = run.number("hz");
        final double seconds = Math.max(run.number("window_ticks"), 1) / hz;
        final double proxy = run.number("proxy_ticks") / hz;
        final double others = Math.max(0,
            run.number("all_ticks") / hz - proxy - run.number("backend_ticks") / hz - run.number("generator_cpu_s"));
        final Map<String, String> figures = new LinkedHashMap<>();
        figures.put("proxy_cpu_pct", percent(proxy, seconds));
        figures.put("cpu0_busy_pct", percent(run.number("cpu0_ticks") / hz, seconds));
        figures.put("cpu1_busy_pct", percent(run.number("cpu1_ticks") / hz, seconds));
        figures.put("others_cpu_pct", percent(others, seconds));
        return run.replacing(RAW, figures);
    }

    private static String percent(final double cpuSeconds, final double seconds)
    {
        return Fixed.of(cpuSeconds / seconds * 100, 0);
    }
}
