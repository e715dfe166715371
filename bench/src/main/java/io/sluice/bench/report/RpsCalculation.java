package io.sluice.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * How {@link RpsFigures} are worked out from the runs: per proxy the medians of its throughput and
 * latency runs, the generator's headroom, and the targets with their verdicts (sluice l7 against
 * HAProxy; with --baseline, sluice l7 against itself at another revision).
 */
final class RpsCalculation
{
    static final String DIRECT = "direct";
    static final String SLUICE = "sluice-l7";
    static final String HAPROXY = "haproxy";
    static final String BASELINE = "sluice-l7-baseline";
    /** run-rps's kinds of throughput run besides the warm one ("throughput"): see its phases. */
    static final String COLD = "cold";
    static final String AFTER_ONE_RUN = "after-one-run";
    static final String THROUGHPUT = "throughput";
    static final String THROUGHPUT_H2 = "throughput-h2";
    static final String NGINX = "nginx";
    /** Issue 17: sluice l7 at least this many times the better of HAProxy and nginx, warm, on HTTP/1.1 and on h2. */
    static final double BEST_PEER_TARGET = 1.1;
    /** Issue 17: full speed soon after start, the cold rate at least this share of the warm one. */
    static final double COLD_SHARE_TARGET = 0.8;

    /** One proxy's throughput medians and ratios. */
    record Throughput(String proxy, Summary rps, int runs, int cores, double perCore, double ratioToHaproxy, double cpuPct,
        double perCpuSecond, double perCpuSecondRatio, double rssMib, double p50Ms, double p99Ms, double non2xx,
            double socketErrors)
    {
    }

    /** One proxy's rate in each state of its JIT: medians of its cold, after-one-run and warm runs. */
    record WarmUp(String proxy, Summary cold, Summary afterOneRun, Summary warm)
    {
        double coldShare()
        {
            return Verdict.ratio(cold.median(), warm.median());
        }

        double afterOneRunShare()
        {
            return Verdict.ratio(afterOneRun.median(), warm.median());
        }
    }

    /** One proxy's latency medians at one rate. */
    record Latency(String proxy, String ratePct, double offered, double achieved, double p50Ms, Summary p99Ms, double p999Ms,
        double maxMs,
        double cpuPct, double failed, double non2xx)
    {
        /** The medians (sums for failures) over the latency runs AT selects, one proxy's at one rate. */
        static Latency of(final RunSet runs, final Predicate<Run> at, final String proxy, final String pct)
        {
            return new Latency(proxy, pct, runs.summary(at, "offered_rps").median(), runs.summary(at, "achieved_rps").median(),
                runs.summary(at, "p50_ms").median(), runs.summary(at, "p99_ms"), runs.summary(at, "p999_ms").median(),
                runs.summary(at, "max_ms").median(), runs.summary(at, "proxy_cpu_pct").median(), runs.sum(at, "failed"),
                runs.sum(at, "non_2xx"));
        }
    }

    private final Context context;
    private final RunSet runs;
    private final List<String> ordered;
    private final List<String> rates;
    private final List<Throughput> throughput = new ArrayList<>();
    private final List<Throughput> throughputH2 = new ArrayList<>();
    private Headroom headroomH2;
    private final List<Latency> latency = new ArrayList<>();
    private final List<WarmUp> warmUp = new ArrayList<>();
    private final List<Target> targets = new ArrayList<>();
    private final List<String> verdictLines = new ArrayList<>();
    private final Headroom headroom;
    private Boolean met;

    RpsCalculation(final Context context, final List<Run> runs)
    {
        this.context = context;
        this.runs = new RunSet(runs);
        this.ordered = context.list("ordered");
        this.rates = context.list("rates");
        rows();
        headroom = headroomOf(THROUGHPUT);
        headroomH2 = headroomOf(THROUGHPUT_H2);
        verdictLines.add(headroomLine(headroom, ""));
        if (!throughputH2.isEmpty())
        {
            verdictLines.add(headroomLine(headroomH2, " over h2"));
        }
        againstHaproxy();
        againstBaseline();
        warmUpTarget();
        againstBestPeer(THROUGHPUT, "HTTP/1.1", headroom);
        againstBestPeer(THROUGHPUT_H2, "h2", headroomH2);
    }

    static Predicate<Run> throughputOf(final String proxy)
    {
        return RunSet.where("kind", "throughput").and(RunSet.where("proxy", proxy));
    }

    static Predicate<Run> kindOf(final String kind, final String proxy)
    {
        return RunSet.where("kind", kind).and(RunSet.where("proxy", proxy));
    }

    static Predicate<Run> latencyOf(final String proxy, final String pct)
    {
        return RunSet.where("kind", "latency").and(RunSet.where("proxy", proxy)).and(RunSet.where("rate_pct", pct));
    }

    private double medianRps(final String proxy)
    {
        return runs.summary(throughputOf(proxy), "rps").median();
    }

    private void rows()
    {
        throughputRows(THROUGHPUT, throughput);
        throughputRows(THROUGHPUT_H2, throughputH2);
        for (final String p : ordered)
        {
            if (DIRECT.equals(p))
            {
                continue;
            }
            final Summary cold = runs.summary(kindOf(COLD, p), "rps");
            final Summary afterOneRun = runs.summary(kindOf(AFTER_ONE_RUN, p), "rps");
            if (cold.measured() || afterOneRun.measured())
            {
                warmUp.add(new WarmUp(p, cold, afterOneRun, runs.summary(throughputOf(p), "rps")));
            }
            for (final String pct : rates)
            {
                final Predicate<Run> at = latencyOf(p, pct);
                if (runs.any(at))
                {
                    latency.add(Latency.of(runs, at, p, pct));
                }
            }
        }
    }

    /** Each proxy's medians over the runs of one kind of throughput run, HAProxy's the reference; none when none ran. */
    private void throughputRows(final String kind, final List<Throughput> rows)
    {
        if (!runs.any(RunSet.where("kind", kind)))
        {
            return;
        }
        final double h = runs.summary(kindOf(kind, HAPROXY), "rps").median();
        final double hCpu = runs.summary(kindOf(kind, HAPROXY), "proxy_cpu_pct").median();
        final double hPerCpuSecond = hCpu > 0 ? h / (hCpu / 100) : 0;
        for (final String p : ordered)
        {
            final Predicate<Run> of = kindOf(kind, p);
            final Summary rps = runs.summary(of, "rps");
            final double cpu = runs.summary(of, "proxy_cpu_pct").median();
            final int cores = DIRECT.equals(p) ? 0 : 1;
            final double perCpuSecond = cpu > 0 ? rps.median() / (cpu / 100) : 0;
            rows.add(new Throughput(p, rps, context.integer("runs"), cores, cores > 0 ? rps.median() / cores : 0,
                Verdict.ratio(rps.median(), h), cpu, perCpuSecond,
                hPerCpuSecond > 0 && perCpuSecond > 0 ? perCpuSecond / hPerCpuSecond : 0, runs.summary(of, "proxy_rss_mib")
                    .median(),
                runs.summary(of, "wrk_p50_ms").median(), runs.summary(of, "wrk_p99_ms").median(), runs.sum(of, "non_2xx"),
                runs.sum(of, "socket_errors")));
        }
    }

    private Headroom headroomOf(final String kind)
    {
        double best = 0;
        String bestProxy = "";
        for (final String p : ordered)
        {
            final double rps = runs.summary(kindOf(kind, p), "rps").median();
            if (!DIRECT.equals(p) && rps > best)
            {
                best = rps;
                bestProxy = p;
            }
        }
        return Headroom.of(runs.summary(kindOf(kind, DIRECT), "rps").median(), bestProxy, best);
    }

    private String headroomLine(final Headroom headroom, final String over)
    {
        final String best = Fixed.of(headroom.best(), 0) + " (" + headroom.bestPeer() + ")";
        return switch (headroom.state())
        {
            case NO_PEER_MEASURED -> "- generator headroom" + over + ": no proxy was measured successfully: **no verdict**";
            case UNKNOWN -> "- generator headroom" + over + " unknown: `direct` was "
                + (ordered.contains(DIRECT) ? "not measured successfully" : "not among --only")
                + ", so no verdict is set (a verdict needs direct at ≥ 2× the best proxy's rate)";
            case OK -> "- generator headroom" + over + ": direct " + Fixed.of(headroom.direct(), 0) + " requests/s, **"
                + Fixed.of(headroom.ratio(), 2) + "×** the best proxy's " + best + " (rule: ≥ 2×)";
            case GENERATOR_BOUND -> "- **generator-bound**" + over + ": direct " + Fixed.of(headroom.direct(), 0)
                + " requests/s is only **"
                + Fixed.of(headroom.ratio(), 2) + "×** the best proxy's " + best + "; below 2×, CPU " + context.text("gen_cpu")
                + " (the load generator and the backends) may be what limits the proxies: **no verdict**";
        };
    }

    /** Issue 5: sluice l7 >= 1.0x HAProxy's rps per core, and a p99 no worse than HAProxy's at each rate. */
    private void againstHaproxy()
    {
        final double s = medianRps(SLUICE);
        final double h = medianRps(HAPROXY);
        if (!ordered.contains(SLUICE) || !ordered.contains(HAPROXY) || h == 0 || s == 0)
        {
            verdictLines.add("- no verdict on sluice l7 against HAProxy: this run did not measure both sluice-l7 and haproxy");
            return;
        }
        boolean haproxyMet = true;
        final double r = Fixed.rounded(s / h, 2);
        String ok = headroom.verdict(r >= 1.0);
        haproxyMet &= !Verdict.NOT_MET.equals(ok);
        final List<Target.Num> pairs = pairRatios(SLUICE, HAPROXY);
        verdictLines.add("- sluice l7 / haproxy rps per core: **" + Fixed.of(r, 2) + "** (target ≥ 1.0): **" + ok + "** ("
            + Fixed.of(s, 0) + " vs " + Fixed.of(h, 0) + " requests/s, one core each; " + pairsText(pairs) + ")");
        targets.add(Target.of("sluice-l7 / haproxy rps per core").with("value", new Target.Num(r, 2))
            .with("target", new Target.Num(1, 1))
            .with("sluice_rps", new Target.Num(s, 0)).with("haproxy_rps", new Target.Num(h, 0)).with("pairs", pairs)
            .with("verdict", ok));
        // A run told not to measure latency (--phases without latency) has no p99 target, rather than one not met.
        final boolean latencyAsked = context.textOr("phases", "latency").contains("latency");
        if (!latencyAsked)
        {
            verdictLines.add("- p99: not part of this run (`--phases` without latency)");
        }
        for (final String pct : latencyAsked ? rates.reversed() : List.<String>of())
        {
            final Summary sp = runs.summary(latencyOf(SLUICE, pct), "p99_ms");
            final Summary hp = runs.summary(latencyOf(HAPROXY, pct), "p99_ms");
            if (!sp.measured() || !hp.measured())
            {
                ok = headroom.verdict(false);
                verdictLines.add("- p99 at " + pct + " %: not measured (sluice l7: " + sp.count() + ", haproxy: " + hp.count()
                    + " successful runs): **" + ok + "**");
                if (Verdict.NOT_MET.equals(ok))
                {
                    haproxyMet = false;
                    ok = Verdict.NOT_MEASURED;
                }
                targets.add(Target.of("p99 at " + pct + " %").with("verdict", ok));
                continue;
            }
            final double offered = runs.summary(latencyOf(HAPROXY, pct), "offered_rps").median();
            ok = headroom.verdict(sp.median() <= hp.median());
            haproxyMet &= !Verdict.NOT_MET.equals(ok);
            verdictLines.add("- p99 at " + pct + " % (" + Fixed.of(offered, 0) + " requests/s): sluice **"
                + Fixed.of(sp.median(), 3)
                + " ms** vs haproxy **" + Fixed.of(hp.median(), 3) + " ms** (target: no worse): **" + ok + "**");
            targets.add(Target.of("p99 at " + pct + " %").with("rate_rps", new Target.Num(offered, 0))
                .with("sluice_ms", new Target.Num(sp.median(), 3)).with("haproxy_ms", new Target.Num(hp.median(), 3))
                .with("verdict", ok));
        }
        if (!headroom.allowsVerdict())
        {
            verdictLines.add("- **No verdict on the target** (generator headroom above).");
        }
        else
        {
            verdictLines.add(haproxyMet ? "- **The target is met.**" : "- **The target is not met.**");
            met = haproxyMet;
        }
    }

    /** Issue 14: a change to sluice l7 leaves its rate no worse than before, both measured in this run. */
    private void againstBaseline()
    {
        final String revision = context.textOr("baseline", "");
        if (revision.isEmpty())
        {
            return;
        }
        final String what = "sluice-l7 / sluice-l7-baseline requests per second";
        final String revisions = "sluice at " + context.text("sluice_commit") + " vs " + context.text("baseline_short")
            + " (--baseline " + revision + ")";
        final Summary s = runs.summary(throughputOf(SLUICE), "rps");
        final Summary b = runs.summary(throughputOf(BASELINE), "rps");
        if (!ordered.contains(SLUICE))
        {
            verdictLines.add("- no verdict on " + what + ": this run did not measure sluice-l7");
        }
        else if (!s.measured() || !b.measured())
        {
            String ok = headroom.verdict(false);
            verdictLines.add("- " + what + ": not measured (sluice-l7: " + s.count() + ", sluice-l7-baseline: " + b.count()
                + " successful runs; " + revisions + "): **" + ok + "**");
            if (Verdict.NOT_MET.equals(ok))
            {
                met = false;
                ok = Verdict.NOT_MEASURED;
            }
            targets.add(Target.of(what).with("verdict", ok));
        }
        else
        {
            final double r = Fixed.rounded(s.median() / b.median(), 2);
            final String ok = headroom.verdict(r >= 1.0);
            if (Verdict.MET.equals(ok) && met == null)
            {
                met = true;
            }
            else if (Verdict.NOT_MET.equals(ok))
            {
                met = false;
            }
            final List<Target.Num> pairs = pairRatios(SLUICE, BASELINE);
            String line = "- " + what + ": **" + Fixed.of(r, 2) + "** (target ≥ 1.0, no worse than before): **" + ok + "** ("
                + Fixed.of(s.median(), 0) + " vs " + Fixed.of(b.median(), 0) + " requests/s, medians; " + pairsText(pairs) + "; "
                + revisions + ")";
            final String transport = context.textOr("sluice_transport", "");
            final String baselineTransport = context.textOr("baseline_transport", "");
            if (!(transport + baselineTransport).isEmpty() && !transport.equals(baselineTransport))
            {
                line += "; the two ran on different socket transports (" + orUnknown(transport) + " vs "
                    + orUnknown(baselineTransport) + ")";
            }
            verdictLines.add(line);
            targets.add(Target.of(what).with("value", new Target.Num(r, 2)).with("target", new Target.Num(1, 1))
                .with("sluice_rps", new Target.Num(s.median(), 0)).with("baseline_rps", new Target.Num(b.median(), 0))
                .with("pairs", pairs).with("verdict", ok));
        }
    }

    /** Issue 17: sluice l7's cold rate at least COLD_SHARE_TARGET of its warm one, both medians of this run. */
    private void warmUpTarget()
    {
        final WarmUp sluice = warmUp.stream().filter(w -> SLUICE.equals(w.proxy())).findFirst().orElse(null);
        if (sluice == null || !sluice.cold().measured() || !sluice.warm().measured())
        {
            return;
        }
        final double r = Fixed.rounded(sluice.coldShare(), 2);
        final String ok = headroom.verdict(r >= COLD_SHARE_TARGET);
        if (Verdict.NOT_MET.equals(ok))
        {
            met = false;
        }
        verdictLines.add("- sluice l7 cold / warm: **" + Fixed.of(r, 2) + "** (target ≥ " + Fixed.of(COLD_SHARE_TARGET, 1)
            + "): **" + ok + "** (" + Fixed.of(sluice.cold().median(), 0) + " requests/s in its first "
            + context.textOr("cold_s", "?") + " s vs " + Fixed.of(sluice.warm().median(), 0) + " warm, medians)");
        targets.add(Target.of("sluice-l7 cold / warm").with("value", new Target.Num(r, 2))
            .with("target", new Target.Num(COLD_SHARE_TARGET, 1)).with("cold_rps", new Target.Num(sluice.cold().median(), 0))
            .with("warm_rps", new Target.Num(sluice.warm().median(), 0)).with("verdict", ok));
    }

    /** Issue 17: sluice l7 at least BEST_PEER_TARGET times the better of HAProxy and nginx, warm, over one protocol. */
    private void againstBestPeer(final String kind, final String protocol, final Headroom of)
    {
        final double s = runs.summary(kindOf(kind, SLUICE), "rps").median();
        final double h = runs.summary(kindOf(kind, HAPROXY), "rps").median();
        final double n = runs.summary(kindOf(kind, NGINX), "rps").median();
        if (s == 0 || h == 0 || n == 0)
        {
            return;
        }
        final String peer = h >= n ? HAPROXY : NGINX;
        final double r = Fixed.rounded(s / Math.max(h, n), 2);
        final String ok = of.verdict(r >= BEST_PEER_TARGET);
        if (Verdict.NOT_MET.equals(ok))
        {
            met = false;
        }
        verdictLines.add("- " + protocol + ": sluice l7 / the better of haproxy and nginx (" + peer + "): **" + Fixed.of(r, 2)
            + "** (target ≥ " + Fixed.of(BEST_PEER_TARGET, 1) + "): **" + ok + "** (" + Fixed.of(s, 0) + " vs "
            + Fixed.of(Math.max(h, n), 0) + " requests/s, warm, medians" + (of.allowsVerdict() ? "" : "; " + of.state().text())
            + ")");
        targets.add(Target.of("sluice-l7 / best peer, " + protocol).with("value", new Target.Num(r, 2))
            .with("target", new Target.Num(BEST_PEER_TARGET, 1)).with("peer", peer).with("sluice_rps", new Target.Num(s, 0))
            .with("peer_rps", new Target.Num(Math.max(h, n), 0)).with("verdict", ok));
    }

    private static String orUnknown(final String text)
    {
        return text.isEmpty() ? "unknown" : text;
    }

    /**
     * A's rps over B's in each round where both ran successfully, in run order: a round's two runs
     * are minutes apart at most, so each ratio sees one state of the shared machine, and their
     * spread says how far the ratio of the medians can be trusted.
     */
    List<Target.Num> pairRatios(final String a, final String b)
    {
        final List<Target.Num> ratios = new ArrayList<>();
        for (int round = 1; round <= context.integer("runs"); round++)
        {
            final String run = Integer.toString(round);
            final Optional<Run> ra = runs.ok(throughputOf(a).and(RunSet.where("run", run))).stream().findFirst();
            final Optional<Run> rb = runs.ok(throughputOf(b).and(RunSet.where("run", run))).stream().findFirst();
            if (ra.isPresent() && rb.isPresent() && rb.get().number("rps") != 0)
            {
                ratios.add(new Target.Num(Fixed.rounded(ra.get().number("rps") / rb.get().number("rps"), 2), 2));
            }
        }
        return ratios;
    }

    private String pairsText(final List<Target.Num> pairs)
    {
        final String listed = String.join(", ", pairs.stream().map(n -> Fixed.of(n.value(), 2)).toList());
        if (pairs.isEmpty())
        {
            return "no interleaved pair";
        }
        final int runsPerProxy = context.integer("runs");
        return pairs.size() == runsPerProxy ? "interleaved pairs " + listed
            : "interleaved pairs " + listed + " (" + pairs.size() + " of " + runsPerProxy + " rounds: a run failed)";
    }

    RpsFigures figures()
    {
        return new RpsFigures(throughput, throughputH2, latency, warmUp, headroom, headroomH2, targets, verdictLines, met, runs);
    }
}
