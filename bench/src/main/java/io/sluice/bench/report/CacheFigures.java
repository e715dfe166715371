package io.sluice.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * bench/cache/run-cache's figures: per peer the medians of the warm and cold requests per second
 * of cached responses, the hit rate (1 - the backend's requests over the requests served) and the
 * proxy cgroup's CPU microseconds per request; per coalescing variant the backend requests that N
 * concurrent misses of one key made; the headroom; sluice l7 against nginx (the target, >= 1.0x),
 * its cold start (>= 0.8x warm) and against HAProxy, and its coalescing against its goal: one
 * backend request in every round.
 */
public record CacheFigures(List<Peer> peers, List<Coalescing> coalescing, Headroom headroom, List<Target> targets, Boolean met,
    HarnessRules rules)
{
    /** One peer's figures; the Cache-Status is the first a check's second (cached) answer carried. */
    public record Peer(HarnessRules.PeerRates rates, HarnessRules.Checked checked, String secondCacheStatus,
        double fillBackendRequests, double hitRate, double coldHitRate, double cpuUsPerRequest, double throttledS, int runsFailed)
    {
    }

    /** One peer and variant's coalescing runs: the backend requests (summary and per round), answers, seconds, failures. */
    public record Coalescing(String proxy, String variant, double concurrent, Summary backendRequests, List<Double> perRound,
        double succeeded, double elapsedS, List<String> failures)
    {
    }

    public static CacheFigures of(final Context context, final List<Run> runs)
    {
        final HarnessRules rules = new HarnessRules(runs, context.integer("runs"));
        final List<String> order = context.list("ordered");
        final List<Peer> peers = order.stream().map(p -> peer(rules, p)).toList();
        final List<HarnessRules.PeerRates> rates = peers.stream().map(Peer::rates).toList();
        final Headroom headroom = HarnessRules.headroom(rates);
        final List<Coalescing> coalescing = coalescing(rules, order);
        final List<Target> targets = List.of(
            rules.versus(rates, headroom, HarnessRules.SLUICE, "nginx",
                "sluice-l7 / nginx (proxy_cache) requests per second of cached responses", 1.0),
            rules.versus(rates, headroom, HarnessRules.SLUICE, "haproxy",
                "sluice-l7 / haproxy (cache) requests per second of cached responses", 0),
            HarnessRules.coldStart(rates, headroom, HarnessRules.SLUICE),
            coalescingTarget(coalescing, context.integer("coalesce_n")));
        return new CacheFigures(peers, coalescing, headroom, targets, HarnessRules.targetMet(targets), rules);
    }

    private static Peer peer(final HarnessRules rules, final String p)
    {
        final List<Run> warm = rules.ok("warm", p);
        final HarnessRules.Checked checked = rules.checked(p);
        final String status = checked.runs().stream().map(run -> run.text("second_cache_status")).filter(s -> !s.isEmpty())
            .findFirst().orElse("");
        return new Peer(rules.rates(p), checked, status,
            HarnessRules.median(rules.ok("fill", p), run -> run.number("backend_requests")),
            Fixed.rounded(HarnessRules.median(warm, CacheFigures::hitRate), 4),
            Fixed.rounded(HarnessRules.median(rules.ok("cold", p), CacheFigures::hitRate), 4),
            Fixed.rounded(HarnessRules.median(warm, run -> Verdict.ratio(run.number("proxy_cgroup_cpu_us"),
                run.number("requests"))), 1),
            Fixed.rounded(HarnessRules.median(warm, run -> run.number("throttled_s")), 2), rules.failed(p));
    }

    private static double hitRate(final Run run)
    {
        return 1 - Verdict.ratio(run.number("backend_requests"), run.number("requests"));
    }

    /** The coalescing runs grouped by peer and variant, the peers in the run's order and each peer's variants by name. */
    private static List<Coalescing> coalescing(final HarnessRules rules, final List<String> order)
    {
        final Map<List<String>, List<Run>> groups = new LinkedHashMap<>();
        rules.runs().all().stream().filter(run -> "coalesce".equals(run.text("kind")))
            .forEach(run -> groups.computeIfAbsent(List.of(run.text("proxy"), run.text("variant")), k -> new ArrayList<>())
                .add(run));
        final List<Coalescing> rows = new ArrayList<>();
        groups.forEach((key, group) ->
        {
            final List<Run> ok = group.stream().filter(Run::ok).toList();
            final List<Double> perRound = ok.stream().map(run -> run.number("backend_requests")).toList();
            rows.add(new Coalescing(key.get(0), key.get(1), group.getFirst().number("concurrent"), Summary.of(perRound), perRound,
                HarnessRules.median(ok, run -> run.number("succeeded")),
                Fixed.rounded(HarnessRules.median(ok, run -> run.number("elapsed_s")), 2),
                group.stream().filter(run -> !run.ok())
                    .map(run -> "round " + HarnessRules.plain(run.number("run")) + ": " + run.text("reason")).toList()));
        });
        rows.sort(Comparator.comparingInt((Coalescing c) -> order.indexOf(c.proxy())).thenComparing(Coalescing::variant));
        return rows;
    }

    private static Target coalescingTarget(final List<Coalescing> coalescing, final int concurrent)
    {
        final Coalescing sluice = coalescing.stream().filter(c -> HarnessRules.SLUICE.equals(c.proxy())).findFirst().orElse(null);
        if (sluice == null || sluice.backendRequests().count() == 0)
        {
            return Target.of("sluice-l7 coalescing: backend requests for " + concurrent + " concurrent misses of one key")
                .with("verdict", Verdict.NOT_MEASURED);
        }
        final boolean met = sluice.perRound().stream().allMatch(n -> n == 1) && sluice.failures().isEmpty()
            && sluice.succeeded() == concurrent;
        return Target.of("sluice-l7 coalescing: backend requests for " + concurrent + " concurrent misses of one key, each round"
                + " (goal 1; a count, whatever the headroom)")
            .with("per_round", sluice.perRound().stream().map(n -> new Target.Num(n, 0)).toList())
            .with("succeeded", new Target.Num(sluice.succeeded(), 0)).with("target", new Target.Num(1, 0))
            .with("verdict", met ? Verdict.MET : Verdict.NOT_MET);
    }
}
