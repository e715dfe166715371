package io.sluice.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * bench/gateway/run-gateway's figures: per variant the medians of the warm and cold requests per
 * second and the proxy cgroup's CPU microseconds per request; each filter's cost per request
 * against plain, from the cgroup (the median of the rounds' differences) and from the rates
 * ((1 / rps - 1 / rps_plain) x the budget's share x 1e6); for the global limit the Redis round trips
 * per request (goal 1), Redis's decisions per request, the fallbacks and Redis's CPU; the headroom;
 * each variant's rate over plain's and the cold starts (DESIGN.md: >= 0.8 warm).
 */
public record GatewayFigures(List<Peer> peers, List<Cost> costs, Headroom headroom, List<Target> targets, Boolean met,
    HarnessRules rules)
{
    static final String PLAIN = "plain";
    static final String GLOBAL = "rate-limit-global";

    /** One variant's figures; redis is null for a variant that does not use Redis. */
    public record Peer(HarnessRules.PeerRates rates, HarnessRules.Checked checked, String verifyCodes, double cpuUsPerRequest,
        double wrkP99Ms, double throttledS, Redis redis, int runsFailed)
    {
    }

    /** Redis's share of a variant's warm runs. */
    public record Redis(double roundTripsPerRequest, List<Double> roundTripsPerRound, double decisionsPerRequest,
        double fallbacks, double cpuUsPerRequest, double cpuPct)
    {
    }

    /** A filter's cost per request in microseconds over plain's. */
    public record Cost(String filter, double costUs, List<Double> costUsPerRound, double costUsFromRates)
    {
    }

    public static GatewayFigures of(final Context context, final List<Run> runs)
    {
        final HarnessRules rules = new HarnessRules(runs, context.integer("runs"));
        final List<String> order = context.list("ordered");
        final List<Peer> peers = order.stream().map(p -> peer(rules, p)).toList();
        final List<HarnessRules.PeerRates> rates = peers.stream().map(Peer::rates).toList();
        final Headroom headroom = HarnessRules.headroom(rates);
        final List<Cost> costs = costs(rules, rates, Double.parseDouble(context.text("proxy_cpu_pct")) / 100);
        final List<Target> targets = new ArrayList<>();
        order.stream().filter(p -> !HarnessRules.DIRECT.equals(p) && !PLAIN.equals(p))
            .forEach(p -> targets.add(rules.versus(rates, headroom, p, PLAIN, p + " / plain requests per second", 0)));
        order.stream().filter(p -> !HarnessRules.DIRECT.equals(p))
            .forEach(p -> targets.add(HarnessRules.coldStart(rates, headroom, p)));
        final Redis redis = peers.stream().filter(p -> GLOBAL.equals(p.rates().proxy())).map(Peer::redis).findFirst()
            .orElse(null);
        if (redis != null)
        {
            final boolean met = redis.roundTripsPerRound().stream().allMatch(n -> n >= 0.995 && n <= 1.005)
                && redis.fallbacks() == 0;
            targets.add(Target.of("rate-limit-global: Redis round trips per request, each round (goal 1; a count, whatever the"
                    + " headroom)").with("per_round", redis.roundTripsPerRound().stream().map(n -> new Target.Num(n, 3)).toList())
                .with("target", new Target.Num(1, 0)).with("verdict", met ? Verdict.MET : Verdict.NOT_MET));
        }
        return new GatewayFigures(peers, costs, headroom, targets, HarnessRules.targetMet(targets), rules);
    }

    private static double cpuUs(final Run run)
    {
        return Verdict.ratio(run.number("proxy_cgroup_cpu_us"), run.number("requests"));
    }

    private static Peer peer(final HarnessRules rules, final String p)
    {
        final List<Run> warm = rules.ok("warm", p);
        final HarnessRules.Checked checked = rules.checked(p);
        return new Peer(rules.rates(p), checked, checked.runs().isEmpty() ? "" : checked.runs().getFirst().text("codes"),
            Fixed.rounded(HarnessRules.median(warm, GatewayFigures::cpuUs), 2),
            Fixed.rounded(HarnessRules.median(warm, run -> run.number("wrk_p99_ms")), 2),
            Fixed.rounded(HarnessRules.median(warm, run -> run.number("throttled_s")), 2), redis(warm), rules.failed(p));
    }

    private static Redis redis(final List<Run> warm)
    {
        if (warm.isEmpty() || warm.getFirst().fields().get("redis_scripts") == null)
        {
            return null;
        }
        return new Redis(Fixed.rounded(HarnessRules.median(warm, GatewayFigures::roundTrips), 3),
            warm.stream().map(run -> Fixed.rounded(roundTrips(run), 3)).toList(),
            Fixed.rounded(HarnessRules.median(warm, run -> Verdict.ratio(run.number("redis_decisions"), run.number("requests"))),
                3),
            warm.stream().mapToDouble(run -> run.number("fallbacks")).sum(),
            Fixed.rounded(HarnessRules.median(warm, run -> Verdict.ratio(run.number("redis_cpu_s") * 1e6,
                run.number("requests"))), 2),
            Fixed.rounded(HarnessRules.median(warm, run -> Verdict.ratio(run.number("redis_cpu_s") * 100 * run.number("hz"),
                run.number("window_ticks"))), 1));
    }

    /** Redis's round trips per request: the scripts it ran (eval and evalsha calls) over the requests. */
    private static double roundTrips(final Run run)
    {
        return Verdict.ratio(run.number("redis_scripts"), run.number("requests"));
    }

    private static List<Cost> costs(final HarnessRules rules, final List<HarnessRules.PeerRates> rates, final double share)
    {
        final HarnessRules.PeerRates plain = HarnessRules.find(rates, PLAIN);
        if (plain == null || plain.rps().median() == 0)
        {
            return List.of();
        }
        final List<Cost> costs = new ArrayList<>();
        for (final HarnessRules.PeerRates p : rates)
        {
            if (p.direct() || PLAIN.equals(p.proxy()) || p.rps().median() == 0)
            {
                continue;
            }
            final List<Double> perRound = new ArrayList<>();
            for (int r = 1; r <= rules.rounds(); r++)
            {
                final Run x = rules.warmIn(p.proxy(), r);
                final Run y = rules.warmIn(PLAIN, r);
                if (x != null && y != null)
                {
                    perRound.add(Fixed.rounded(cpuUs(x) - cpuUs(y), 2));
                }
            }
            costs.add(new Cost(p.proxy(), Fixed.rounded(Summary.of(perRound).median(), 2), perRound,
                Fixed.rounded((1 / p.rps().median() - 1 / plain.rps().median()) * share * 1e6, 2)));
        }
        return costs;
    }
}
