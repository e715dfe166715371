package io.sluice.bench.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CompressReportTest
{
    private final CompressReport report = new CompressReport(HarnessFixtures.context("runs=2", "ordered=sluice-l7 nginx direct",
        "gzip_level=6", "brotli_level=4", "zstd_level=3", "body_bytes=65536", "body=awk", "wrk_connections=64",
        "haproxy_compressor=libslz"), HarnessFixtures.runs("compress-runs.jsonl"));

    @Test
    void cpuPerMibIsTheCgroupsTimeOverTheUncompressedBytesServed()
    {
        final CompressFigures.Peer sluice = report.figures().peers().getFirst();

        assertThat(sluice.rates().rps()).isEqualTo(new Summary(350, 300, 400, 2));
        assertThat(sluice.rates().coldRps()).isEqualTo(150);
        assertThat(sluice.rates().coldOverWarm()).isEqualTo(0.43);
        assertThat(sluice.cpuMsPerMib()).isEqualTo(18.67);
        assertThat(sluice.compressionRatio()).isEqualTo(6.55);
        assertThat(sluice.wrkBytesPerResponse()).isEqualTo(10100);
        assertThat(sluice.level()).isEqualTo("gzip 6");
    }

    @Test
    void aFailedCheckIsSaidAndItsRoundLeftOut()
    {
        final CompressFigures.Peer nginx = report.figures().peers().get(1);

        assertThat(nginx.checked().verified()).isFalse();
        assertThat(nginx.checked().failures()).containsExactly("round 2: no Content-Encoding");
        assertThat(nginx.rates().rps().count()).isEqualTo(1);
        assertThat(nginx.wireBodyBytes()).isEqualTo(8000);
        assertThat(nginx.runsFailed()).isEqualTo(1);
    }

    @Test
    void sluiceAgainstNginxHasTheRatioPerRoundTheCostAndAVerdict()
    {
        final Target line = report.figures().targets().getFirst();

        assertThat(report.figures().headroom().state()).isEqualTo(Headroom.State.OK);
        assertThat(line.fields()).containsEntry("ratio", new Target.Num(0.7, 2)).containsEntry("verdict", "not met")
            .containsEntry("cpu_ms_per_mib_ratio", new Target.Num(18.67 / 12.8, 2))
            .containsEntry("wire_bytes_ratio", new Target.Num(1.25, 2));
        assertThat(report.figures().targets().get(1).verdict()).isEqualTo("not measured");
        assertThat(report.figures().met()).isFalse();
    }

    @Test
    void theMarkdownHasTheTablesAndTheTargetLines()
    {
        final String md = HarnessFixtures.text(report::writeMarkdown);

        assertThat(md).contains("| sluice-l7 | gzip | gzip 6 | 350 (300-400, 2) | 150 | 0.43 | 18.67 | 10000 | 6.55 | 10100 |")
            .contains("- sluice-l7 / nginx responses per second, gzip 6 both: 350 / 500 = **0.70x** (per round: 0.80);"
                + " CPU per MiB 1.46x, bytes on the wire 1.25x; target >= 1x: not met")
            .contains("- sluice-l7 (gzip 6) / haproxy (libslz) responses per second: not measured")
            .contains("direct (the generator straight at a backend, nothing compressed) 2000 responses/s, the best proxy (nginx)"
                + " 500: 4.00x, ok (the rule: at least 2x).")
            .contains("target met: false");
        assertThat(HarnessFixtures.json(report::writeJson)).startsWith("{\"bench\":\"compress\"")
            .contains("\"target_met\":false");
    }
}
