package io.sluice.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayReportTest
{
    private final GatewayReport report = new GatewayReport(HarnessFixtures.context("runs=2",
        "ordered=direct plain rate-limit-global", "wrk_connections=64", "redis_command=redis-server", "issuer=i", "audience=a",
        "unlimited=rate: 1000000000/s"), HarnessFixtures.runs("gateway-runs.jsonl"));

    @Test
    void aFiltersCostIsTheMedianOfTheRoundsCpuDifferencesAndFromTheRates()
    {
        final GatewayFigures.Cost cost = report.figures().costs().getFirst();

        assertThat(cost.filter()).isEqualTo("rate-limit-global");
        assertThat(cost.costUsPerRound()).containsExactly(5.0, 6.0);
        assertThat(cost.costUs()).isEqualTo(5.5);
        assertThat(cost.costUsFromRates()).isEqualTo(5.0);
    }

    @Test
    void redisRoundTripsPerRequestAreCountedPerRound()
    {
        final GatewayFigures.Redis redis = report.figures().peers().getLast().redis();

        assertThat(redis.roundTripsPerRound()).containsExactly(1.0, 1.002);
        assertThat(redis.roundTripsPerRequest()).isEqualTo(1.001);
        assertThat(redis.cpuUsPerRequest()).isEqualTo(12.5);
        assertThat(redis.cpuPct()).isEqualTo(20.0);
        assertThat(report.figures().peers().get(1).redis()).isNull();
        assertThat(report.figures().targets().getLast().verdict()).isEqualTo("met");
    }

    @Test
    void everyVariantIsComparedWithPlainAndColdWithWarm()
    {
        assertThat(report.figures().targets()).extracting(t -> t.fields().get("what")).containsExactly(
            "rate-limit-global / plain requests per second", "plain cold / warm requests per second (DESIGN.md: >= 0.8)",
            "rate-limit-global cold / warm requests per second (DESIGN.md: >= 0.8)",
            "rate-limit-global: Redis round trips per request, each round (goal 1; a count, whatever the headroom)");
        assertThat(report.figures().targets().getFirst().fields()).containsEntry("per_round",
            List.of(new Target.Num(0.8, 2), new Target.Num(0.8, 2)));
        assertThat(report.figures().met()).isFalse();
    }

    @Test
    void theMarkdownHasTheTablesAndTheTargetLines()
    {
        final String md = HarnessFixtures.text(report::writeMarkdown);

        assertThat(md).contains("| rate-limit-global | 5.50 | 5.00, 6.00 | 5.00 |")
            .contains("- round trips per request (eval + evalsha calls in INFO commandstats over the requests): **1.001**"
                + " (per round: 1.000, 1.002; goal 1)")
            .contains("- rate-limit-global / plain requests per second: 16000 / 20000 = **0.80x** (per round: 0.80, 0.80)")
            .contains("**1.000, 1.002**; met")
            .contains("| warm | rate-limit-global | 2 | ok | 16000 | 160000 | null | 4.16 | 6.00 | 160320 |  |");
    }

    @Test
    void aResultFileReadBackMakesTheSameReport(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("gateway.json");
        Files.writeString(file, HarnessFixtures.json(report::writeJson));

        final HarnessResult result = HarnessResult.read(file);

        assertThat(result.bench()).isEqualTo("gateway");
        assertThat(result.runs()).hasSize(11);
        final GatewayReport again = new GatewayReport(result.context(), result.runs());
        assertThat(HarnessFixtures.text(again::writeMarkdown)).isEqualTo(HarnessFixtures.text(report::writeMarkdown));
        final Path written = dir.resolve("again.json");
        Files.writeString(written, HarnessFixtures.json(again::writeJson));
        assertThat(JsonTree.read(written)).isEqualTo(JsonTree.read(file));
    }
}
