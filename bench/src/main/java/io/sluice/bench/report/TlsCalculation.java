package io.sluice.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * How {@link TlsFigures} are worked out from run-tls's runs: a figure per kind of run and key
 * type, each with its own headroom (direct, the generator against a TLS server with no proxy,
 * at twice the best proxy's rate for that figure), and sluice l7 against the better of HAProxy
 * and nginx on each (issue 16: at least 1.0x).
 */
final class TlsCalculation
{
    static final String FULL = "handshake-full";
    static final String RESUMED = "handshake-resumed";
    static final String KEEPALIVE_H1 = "keepalive-h1";
    static final String KEEPALIVE_H2 = "keepalive-h2";
    /** run-tls's kinds, in the order the report gives them. */
    static final List<String> KINDS = List.of(FULL, RESUMED, KEEPALIVE_H1, KEEPALIVE_H2);
    /** Issue 16: sluice l7 at least this many times the better of HAProxy and nginx, on each figure. */
    static final double BEST_PEER_TARGET = 1.0;

    /** One proxy's medians for one figure. */
    record Row(String proxy, Summary rps, double ratioToBestPeer, double cpuPct, double perCpuSecond, double rssMib,
        double connections, double resumed, double errors, double non2xx)
    {
    }

    /** One kind of run on one key type: every proxy's row and the headroom that decides whether it gives a verdict. */
    record Figure(String kind, String key, List<Row> rows, Headroom headroom)
    {
        String title()
        {
            return kind + ", " + key;
        }
    }

    private final Context context;
    private final RunSet runs;
    private final List<String> ordered;
    private final List<Figure> figures = new ArrayList<>();
    private final List<Target> targets = new ArrayList<>();
    private final List<String> verdictLines = new ArrayList<>();
    private final List<Run> unproven;
    private final List<RpsCalculation.Latency> latency = new ArrayList<>();
    private Boolean met;

    TlsCalculation(final Context context, final List<Run> runs)
    {
        this.context = context;
        this.runs = new RunSet(runs);
        this.ordered = context.list("ordered");
        this.unproven = this.runs.all().stream().filter(Run::ok).filter(run -> !proven(run)).toList();
        for (final String key : context.list("keys"))
        {
            for (final String kind : KINDS)
            {
                if (this.runs.any(RunSet.where("kind", kind).and(RunSet.where("key", key))))
                {
                    figure(kind, key);
                }
            }
        }
        if (this.runs.any(RunSet.where("kind", "latency")))
        {
            latency(context.list("keys").getFirst());
        }
        if (met == null && !targets.isEmpty() && targets.stream().allMatch(t -> Verdict.MET.equals(t.verdict())))
        {
            met = true;
        }
        verdictLines.add(met == null ? "- **No verdict on the target** (see the headroom of each figure above)."
            : met ? "- **The target is met** on every figure." : "- **The target is not met.**");
    }

    /**
     * Whether a successful run measured what its kind says: a full handshake on every connection
     * (no session resumed), a resumed one on every connection, h2 negotiated by ALPN for h2.
     */
    static boolean proven(final Run run)
    {
        return switch (run.text("kind"))
        {
            case FULL -> run.number("resumed") == 0;
            case RESUMED -> run.number("requests") > 0 && run.number("resumed") == run.number("requests");
            case KEEPALIVE_H2 -> "h2".equals(run.text("protocol"));
            default -> true;
        };
    }

    static Predicate<Run> of(final String kind, final String key, final String proxy)
    {
        return RunSet.where("kind", kind).and(RunSet.where("key", key)).and(RunSet.where("proxy", proxy))
            .and(TlsCalculation::proven);
    }

    private void figure(final String kind, final String key)
    {
        final double h = runs.summary(of(kind, key, RpsCalculation.HAPROXY), "rps").median();
        final double n = runs.summary(of(kind, key, RpsCalculation.NGINX), "rps").median();
        final double peer = Math.max(h, n);
        final List<Row> rows = new ArrayList<>();
        String bestProxy = "";
        double best = 0;
        for (final String p : ordered)
        {
            final Predicate<Run> which = of(kind, key, p);
            final Summary rps = runs.summary(which, "rps");
            final double cpu = runs.summary(which, "proxy_cpu_pct").median();
            rows.add(new Row(p, rps, RpsCalculation.DIRECT.equals(p) ? 0 : Verdict.ratio(rps.median(), peer), cpu,
                cpu > 0 ? rps.median() / (cpu / 100) : 0, runs.summary(which, "proxy_rss_mib").median(),
                runs.sum(which, "requests"), runs.sum(which, "resumed"), runs.sum(which, "errors"), runs.sum(which, "non_2xx")));
            if (!RpsCalculation.DIRECT.equals(p) && rps.median() > best)
            {
                best = rps.median();
                bestProxy = p;
            }
        }
        final double direct = runs.summary(of(kind, key, RpsCalculation.DIRECT), "rps").median();
        final Headroom headroom = Headroom.of(direct, bestProxy, best);
        final Figure figure = new Figure(kind, key, rows, headroom);
        figures.add(figure);
        againstBestPeer(figure, runs.summary(of(kind, key, RpsCalculation.SLUICE), "rps").median(), h, n);
    }

    private void againstBestPeer(final Figure figure, final double s, final double h, final double n)
    {
        final String what = "sluice-l7 / best peer, " + figure.title();
        final Headroom headroom = figure.headroom();
        if (s == 0 || h == 0 && n == 0)
        {
            verdictLines.add("- " + figure.title() + ": no verdict, this run did not measure sluice-l7 and haproxy or nginx"
                + " successfully");
            targets.add(Target.of(what).with("verdict", Verdict.NO_VERDICT));
            return;
        }
        final String peer = h >= n ? RpsCalculation.HAPROXY : RpsCalculation.NGINX;
        final double r = Fixed.rounded(s / Math.max(h, n), 2);
        final String ok = headroom.verdict(r >= BEST_PEER_TARGET);
        if (Verdict.NOT_MET.equals(ok))
        {
            met = false;
        }
        verdictLines.add("- " + figure.title() + ": sluice l7 / " + peer + " **" + Fixed.of(r, 2) + "** (target ≥ "
            + Fixed.of(BEST_PEER_TARGET, 1) + "): **" + ok + "** (" + Fixed.of(s, 0) + " vs " + Fixed.of(Math.max(h, n), 0)
            + " per second, medians; " + headroomText(headroom) + ")");
        targets.add(Target.of(what).with("value", new Target.Num(r, 2)).with("target", new Target.Num(BEST_PEER_TARGET, 1))
            .with("peer", peer).with("sluice_per_s", new Target.Num(s, 0)).with("peer_per_s", new Target.Num(Math.max(h, n), 0))
            .with("headroom", headroom.state().text()).with("verdict", ok));
    }

    /**
     * Issue 16: sluice l7's p99 at each fixed rate no worse than the better (lower) of HAProxy's and
     * nginx's, over TLS to the first key type's listener; the headroom is that key's keepalive-h1 figure's.
     */
    private void latency(final String key)
    {
        final Predicate<Run> latencyRuns = RunSet.where("kind", "latency").and(RunSet.where("key", key));
        for (final String p : ordered)
        {
            for (final String pct : context.list("rates"))
            {
                final Predicate<Run> at = latencyRuns.and(RunSet.where("proxy", p)).and(RunSet.where("rate_pct", pct));
                if (runs.any(at))
                {
                    latency.add(RpsCalculation.Latency.of(runs, at, p, pct));
                }
            }
        }
        final Headroom headroom = figures.stream().filter(f -> f.kind().equals(KEEPALIVE_H1) && f.key().equals(key))
            .map(Figure::headroom).findFirst().orElse(Headroom.of(0, "", 0));
        for (final String pct : context.list("rates"))
        {
            final Predicate<Run> at = latencyRuns.and(RunSet.where("rate_pct", pct));
            final Summary s = runs.summary(at.and(RunSet.where("proxy", RpsCalculation.SLUICE)), "p99_ms");
            final Summary h = runs.summary(at.and(RunSet.where("proxy", RpsCalculation.HAPROXY)), "p99_ms");
            final Summary n = runs.summary(at.and(RunSet.where("proxy", RpsCalculation.NGINX)), "p99_ms");
            final String what = "p99 at " + pct + " %, " + key;
            if (!h.measured() && !n.measured())
            {
                verdictLines.add("- " + what + ": no verdict, neither haproxy's nor nginx's p99 was measured");
                targets.add(Target.of(what).with("verdict", Verdict.NO_VERDICT));
                continue;
            }
            final String peer = !n.measured() || h.measured() && h.median() <= n.median() ? RpsCalculation.HAPROXY
                : RpsCalculation.NGINX;
            final double peerP99 = (peer.equals(RpsCalculation.HAPROXY) ? h : n).median();
            final String ok = headroom.verdict(s.measured() && s.median() <= peerP99);
            if (Verdict.NOT_MET.equals(ok))
            {
                met = false;
            }
            final double offered = runs.summary(at, "offered_rps").median();
            verdictLines.add("- " + what + " (" + Fixed.of(offered, 0) + " requests/s): sluice **"
                + (s.measured() ? Fixed.of(s.median(), 3) + " ms" : "not measured") + "** vs " + peer + " **"
                + Fixed.of(peerP99, 3) + " ms** (target: no worse): **" + ok + "** (" + headroomText(headroom) + ")");
            targets.add(Target.of(what).with("rate_rps", new Target.Num(offered, 0)).with("peer", peer)
                .with("sluice_ms", new Target.Num(s.median(), 3)).with("peer_ms", new Target.Num(peerP99, 3))
                .with("headroom", headroom.state().text()).with("verdict", ok));
        }
    }

    private String headroomText(final Headroom headroom)
    {
        return switch (headroom.state())
        {
            case OK -> "direct " + Fixed.of(headroom.ratio(), 2) + "× the best proxy";
            case GENERATOR_BOUND -> "**generator-bound**: direct only " + Fixed.of(headroom.ratio(), 2)
                + "× the best proxy, below 2×, CPU " + context.text("gen_cpu") + " may be what limits the proxies";
            case UNKNOWN -> "headroom unknown: direct " + (ordered.contains(RpsCalculation.DIRECT) ? "not measured successfully"
                : "not among --only");
            case NO_PEER_MEASURED -> "no proxy measured";
        };
    }

    TlsFigures figures()
    {
        return new TlsFigures(figures, latency, targets, verdictLines, met, unproven, runs);
    }
}
