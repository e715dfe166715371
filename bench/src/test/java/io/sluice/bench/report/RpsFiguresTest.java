package io.sluice.bench.report;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RpsFiguresTest
{
    private static Run throughput(final String proxy, final int run, final double rps)
    {
        return ofKind("throughput", proxy, run, rps);
    }

    private static Run ofKind(final String kind, final String proxy, final int run, final double rps)
    {
        return Run.parse("{\"kind\":\"" + kind + "\",\"proxy\":\"" + proxy + "\",\"run\":" + run
            + ",\"status\":\"ok\",\"reason\":\"\","
            + "\"rps\":" + rps + ",\"non_2xx\":0,\"socket_errors\":1,\"wrk_p50_ms\":0.5,\"wrk_p99_ms\":2.0,\"proxy_cpu_pct\":100,"
            + "\"proxy_rss_mib\":50,\"command\":\"wrk\",\"proxy_command\":\"p\"}");
    }

    private static Run latency(final String proxy, final int pct, final double p99)
    {
        return Run.parse("{\"kind\":\"latency\",\"proxy\":\"" + proxy + "\",\"run\":1,\"rate_pct\":" + pct + ",\"status\":\"ok\","
            + "\"reason\":\"\",\"offered_rps\":5000,\"achieved_rps\":5000,\"rps_per_connection\":96.154,"
            + "\"failed\":0,\"non_2xx\":0,"
            + "\"p50_ms\":0.4,\"p99_ms\":" + p99
            + ",\"max_ms\":3,\"proxy_cpu_pct\":40,\"command\":\"h2load\",\"proxy_command\":\"p\"}");
    }

    private static Context context(final String ordered, final String... more)
    {
        final List<String> values = new ArrayList<>(List.of("ordered=" + ordered, "rates=50 80", "runs=1", "gen_cpu=0"));
        values.addAll(List.of(more));
        return Context.of(values);
    }

    private static List<Run> proxies(final double direct, final double haproxy, final double sluice)
    {
        return List.of(throughput("haproxy", 1, haproxy), throughput("sluice-l7", 1, sluice), throughput("direct", 1, direct),
            latency("haproxy", 50, 1.0), latency("sluice-l7", 50, 0.9), latency("haproxy", 80, 2.0),
                latency("sluice-l7", 80, 2.0));
    }

    @Test
    void aGeneratorBoundRunGivesNoVerdictAndNoTargetMet()
    {
        final RpsFigures figures = RpsFigures.of(context("haproxy,sluice-l7,direct"), proxies(150_000, 100_000, 110_000));

        assertThat(figures.headroom().state()).isEqualTo(Headroom.State.GENERATOR_BOUND);
        assertThat(figures.verdictLines().getFirst())
            .isEqualTo("- **generator-bound**: direct 150000 requests/s is only **1.36×** the best"
            + " proxy's 110000 (sluice-l7); below 2×, CPU 0 (the load generator and the backends) may be what limits the proxies:"
            + " **no verdict**");
        assertThat(figures.targets()).extracting(Target::verdict).containsOnly("no verdict");
        assertThat(figures.verdictLines()).contains("- **No verdict on the target** (generator headroom above).");
        assertThat(figures.met()).isNull();
    }

    @Test
    void withHeadroomEveryTargetMetMeetsTheTarget()
    {
        final RpsFigures figures = RpsFigures.of(context("haproxy,sluice-l7,direct"), proxies(300_000, 100_000, 120_000));

        assertThat(figures.targets()).extracting(t -> t.fields().get("what"))
            .containsExactly("sluice-l7 / haproxy rps per core", "p99 at 80 %", "p99 at 50 %");
        assertThat(figures.targets()).extracting(Target::verdict).containsOnly("met");
        assertThat(figures.verdictLines()).contains("- **The target is met.**");
        assertThat(figures.met()).isTrue();
        assertThat(figures.throughput()).filteredOn(t -> t.proxy().equals("sluice-l7")).singleElement()
            .satisfies(t -> assertThat(t.ratioToHaproxy()).isEqualTo(1.2));
    }

    @Test
    void oneTargetNotMetFailsTheRun()
    {
        final RpsFigures figures = RpsFigures.of(context("haproxy,sluice-l7,direct"), proxies(300_000, 100_000, 99_000));

        assertThat(figures.targets().getFirst().verdict()).isEqualTo("not met");
        assertThat(figures.verdictLines()).contains("- **The target is not met.**");
        assertThat(figures.met()).isFalse();
    }

    @Test
    void aRatioIsComparedAsPrinted()
    {
        final RpsFigures figures = RpsFigures.of(context("haproxy,sluice-l7,direct"), proxies(300_000, 100_000, 99_600));

        assertThat(figures.targets().getFirst().fields().get("value")).isEqualTo(new Target.Num(1.0, 2));
        assertThat(figures.targets().getFirst().verdict()).isEqualTo("met");
    }

    @Test
    void aLatencyNotMeasuredIsNotMetInTheLinesAndNotMeasuredInTheJson()
    {
        final List<Run> runs = List.of(throughput("haproxy", 1, 100_000), throughput("sluice-l7", 1, 120_000),
            throughput("direct", 1, 300_000));
        final RpsFigures figures = RpsFigures.of(context("haproxy,sluice-l7,direct"), runs);

        assertThat(figures.verdictLines())
            .contains("- p99 at 80 %: not measured (sluice l7: 0, haproxy: 0 successful runs): **not met**");
        assertThat(figures.targets()).extracting(Target::verdict).containsExactly("met", "not measured", "not measured");
        assertThat(figures.met()).isFalse();
    }

    @Test
    void withoutDirectTheHeadroomIsUnknown()
    {
        final List<Run> runs = List.of(throughput("haproxy", 1, 100_000), throughput("sluice-l7", 1, 120_000));
        final RpsFigures figures = RpsFigures.of(context("haproxy,sluice-l7"), runs);

        assertThat(figures.verdictLines().getFirst()).startsWith("- generator headroom unknown: `direct` was not among --only");
        assertThat(figures.met()).isNull();
    }

    @Test
    void theBaselineIsComparedRoundByRound()
    {
        final List<Run> runs = List.of(throughput("sluice-l7", 1, 100_000), throughput("sluice-l7-baseline", 1, 110_000),
            throughput("sluice-l7", 2, 100_000), throughput("sluice-l7-baseline", 2, 100_000), throughput("direct", 1, 300_000));
        final RpsFigures figures = RpsFigures.of(context("sluice-l7,sluice-l7-baseline,direct", "runs=2", "baseline=main~1",
            "baseline_short=abc1234", "sluice_commit=def5678"), runs);

        assertThat(figures.targets()).singleElement().satisfies(t ->
        {
            assertThat(t.fields().get("pairs")).isEqualTo(List.of(new Target.Num(0.91, 2), new Target.Num(1.0, 2)));
            assertThat(t.fields().get("value")).isEqualTo(new Target.Num(0.95, 2));
            assertThat(t.verdict()).isEqualTo("not met");
        });
        assertThat(figures.verdictLines())
            .contains("- sluice-l7 / sluice-l7-baseline requests per second: **0.95** (target ≥ 1.0, no worse"
            + " than before): **not met** (100000 vs 105000 requests/s, medians;"
            + " interleaved pairs 0.91, 1.00; sluice at def5678 vs abc1234"
            + " (--baseline main~1))");
        assertThat(figures.met()).isFalse();
    }

    @Test
    void theJsonHasTheHeadroomTheTargetsAndEveryRunAsRecorded()
    {
        final StringWriter out = new StringWriter();
        final Context context = context("haproxy,sluice-l7,direct", "machine=m", "virt=", "kernel=k", "jdk=j", "packages=p",
            "sluice_commit=c", "load_average=0", "command=run-rps", "seconds=2", "warmup_s=20", "max_rps=0", "backend_command=b");
        try (JsonOut json = new JsonOut(out))
        {
            new RpsReport(context, proxies(150_000, 100_000, 110_000)).writeJson(json);
        }

        assertThat(out.toString())
            .contains("\"headroom\":{\"direct_rps\":150000,\"best_proxy\":\"sluice-l7\",\"best_rps\":110000,"
            + "\"ratio\":1.36,\"state\":\"generator-bound\"}", "\"target_met\":null",
            "\"runs_detail\":[{\"kind\":\"throughput\",\"proxy\":\"haproxy\",\"run\":1,");
    }

    @Test
    void coldAndAfterOneRunAreTheirOwnFiguresAndSluiceColdIsATarget()
    {
        final List<Run> runs = new ArrayList<>(proxies(300_000, 100_000, 120_000));
        runs.addAll(List.of(ofKind("cold", "sluice-l7", 1, 60_000), ofKind("after-one-run", "sluice-l7", 1, 90_000),
            ofKind("cold", "haproxy", 1, 99_000), ofKind("after-one-run", "haproxy", 1, 100_000)));
        final RpsFigures figures = RpsFigures.of(context("haproxy,sluice-l7,direct", "cold_s=10"), runs);

        assertThat(figures.throughput()).filteredOn(t -> t.proxy().equals("sluice-l7")).singleElement()
            .satisfies(t -> assertThat(t.rps().median()).isEqualTo(120_000));
        assertThat(figures.warmUp()).extracting(RpsCalculation.WarmUp::proxy).containsExactly("haproxy", "sluice-l7");
        assertThat(figures.warmUp().get(1).coldShare()).isEqualTo(0.5);
        assertThat(figures.warmUp().get(1).afterOneRunShare()).isEqualTo(0.75);
        assertThat(figures.verdictLines()).contains("- sluice l7 cold / warm: **0.50** (target ≥ 0.8): **not met** (60000"
            + " requests/s in its first 10 s vs 120000 warm, medians)");
        assertThat(figures.met()).isFalse();
    }

    @Test
    void h2HasItsOwnHeadroomAndSluiceIsComparedWithTheBetterPeerOnEachProtocol()
    {
        final List<Run> runs = new ArrayList<>(proxies(300_000, 100_000, 120_000));
        runs.addAll(List.of(throughput("nginx", 1, 105_000), ofKind("throughput-h2", "haproxy", 1, 80_000),
            ofKind("throughput-h2", "nginx", 1, 90_000), ofKind("throughput-h2", "sluice-l7", 1, 95_000),
            ofKind("throughput-h2", "direct", 1, 150_000)));
        final RpsFigures figures = RpsFigures.of(context("haproxy,sluice-l7,nginx,direct"), runs);

        assertThat(figures.throughputH2()).extracting(RpsCalculation.Throughput::proxy)
            .containsExactly("haproxy", "sluice-l7", "nginx", "direct");
        assertThat(figures.headroom().state()).isEqualTo(Headroom.State.OK);
        assertThat(figures.headroomH2().state()).isEqualTo(Headroom.State.GENERATOR_BOUND);
        assertThat(figures.verdictLines()).contains("- HTTP/1.1: sluice l7 / the better of haproxy and nginx (nginx): **1.14**"
            + " (target ≥ 1.1): **met** (120000 vs 105000 requests/s, warm, medians)");
        assertThat(figures.verdictLines()).contains("- h2: sluice l7 / the better of haproxy and nginx (nginx): **1.06**"
            + " (target ≥ 1.1): **no verdict** (95000 vs 90000 requests/s, warm, medians; generator-bound)");
    }

    @Test
    void aRunWithoutTheLatencyPhaseHasNoP99TargetAndMayMeetTheRest()
    {
        final List<Run> runs = List.of(throughput("haproxy", 1, 100_000), throughput("sluice-l7", 1, 110_000),
            throughput("direct", 1, 300_000));
        final RpsFigures figures = RpsFigures.of(context("haproxy,sluice-l7,direct", "phases="), runs);

        assertThat(figures.targets()).extracting(t -> t.fields().get("what")).containsExactly("sluice-l7 / haproxy rps per core");
        assertThat(figures.verdictLines()).contains("- p99: not part of this run (`--phases` without latency)",
            "- **The target is met.**");
        assertThat(figures.met()).isTrue();
    }
}
