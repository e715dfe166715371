package io.sluice.bench.chart;

import java.util.List;

/** What every chart draws around its data: the title and subtitle, the value axis with its grid, and the legend. */
final class Frame
{
    private Frame()
    {
    }

    static void titles(final Svg svg, final String title, final String subtitle, final double width)
    {
        svg.text(title, "class", "title", "x", width / 2, "y", 24.0, "text-anchor", "middle", "font-size", 16,
            "font-weight", "bold");
        svg.text(subtitle, "class", "subtitle", "x", width / 2, "y", 44.0, "text-anchor", "middle", "fill", "#555");
    }

    /** The y axis from 0 (bottom of the plot) to the axis's maximum (top), its ticks as grid lines, and its title. */
    static void valueAxis(final Svg svg, final LinearAxis axis, final double left, final double top, final double width,
        final double height, final String title)
    {
        for (final double tick : axis.ticks())
        {
            final double y = top + height - axis.share(tick) * height;
            svg.element("line", "x1", left, "y1", y, "x2", left + width, "y2", y, "stroke", tick == 0 ? "#333" : "#ddd");
            svg.text(LinearAxis.label(tick), "class", "tick", "x", left - 6, "y", y + 4, "text-anchor", "end");
        }
        svg.element("line", "x1", left, "y1", top, "x2", left, "y2", top + height, "stroke", "#333");
        final double middle = top + height / 2;
        svg.text(title, "class", "axis-title", "x", 16.0, "y", middle, "text-anchor", "middle",
            "transform", "rotate(-90 16 " + Svg.num(middle) + ")");
    }

    /**
     * The legend: a coloured square and the name of each series, left to right from x, on as many
     * lines (16 px apart from y) as the width needs.
     */
    static void legend(final Svg svg, final List<String> names, final double x, final double y, final double width)
    {
        double at = x;
        double line = y;
        for (int i = 0; i < names.size(); i++)
        {
            final double needed = 16 + 7.2 * names.get(i).length() + 18;
            if (at > x && at + needed > width)
            {
                at = x;
                line += 16;
            }
            svg.element("rect", "class", "legend-key", "x", at, "y", line - 10, "width", 12.0, "height", 12.0,
                "fill", Svg.colour(i));
            svg.text(names.get(i), "class", "legend", "x", at + 16, "y", line);
            at += needed;
        }
    }
}
