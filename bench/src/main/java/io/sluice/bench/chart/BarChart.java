package io.sluice.bench.chart;

import java.util.List;

/**
 * A grouped bar chart: one group of bars per category along the x axis, one bar per series in
 * each group (a series' colour is the same in every group, named in the legend), bar heights
 * proportional to the values on a y axis from 0 with its grid, each bar's value above it. A series
 * without a value in a category (NaN) has no bar there.
 */
public record BarChart(String title, String subtitle, String xTitle, String yTitle, List<String> categories, List<Series> series)
{
    static final double WIDTH = 760;
    static final double HEIGHT = 420;
    static final double LEFT = 80;
    static final double RIGHT = 20;
    static final double TOP = 64;
    static final double BOTTOM = 110;

    /** One series: its name (the legend's) and a value per category, NaN where it has none. */
    public record Series(String name, List<Double> values)
    {
    }

    public String svg()
    {
        final double largest = series.stream().flatMap(s -> s.values().stream()).filter(v -> !v.isNaN())
            .mapToDouble(Double::doubleValue).max().orElse(0);
        final LinearAxis axis = LinearAxis.upTo(largest);
        final double plotWidth = WIDTH - LEFT - RIGHT;
        final double plotHeight = HEIGHT - TOP - BOTTOM;
        final double bottom = TOP + plotHeight;
        final Svg svg = new Svg(WIDTH, HEIGHT);
        Frame.titles(svg, title, subtitle, WIDTH);
        Frame.valueAxis(svg, axis, LEFT, TOP, plotWidth, plotHeight, yTitle);
        final double groupWidth = plotWidth / Math.max(1, categories.size());
        final double barWidth = groupWidth * 0.8 / Math.max(1, series.size());
        for (int c = 0; c < categories.size(); c++)
        {
            final double groupLeft = LEFT + c * groupWidth + groupWidth * 0.1;
            for (int s = 0; s < series.size(); s++)
            {
                final double value = series.get(s).values().get(c);
                if (Double.isNaN(value))
                {
                    continue;
                }
                final double height = axis.share(value) * plotHeight;
                final double x = groupLeft + s * barWidth;
                svg.group(series.get(s).name() + ", " + categories.get(c) + ": " + LinearAxis.label(value))
                    .element("rect", "class", "bar", "data-series", series.get(s).name(), "data-category", categories.get(c),
                        "data-value", value, "x", x + 1, "y", bottom - height, "width", Math.max(1, barWidth - 2),
                        "height", height, "fill", Svg.colour(s))
                    .text(LinearAxis.label(value), "x", x + barWidth / 2, "y", bottom - height - 4, "text-anchor", "middle",
                        "font-size", barWidth < 40 ? 8 : 10)
                    .end();
            }
            categoryLabel(svg, categories.get(c), LEFT + (c + 0.5) * groupWidth, bottom + 18);
        }
        svg.text(xTitle, "class", "axis-title", "x", LEFT + plotWidth / 2, "y", bottom + 52, "text-anchor", "middle");
        Frame.legend(svg, series.stream().map(Series::name).toList(), LEFT, HEIGHT - 36, WIDTH - RIGHT);
        return svg.document();
    }

    /** A category's name under its group; a name with a part in parentheses ("nginx (lock on)") on two lines, to fit. */
    private static void categoryLabel(final Svg svg, final String category, final double x, final double y)
    {
        final int open = category.indexOf(" (");
        svg.text(open < 0 ? category : category.substring(0, open), "class", "category", "x", x, "y", y, "text-anchor", "middle");
        if (open >= 0)
        {
            svg.text(category.substring(open + 1), "class", "category-detail", "x", x, "y", y + 14, "text-anchor", "middle",
                "font-size", 10);
        }
    }
}
