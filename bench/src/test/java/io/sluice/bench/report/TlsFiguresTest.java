package io.sluice.bench.report;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TlsFiguresTest
{
    private static Run run(final String kind, final String key, final String proxy, final double rate, final double requests,
        final double resumed, final String protocol)
    {
        return Run.parse("{\"kind\":\"" + kind + "\",\"key\":\"" + key + "\",\"proxy\":\"" + proxy + "\",\"run\":1,"
            + "\"status\":\"ok\",\"reason\":\"\",\"rps\":" + rate + ",\"requests\":" + requests + ",\"resumed\":" + resumed
            + ",\"errors\":0,\"non_2xx\":0,\"protocol\":\"" + protocol + "\",\"proxy_cpu_pct\":40,\"proxy_rss_mib\":50,"
            + "\"command\":\"g\",\"proxy_command\":\"p\"}");
    }

    private static Run full(final String proxy, final double rate)
    {
        return run("handshake-full", "ecdsa", proxy, rate, rate * 2, 0, "HTTP/1.0");
    }

    private static Context context()
    {
        return Context.of(List.of("ordered=haproxy sluice-l7 nginx direct", "keys=ecdsa,rsa", "runs=1", "gen_cpu=0"));
    }

    @Test
    void eachFigureHasItsOwnHeadroomAndIsComparedWithTheBetterPeer()
    {
        final List<Run> runs = List.of(full("haproxy", 1000), full("sluice-l7", 1200), full("nginx", 1100),
            full("direct", 3000), run("keepalive-h1", "ecdsa", "haproxy", 10_000, 100_000, 0, "http/1.1"),
            run("keepalive-h1", "ecdsa", "sluice-l7", 9_000, 90_000, 0, "http/1.1"),
            run("keepalive-h1", "ecdsa", "nginx", 8_000, 80_000, 0, "http/1.1"),
            run("keepalive-h1", "ecdsa", "direct", 15_000, 150_000, 0, "http/1.1"));
        final TlsFigures figures = TlsFigures.of(context(), runs);

        assertThat(figures.figures()).extracting(TlsCalculation.Figure::title)
            .containsExactly("handshake-full, ecdsa", "keepalive-h1, ecdsa");
        assertThat(figures.figures().get(0).headroom().state()).isEqualTo(Headroom.State.OK);
        assertThat(figures.figures().get(1).headroom().state()).isEqualTo(Headroom.State.GENERATOR_BOUND);
        assertThat(figures.verdictLines()).contains("- handshake-full, ecdsa: sluice l7 / nginx **1.09** (target ≥ 1.0):"
            + " **met** (1200 vs 1100 per second, medians; direct 2.50× the best proxy)");
        assertThat(figures.targets()).extracting(Target::verdict).containsExactly("met", "no verdict");
        assertThat(figures.met()).isNull();
        assertThat(figures.verdictLines().getLast()).startsWith("- **No verdict on the target**");
    }

    @Test
    void oneFigureNotMetFailsTheRunAndAllMetMeetsIt()
    {
        final List<Run> runs = new ArrayList<>(List.of(full("haproxy", 1000), full("sluice-l7", 999), full("direct", 3000)));
        assertThat(TlsFigures.of(context(), runs).met()).isTrue();

        runs.set(1, full("sluice-l7", 900));
        final TlsFigures figures = TlsFigures.of(context(), runs);
        assertThat(figures.targets()).singleElement().satisfies(t ->
        {
            assertThat(t.fields().get("value")).isEqualTo(new Target.Num(0.9, 2));
            assertThat(t.verdict()).isEqualTo("not met");
        });
        assertThat(figures.met()).isFalse();
    }

    @Test
    void aHandshakeRunThatIsNotWhatItsKindSaysIsLeftOut()
    {
        final List<Run> runs = List.of(full("haproxy", 1000), run("handshake-full", "ecdsa", "sluice-l7", 5000, 10_000, 9_000,
            "HTTP/1.0"), full("direct", 3000), run("handshake-resumed", "ecdsa", "haproxy", 4000, 8000, 8000, "HTTP/1.0"),
            run("handshake-resumed", "ecdsa", "nginx", 4500, 9000, 8999, "HTTP/1.0"),
            run("keepalive-h2", "ecdsa", "nginx", 4500, 9000, 0, "http/1.1"));
        final TlsFigures figures = TlsFigures.of(context(), runs);

        assertThat(figures.unproven()).extracting(r -> r.text("kind") + " " + r.text("proxy"))
            .containsExactly("handshake-full sluice-l7", "handshake-resumed nginx", "keepalive-h2 nginx");
        assertThat(figures.figures().getFirst().rows()).filteredOn(r -> r.proxy().equals("sluice-l7")).singleElement()
            .satisfies(r -> assertThat(r.rps().measured()).isFalse());
        assertThat(figures.figures().get(1).rows()).filteredOn(r -> r.proxy().equals("haproxy")).singleElement()
            .satisfies(r -> assertThat(r.rps().median()).isEqualTo(4000));
        assertThat(figures.verdictLines().getFirst()).startsWith("- handshake-full, ecdsa: no verdict, this run did not measure");
    }

    private static Run latency(final String proxy, final int pct, final double p99)
    {
        return Run.parse("{\"kind\":\"latency\",\"key\":\"ecdsa\",\"proxy\":\"" + proxy + "\",\"run\":1,\"rate_pct\":" + pct
            + ",\"status\":\"ok\",\"reason\":\"\",\"offered_rps\":5000,\"achieved_rps\":5000,\"failed\":0,\"non_2xx\":0,"
            + "\"p50_ms\":0.4,\"p99_ms\":" + p99 + ",\"p999_ms\":9,\"max_ms\":12,\"proxy_cpu_pct\":30}");
    }

    @Test
    void theP99AtEachRateIsComparedWithTheLowerOfThePeersUnderTheKeepAliveHeadroom()
    {
        final List<Run> runs = List.of(run("keepalive-h1", "ecdsa", "haproxy", 10_000, 100_000, 0, "http/1.1"),
            run("keepalive-h1", "ecdsa", "sluice-l7", 9_000, 90_000, 0, "http/1.1"),
            run("keepalive-h1", "ecdsa", "direct", 30_000, 300_000, 0, "http/1.1"), latency("haproxy", 50, 2.0),
            latency("nginx", 50, 1.5), latency("sluice-l7", 50, 1.4), latency("haproxy", 80, 3.0), latency("nginx", 80, 4.0),
            latency("sluice-l7", 80, 3.5));
        final TlsFigures figures = TlsFigures.of(context().with("rates", "50 80"), runs);

        assertThat(figures.latency()).extracting(l -> l.proxy() + " " + l.ratePct())
            .containsExactly("haproxy 50", "haproxy 80", "sluice-l7 50", "sluice-l7 80", "nginx 50", "nginx 80");
        assertThat(figures.targets()).extracting(t -> t.fields().get("what") + ": " + t.verdict())
            .containsExactly("sluice-l7 / best peer, keepalive-h1, ecdsa: not met", "p99 at 50 %, ecdsa: met",
                "p99 at 80 %, ecdsa: not met");
        assertThat(figures.verdictLines()).contains("- p99 at 50 %, ecdsa (5000 requests/s): sluice **1.400 ms** vs nginx"
            + " **1.500 ms** (target: no worse): **met** (direct 3.00× the best proxy)");
        assertThat(figures.met()).isFalse();
    }

    @Test
    void theJsonHasEachFigureWithItsHeadroomAndEveryRun()
    {
        final Context context = context().with("machine", "m").with("virt", "").with("kernel", "k").with("jdk", "j")
            .with("packages", "p").with("sluice_commit", "c").with("load_average", "0").with("command", "run-tls")
            .with("seconds", "2").with("proxy_cpu_pct", "40").with("certificate_command", "openssl").with("backend_command", "b");
        final StringWriter out = new StringWriter();
        try (JsonOut json = new JsonOut(out))
        {
            new TlsReport(context, List.of(full("haproxy", 1000), full("sluice-l7", 1200), full("direct", 1500))).writeJson(json);
        }

        assertThat(out.toString()).contains("\"kind\":\"handshake-full\",\"key\":\"ecdsa\"",
            "\"headroom\":{\"direct_rps\":1500,\"best_proxy\":\"sluice-l7\",\"best_rps\":1200,\"ratio\":1.25,"
                + "\"state\":\"generator-bound\"}", "\"target_met\":null", "\"runs_detail\":[{\"kind\":\"handshake-full\"");
    }
}
