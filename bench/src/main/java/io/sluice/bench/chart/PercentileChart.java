package io.sluice.bench.chart;

import java.util.List;
import java.util.Locale;

/**
 * Latency percentile curves, one per series: the x axis is the percentile on the scale latency
 * tails are read on, log10(1 / (1 - p)), so 50, 90, 99 and 99.9 are evenly spaced and the tail
 * gets as much room as the median; the y axis is milliseconds from 0.
 */
public record PercentileChart(String title, String subtitle, List<Curve> curves)
{
    static final double WIDTH = 760;
    static final double HEIGHT = 420;
    static final double LEFT = 80;
    static final double RIGHT = 30;
    static final double TOP = 64;
    static final double BOTTOM = 96;
    /** The percentiles the x axis marks. */
    static final List<Double> TICKS = List.of(50.0, 90.0, 99.0, 99.9);

    /** One point of a curve: a percentile (50, 99.9) and its latency in milliseconds. */
    public record Point(double percentile, double ms)
    {
    }

    public record Curve(String name, List<Point> points)
    {
    }

    /** The position of a percentile along the x axis: log10(1 / (1 - p / 100)), 0.30 for p50, 3 for p99.9. */
    public static double scale(final double percentile)
    {
        return Math.log10(100 / (100 - percentile));
    }

    public String svg()
    {
        final double highest = curves.stream().flatMap(c -> c.points().stream()).mapToDouble(Point::percentile)
            .max().orElse(99.9);
        final double from = scale(TICKS.getFirst());
        final double to = Math.max(scale(TICKS.getLast()), scale(highest));
        final LinearAxis axis = LinearAxis.upTo(curves.stream().flatMap(c -> c.points().stream()).mapToDouble(Point::ms)
            .max().orElse(0));
        final double plotWidth = WIDTH - LEFT - RIGHT;
        final double plotHeight = HEIGHT - TOP - BOTTOM;
        final double bottom = TOP + plotHeight;
        final Svg svg = new Svg(WIDTH, HEIGHT);
        Frame.titles(svg, title, subtitle, WIDTH);
        Frame.valueAxis(svg, axis, LEFT, TOP, plotWidth, plotHeight, "latency (ms)");
        for (final double tick : TICKS)
        {
            final double x = LEFT + (scale(tick) - from) / (to - from) * plotWidth;
            svg.element("line", "x1", x, "y1", TOP, "x2", x, "y2", bottom, "stroke", "#eee");
            svg.text("p" + percentileText(tick), "class", "tick", "x", x, "y", bottom + 18, "text-anchor", "middle");
        }
        svg.text("percentile (log scale of 1 / (1 - p))", "class", "axis-title", "x", LEFT + plotWidth / 2, "y", bottom + 40,
            "text-anchor", "middle");
        for (int i = 0; i < curves.size(); i++)
        {
            final Curve curve = curves.get(i);
            final StringBuilder points = new StringBuilder();
            svg.group(curve.name(), "class", "curve", "data-series", curve.name());
            for (final Point p : curve.points())
            {
                final double x = LEFT + (scale(p.percentile()) - from) / (to - from) * plotWidth;
                final double y = bottom - axis.share(p.ms()) * plotHeight;
                points.append(points.isEmpty() ? "" : " ").append(Svg.num(x)).append(',').append(Svg.num(y));
                svg.element("circle", "class", "point", "data-percentile", p.percentile(), "data-ms", p.ms(), "cx", x, "cy", y,
                    "r", 3.5, "fill", Svg.colour(i));
            }
            svg.element("polyline", "points", points.toString(), "fill", "none", "stroke", Svg.colour(i), "stroke-width", 2.0);
            svg.end();
        }
        Frame.legend(svg, curves.stream().map(Curve::name).toList(), LEFT, HEIGHT - 36, WIDTH - RIGHT);
        return svg.document();
    }

    static String percentileText(final double percentile)
    {
        return percentile == Math.rint(percentile) ? String.format(Locale.ROOT, "%.0f", percentile)
            : String.format(Locale.ROOT, "%s", percentile);
    }
}
