package io.sluice.bench.chart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChartsTest
{
    private static final String RPS = "{\"command\":\"x\",\"throughput\":[{\"proxy\":\"haproxy\",\"rps\":19799},"
        + "{\"proxy\":\"sluice-l7\",\"rps\":22502},{\"proxy\":\"direct\",\"rps\":70000}],\"latency\":["
        + "{\"proxy\":\"haproxy\",\"rate_pct\":50,\"offered_rps\":9900,\"p50_ms\":0.4,\"p99_ms\":6.6},"
        + "{\"proxy\":\"sluice-l7\",\"rate_pct\":50,\"offered_rps\":9900,\"p50_ms\":0.6,\"p99_ms\":20.7}]}";
    private static final String PPS = "{\"medians\":[{\"peer\":\"sluice-xdp\",\"traffic\":\"udp64\",\"delivered_pps\":378104},"
        + "{\"peer\":\"kernel-nft\",\"traffic\":\"udp64\",\"delivered_pps\":164700}]}";
    private static final String CACHE = "{\"bench\":\"cache\",\"stamp\":\"20261207T000000Z\","
        + "\"settings\":{\"proxy_cpu_pct\":\"40\"},"
        + "\"peers\":[{\"proxy\":\"sluice-l7\",\"rps\":{\"median\":40501},\"cold_rps\":11858},{\"proxy\":\"direct\",\"rps\":"
        + "{\"median\":70000},\"cold_rps\":0}],\"coalescing\":[{\"proxy\":\"sluice-l7\",\"variant\":\"cache\",\"concurrent\":100,"
        + "\"backend_requests\":{\"median\":1}}]}";

    @Test
    void everyResultGetsItsChartsBesideItAndItsReportLinksThem(@TempDir final Path root) throws IOException
    {
        write(root.resolve("results/rps-20261207T100000Z.json"), RPS);
        write(root.resolve("results/rps-20261207T100000Z.md"), "# rps\n\n- machine\n\n## Target\n\nmet\n");
        write(root.resolve("results/pps-20261207T090000Z.json"), PPS);
        write(root.resolve("cache/results/cache-20261207T000000Z.json"), CACHE);
        write(root.resolve("README.md"), "# bench\n\n<!-- charts: rps -->\nold\n<!-- /charts -->\n\n<!-- charts: cache -->\n"
            + "<!-- /charts -->\n");

        Charts.main(new String[] {root.toString()});
        final String report = Files.readString(root.resolve("results/rps-20261207T100000Z.md"));
        Charts.main(new String[] {root.toString()});

        assertThat(root.resolve("results/charts/rps-20261207T100000Z-throughput.svg")).exists();
        assertThat(root.resolve("results/charts/rps-20261207T100000Z-latency-50pct.svg")).exists();
        assertThat(root.resolve("results/charts/pps-20261207T090000Z-pps.svg")).exists();
        assertThat(root.resolve("cache/results/charts/cache-20261207T000000Z-coalescing.svg")).exists();
        assertThat(report).isEqualTo("# rps\n\n- machine\n\n## Charts\n\n"
            + "![Requests per second per proxy](charts/rps-20261207T100000Z-throughput.svg)\n\n"
            + "![Latency per proxy at 50 % load](charts/rps-20261207T100000Z-latency-50pct.svg)\n\n## Target\n\nmet\n");
        assertThat(Files.readString(root.resolve("results/rps-20261207T100000Z.md"))).isEqualTo(report);
        final String readme = Files.readString(root.resolve("README.md"));
        assertThat(readme).contains("<!-- charts: rps -->\n![Requests per second per proxy (20261207T100000Z)]"
                + "(results/charts/rps-20261207T100000Z-throughput.svg)\n")
            .contains("(cache/results/charts/cache-20261207T000000Z-throughput.svg)").doesNotContain("old");
    }

    @Test
    void directIsNamedInTheSubtitleRatherThanDrawn(@TempDir final Path root) throws IOException
    {
        write(root.resolve("results/rps-20261207T100000Z.json"), RPS);

        Charts.main(new String[] {root.toString()});

        final SvgDocument svg = SvgDocument.parse(
            Files.readString(root.resolve("results/charts/rps-20261207T100000Z-throughput.svg")));
        assertThat(svg.elements("rect", "bar")).extracting(bar -> bar.getAttribute("data-series"))
            .containsExactly("haproxy", "sluice-l7");
        assertThat(svg.texts()).contains("rps, 20261207T100000Z, warm; direct (no proxy) 70k/s");
    }

    @Test
    void aReportWithoutSectionsGetsItsChartsAtTheEndAndAnOldSectionIsReplaced()
    {
        final List<ChartLinks.Image> one = List.of(new ChartLinks.Image("a", "charts/a.svg"));

        assertThat(ChartLinks.withSection("# x\n", one)).isEqualTo("# x\n\n## Charts\n\n![a](charts/a.svg)\n\n");
        assertThat(ChartLinks.withSection("# x\n\n## Charts\n\n![b](charts/b.svg)\n\n## Runs\n", one))
            .isEqualTo("# x\n\n## Charts\n\n![a](charts/a.svg)\n\n## Runs\n");
    }

    private static void write(final Path file, final String text) throws IOException
    {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
