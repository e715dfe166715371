package io.sluice.bench.report;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PpsReportTest
{
    private static Run raw(final String peer, final int run, final String status, final long rx, final long delivered)
    {
        return Run.parse("{\"peer\":\"" + peer + "\",\"traffic\":\"udp64\",\"run\":" + run + ",\"status\":\"" + status
            + "\",\"reason\":\"\",\"ns\":2000000000,\"rx\":" + rx + ",\"tx\":" + delivered + ",\"delivered\":" + delivered
            + ",\"dut_ticks\":100,\"cpu0_ticks\":200,\"cpu1_ticks\":150,\"hz\":100,\"command\":\"x\"}");
    }

    private static Context context(final String only)
    {
        return Context.of(List.of("only=" + only, "traffics=udp64", "machine=m", "kernel=k", "load_average=0", "command=c",
            "stamp=s", "gen_cpu=0", "dut_cpu=1", "seconds=2", "warmup_s=2", "runs=3", "lab=pps"));
    }

    @Test
    void aRunsFiguresComeFromItsCountersOverTheWindow()
    {
        final PpsRun run = PpsRun.of(raw("sluice-xdp", 1, "ok", 4_000_000, 2_000_000));

        assertThat(run.offeredPps()).isEqualTo(2_000_000);
        assertThat(run.deliveredPps()).isEqualTo(1_000_000);
        assertThat(run.dropped()).isEqualTo(2_000_000);
        assertThat(run.dutCpuNsPerPacket()).isEqualTo(500);
        assertThat(run.generatorCpuNsPerPacket()).isEqualTo(1000);
        assertThat(run.generatorBound()).isFalse();
    }

    @Test
    void aRunThatDeliveredMoreThanNinetyPerCentOfWhatWasOfferedIsGeneratorBound()
    {
        assertThat(PpsRun.of(raw("sluice-xdp", 1, "ok", 1_000_000, 910_000)).generatorBound()).isTrue();
        assertThat(PpsRun.of(raw("sluice-xdp", 1, "ok", 1_000_000, 900_000)).generatorBound()).isFalse();
    }

    @Test
    void theMedianIsOverSuccessfulRunsOnlyAndRatiosMeetTheirTargets()
    {
        final PpsReport report = new PpsReport(context("sluice-xdp,testpmd-af_xdp,kernel-nft"), List.of(
            raw("sluice-xdp", 1, "ok", 8_000_000, 2_000_000), raw("sluice-xdp", 2, "ok", 8_000_000, 4_000_000),
            raw("sluice-xdp", 3, "failed", 8_000_000, 0), raw("testpmd-af_xdp", 1, "ok", 8_000_000, 4_000_000),
            raw("kernel-nft", 1, "ok", 8_000_000, 1_000_000)));

        assertThat(report.medians().getFirst().delivered()).isEqualTo(new Summary(1_500_000, 1_000_000, 2_000_000, 2));
        assertThat(report.ratios()).extracting(PpsReport.Ratio::verdict)
            .containsExactly("not reached by 25%", "not reached by 25%");
        assertThat(report.ratios()).extracting(PpsReport.Ratio::ratio).containsExactly(0.75, 3.0);
    }

    @Test
    void aBaselinePeerIsComparedWithItsTwinAgainstNoWorse()
    {
        final PpsReport report = new PpsReport(context("sluice-packet,sluice-packet-baseline"), List.of(
            raw("sluice-packet", 1, "ok", 8_000_000, 2_000_000), raw("sluice-packet-baseline", 1, "ok", 8_000_000, 2_000_000)));

        assertThat(report.ratios()).singleElement().satisfies(r ->
        {
            assertThat(r.pair()).isEqualTo(new PpsReport.Pair("sluice-packet", "sluice-packet-baseline", 1.0));
            assertThat(r.verdict()).isEqualTo("reached");
        });
    }

    @Test
    void theMarkdownFlagsGeneratorBoundRuns()
    {
        final PpsReport report = new PpsReport(context("sluice-xdp"), List.of(raw("sluice-xdp", 1, "ok", 1_000_000, 1_000_000)));
        final StringWriter md = new StringWriter();
        report.writeMarkdown(new PrintWriter(md));

        assertThat(md.toString())
            .contains("| sluice-xdp | udp64 | 1 | 500000 | 500000 | 500000 | 0 |", "**Runs marked generator-bound");
    }
}
