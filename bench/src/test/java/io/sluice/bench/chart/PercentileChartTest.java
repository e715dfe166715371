package io.sluice.bench.chart;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PercentileChartTest
{
    private final PercentileChart chart = new PercentileChart("Latency per proxy at 50 % load", "6452 requests/s offered",
        List.of(new PercentileChart.Curve("haproxy", List.of(new PercentileChart.Point(50, 0.4), new PercentileChart.Point(90, 2),
                new PercentileChart.Point(99, 6.6), new PercentileChart.Point(99.9, 12.1))),
            new PercentileChart.Curve("sluice-l7",
                List.of(new PercentileChart.Point(50, 0.6), new PercentileChart.Point(99, 20.7)))));

    @Test
    void theSvgIsWellFormedXmlWithItsPercentileTicksAndLegend()
    {
        final SvgDocument svg = SvgDocument.parse(chart.svg());

        assertThat(svg.texts()).contains("Latency per proxy at 50 % load", "latency (ms)", "p50", "p90", "p99", "p99.9",
            "haproxy", "sluice-l7");
        assertThat(svg.elements("g", "curve")).hasSize(2);
        assertThat(svg.elements("polyline", null)).hasSize(2);
    }

    @Test
    void thePercentilesAreEvenlySpacedOnTheLogScaleOfTheTail()
    {
        final List<Element> points = SvgDocument.parse(chart.svg()).elements("circle", "point").subList(0, 4);
        final double p50 = SvgDocument.number(points.get(0), "cx");
        final double p90 = SvgDocument.number(points.get(1), "cx");
        final double p99 = SvgDocument.number(points.get(2), "cx");
        final double p999 = SvgDocument.number(points.get(3), "cx");

        assertThat(p999 - p99).isCloseTo(p99 - p90, within(0.2));
        assertThat((p90 - p50) / (p99 - p90)).isCloseTo(1 - Math.log10(2), within(0.01));
        assertThat(PercentileChart.scale(99.9)).isCloseTo(3, within(1e-9));
    }

    @Test
    void aPointsHeightIsProportionalToItsLatency()
    {
        final List<Element> points = SvgDocument.parse(chart.svg()).elements("circle", "point");
        final double bottom = PercentileChart.HEIGHT - PercentileChart.BOTTOM;
        final double perMs = (bottom - SvgDocument.number(points.get(3), "cy")) / 12.1;

        for (final Element point : points)
        {
            assertThat(bottom - SvgDocument.number(point, "cy")).isCloseTo(SvgDocument.number(point, "data-ms") * perMs,
                within(0.15));
        }
    }
}
