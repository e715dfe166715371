package io.sluice.bench.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RpsWindowTest
{
    @Test
    void rawTicksBecomePercentagesOfTheWindowInTheirPlace()
    {
        final Run run = RpsWindow.percentages(Run.parse("{\"kind\":\"throughput\",\"rps\":1000,\"window_ticks\":1000,\"hz\":100,"
            + "\"proxy_ticks\":900,\"backend_ticks\":300,\"cpu0_ticks\":950,"
            + "\"cpu1_ticks\":990,\"all_ticks\":2000,\"generator_cpu_s\":7.5,"
            + "\"proxy_rss_mib\":40,\"status\":\"ok\"}"));

        assertThat(run.line()).isEqualTo("{\"kind\":\"throughput\",\"rps\":1000,\"proxy_cpu_pct\":90,\"cpu0_busy_pct\":95,"
            + "\"cpu1_busy_pct\":99,\"others_cpu_pct\":5,\"proxy_rss_mib\":40,\"status\":\"ok\"}");
        assertThat(run.number("others_cpu_pct")).isEqualTo(5);
    }

    @Test
    void othersNeverGoBelowZero()
    {
        final Run run = RpsWindow.percentages(Run.parse("{\"window_ticks\":100,\"hz\":100,\"proxy_ticks\":100,"
            + "\"backend_ticks\":50,"
            + "\"cpu0_ticks\":90,\"cpu1_ticks\":100,\"all_ticks\":150,\"generator_cpu_s\":0.5}"));

        assertThat(run.text("others_cpu_pct")).isEqualTo("0");
    }

    @Test
    void aRunWithoutAWindowIsLeftAsItIs()
    {
        final Run run = Run.parse("{\"kind\":\"latency\",\"proxy_cpu_pct\":0,\"status\":\"failed\"}");

        assertThat(RpsWindow.percentages(run)).isSameAs(run);
    }
}
