package io.sluice.bench.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The open-loop latency runs of run-rps and run-tls as percentile curves: one chart per offered
 * rate (a share of the reference peer's maximum, as each harness chooses it), one curve per proxy through the percentiles the
 * result has (p50 and p99 always; p90 and p99.9 where they were recorded).
 */
final class LatencyCharts
{
    /** A result's field for each percentile, in order along the curve. */
    private static final List<Map.Entry<Double, String>> FIELDS = List.of(Map.entry(50.0, "p50_ms"), Map.entry(90.0, "p90_ms"),
        Map.entry(99.0, "p99_ms"), Map.entry(99.9, "p999_ms"));

    private LatencyCharts()
    {
    }

    static List<ResultCharts.Chart> of(final String stamp, final List<Map<?, ?>> rows)
    {
        final List<ResultCharts.Chart> charts = new ArrayList<>();
        for (final String rate : ResultTree.distinct(rows, r -> ResultTree.text(r, "rate_pct")))
        {
            final List<Map<?, ?>> atRate = rows.stream().filter(r -> rate.equals(ResultTree.text(r, "rate_pct"))).toList();
            final List<PercentileChart.Curve> curves = atRate.stream().map(LatencyCharts::curve)
                .filter(c -> !c.points().isEmpty()).toList();
            if (curves.isEmpty())
            {
                continue;
            }
            final String offered = LinearAxis.label(ResultTree.number(atRate.getFirst(), "offered_rps"));
            final PercentileChart chart = new PercentileChart("Latency per proxy at " + rate + " % load",
                stamp + ": " + offered + " requests/s offered (open loop, h2load), percentiles of every request", curves);
            charts.add(new ResultCharts.Chart("latency-" + rate + "pct", chart.title(), chart.svg()));
        }
        return charts;
    }

    private static PercentileChart.Curve curve(final Map<?, ?> row)
    {
        final List<PercentileChart.Point> points = new ArrayList<>();
        for (final Map.Entry<Double, String> field : FIELDS)
        {
            final double ms = ResultTree.number(row, field.getValue());
            if (ms > 0)
            {
                points.add(new PercentileChart.Point(field.getKey(), ms));
            }
        }
        return new PercentileChart.Curve(ResultTree.text(row, "proxy"), points);
    }
}
