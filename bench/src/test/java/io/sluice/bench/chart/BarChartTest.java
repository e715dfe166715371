package io.sluice.bench.chart;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BarChartTest
{
    private final BarChart chart = new BarChart("Requests per second per proxy", "rps, <stamp> & co", "protocol", "per second",
        List.of("HTTP/1.1", "h2c"), List.of(new BarChart.Series("haproxy", List.of(20_000.0, 30_000.0)),
            new BarChart.Series("sluice-l7", List.of(10_000.0, Double.NaN))));

    @Test
    void theSvgIsWellFormedXmlWithItsTitleAxesAndLegend()
    {
        final SvgDocument svg = SvgDocument.parse(chart.svg());

        assertThat(svg.document().getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(svg.texts()).contains("Requests per second per proxy", "rps, <stamp> & co", "protocol", "per second",
            "HTTP/1.1", "h2c", "haproxy", "sluice-l7", "20k", "30k", "10k");
        assertThat(svg.elements("rect", "legend-key")).hasSize(2);
    }

    @Test
    void barHeightsAreProportionalToTheValuesAndStandOnTheAxis()
    {
        final List<Element> bars = SvgDocument.parse(chart.svg()).elements("rect", "bar");

        assertThat(bars).extracting(bar -> bar.getAttribute("data-series") + " " + bar.getAttribute("data-category"))
            .containsExactly("haproxy HTTP/1.1", "sluice-l7 HTTP/1.1", "haproxy h2c");
        final double perUnit = SvgDocument.number(bars.getFirst(), "height") / 20_000;
        for (final Element bar : bars)
        {
            assertThat(SvgDocument.number(bar, "height")).isCloseTo(SvgDocument.number(bar, "data-value") * perUnit, within(0.1));
            assertThat(SvgDocument.number(bar, "y") + SvgDocument.number(bar, "height"))
                .isCloseTo(BarChart.HEIGHT - BarChart.BOTTOM, within(0.1));
        }
    }

    @Test
    void theAxisEndsAtARoundNumberAtOrAboveTheLargestValue()
    {
        assertThat(LinearAxis.upTo(30_000)).isEqualTo(new LinearAxis(30_000, 10_000));
        assertThat(LinearAxis.upTo(378_132)).isEqualTo(new LinearAxis(400_000, 100_000));
        assertThat(LinearAxis.upTo(0.83).ticks()).containsExactly(0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0);
        assertThat(LinearAxis.label(1_500_000)).isEqualTo("1.5M");
        assertThat(LinearAxis.label(12_000)).isEqualTo("12k");
        assertThat(LinearAxis.label(0.31)).isEqualTo("0.31");
    }
}
