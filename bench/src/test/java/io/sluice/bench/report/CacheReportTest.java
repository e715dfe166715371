package io.sluice.bench.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CacheReportTest
{
    private final CacheReport report = new CacheReport(HarnessFixtures.context("runs=1", "ordered=sluice-l7 nginx direct",
        "objects=1000", "object_bytes=4096", "cache_mib=64", "max_object=1048576", "slow_delay_s=1", "coalesce_n=100",
        "h1_connections=64", "slow_command=python3"), HarnessFixtures.runs("cache-runs.jsonl"));

    @Test
    void hitRateIsOneLessTheBackendsShareOfTheRequests()
    {
        final CacheFigures.Peer sluice = report.figures().peers().getFirst();

        assertThat(sluice.hitRate()).isEqualTo(0.99);
        assertThat(sluice.coldHitRate()).isEqualTo(1.0);
        assertThat(sluice.cpuUsPerRequest()).isEqualTo(500.0);
        assertThat(sluice.fillBackendRequests()).isEqualTo(999);
        assertThat(sluice.secondCacheStatus()).isEqualTo("sluice; hit");
    }

    @Test
    void coalescingIsGroupedByPeerThenVariantAndSluicesGoalIsOneBackendRequest()
    {
        assertThat(report.figures().coalescing()).extracting(CacheFigures.Coalescing::variant)
            .containsExactly("cache", "proxy_cache_lock off", "proxy_cache_lock on");
        final Target goal = report.figures().targets().getLast();

        assertThat(goal.verdict()).isEqualTo("met");
        assertThat(goal.fields()).containsEntry("per_round", List.of(new Target.Num(1, 0)));
    }

    @Test
    void aGeneratorBoundRunGivesNoVerdictOnRatesButTheCountStill()
    {
        assertThat(report.figures().headroom().state()).isEqualTo(Headroom.State.GENERATOR_BOUND);
        assertThat(report.figures().targets()).extracting(Target::verdict)
            .containsExactly("no verdict", "not measured", "no verdict", "met");
        assertThat(report.figures().met()).isNull();
    }

    @Test
    void theMarkdownHasTheTablesAndTheTargetLines()
    {
        final String md = HarnessFixtures.text(report::writeMarkdown);

        assertThat(md).contains("| sluice-l7 | 1000 (1000-1000, 1) | 500 | 0.50 | 0.9900 | 1.0000 | 500.0 | 999 | 6.00 | yes |"
                + " sluice; hit |")
            .contains("| nginx | proxy_cache_lock on | 100 | 1 (1-1) | 1 | 100 | 1.50 |  |")
            .contains("- sluice-l7 coalescing: backend requests for 100 concurrent misses of one key, each round (goal 1;"
                + " a count, whatever the headroom): **1** (answered: 100); met")
            .contains("| fill | sluice-l7 | 1 | ok | - | 1000 | 0 | 0 | 999 | 0.00 | 0.00 |  |")
            .contains("target met: no verdict");
    }
}
