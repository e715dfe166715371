package io.sluice.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JmhComparisonTest
{
    @TempDir
    Path dir;

    private Path result(final String name, final double score, final double bytes) throws IOException
    {
        return Files.writeString(dir.resolve(name),
            "[{\"benchmark\":\"io.sluice.bench.PacketProcessorBenchmark.establishedFlow\","
            + "\"mode\":\"avgt\",\"params\":{\"mode\":\"dsr\",\"flows\":\"1024\"},\"primaryMetric\":{\"score\":" + score
            + ",\"scoreUnit\":\"ns/op\"},\"secondaryMetrics\":{\"gc.alloc.rate.norm\":{\"score\":" + bytes + "}}}]");
    }

    @Test
    void eachSideIsTheMedianOverItsRoundsAndEachRoundHasItsOwnRatio() throws IOException
    {
        final JmhComparison comparison = new JmhComparison(Context.of(List.of()),
            List.of(result("b1.json", 50, 0), result("b2.json", 60, 0), result("b3.json", 70, 0)),
            List.of(result("a1.json", 40, 0.5), result("a2.json", 66, 0.5), result("a3.json", 56, 0.5)));

        assertThat(comparison.rows()).singleElement().satisfies(row ->
        {
            assertThat(row.benchmark()).isEqualTo("PacketProcessorBenchmark.establishedFlow");
            assertThat(row.params()).isEqualTo("flows=1024,mode=dsr");
            assertThat(row.before().median()).isEqualTo(60);
            assertThat(row.after().median()).isEqualTo(56);
            assertThat(row.ratio()).isEqualTo(56.0 / 60);
            assertThat(row.rounds()).containsExactly(0.8, 1.1, 0.8);
            assertThat(row.allocatedAfter()).isEqualTo(0.5);
        });
    }
}
