package io.sluice.bench.report;

import java.io.PrintWriter;
import java.util.List;

/** bench/gateway/run-gateway's result files: {@link GatewayFigures} as JSON and as Markdown. */
public final class GatewayReport
{
    static final List<String> SETTINGS = List.of("seconds", "runs", "ordered", "gen_cpu", "proxy_cpu", "proxy_cpu_pct",
        "cpu_budget_period_us", "wrk_connections", "cold_s", "warmup_segments", "backend_command", "redis_command", "issuer",
        "audience", "unlimited", "sluice_jvm_command", "sluice_transport");

    private final Context context;
    private final GatewayFigures figures;

    public GatewayReport(final Context context, final List<Run> runs)
    {
        this.context = context;
        this.figures = GatewayFigures.of(context, runs);
    }

    public GatewayFigures figures()
    {
        return figures;
    }

    public void writeJson(final JsonOut json)
    {
        HarnessRules.writeOpening(json, "gateway", context, SETTINGS, figures.headroom());
        for (final GatewayFigures.Peer p : figures.peers())
        {
            HarnessRules.writePeer(json, p.rates(), p.checked());
            json.text("verify_codes", p.verifyCodes()).number("cpu_us_per_request", p.cpuUsPerRequest(), 2)
                .number("wrk_p99_ms", p.wrkP99Ms(), 2).number("throttled_s", p.throttledS(), 2);
            final GatewayFigures.Redis r = p.redis();
            if (r == null)
            {
                json.nul("redis");
            }
            else
            {
                json.startObject("redis").number("round_trips_per_request", r.roundTripsPerRequest(), 3)
                    .startArray("round_trips_per_round");
                r.roundTripsPerRound().forEach(n -> json.number(n, 3));
                json.endArray().number("decisions_per_request", r.decisionsPerRequest(), 3).number("fallbacks", r.fallbacks(), 0)
                    .number("cpu_us_per_request", r.cpuUsPerRequest(), 2).number("cpu_pct", r.cpuPct(), 1).endObject();
            }
            json.number("runs_failed", p.runsFailed(), 0).endObject();
        }
        json.endArray().startArray("costs");
        for (final GatewayFigures.Cost c : figures.costs())
        {
            json.startObject().text("filter", c.filter()).number("cost_us", c.costUs(), 2).startArray("cost_us_per_round");
            c.costUsPerRound().forEach(n -> json.number(n, 2));
            json.endArray().number("cost_us_from_rates", c.costUsFromRates(), 2).endObject();
        }
        json.endArray();
        Target.writeVerdicts(json, figures.targets(), figures.met(), figures.rules().runs());
    }

    public void writeMarkdown(final PrintWriter md)
    {
        final Context c = context;
        md.println("# Gateway filters: the cost of a JWT check, an API key and a rate limit in sluice l7, " + c.text("stamp"));
        md.println();
        c.machineLines().forEach(md::println);
        md.println("- command: `" + c.text("command") + "`");
        md.println("- layout: the load generator (wrk -t1 -c" + c.text("wrk_connections")
            + ", keep-alive), the backends and Redis on CPU " + c.text("gen_cpu")
            + "; each variant, a sluice l7 process of its own, alone on CPU " + c.text("proxy_cpu") + " with "
            + HarnessRules.budget(c) + "; its CPU time from its cgroup's account");
        md.println("- backends: `" + c.text("backend_command") + "`; Redis: `" + c.text("redis_command") + "`");
        md.println("- variants: plain (no filter); jwt-es256 and jwt-rs256 (keys_file JWKS made for the run, issuer "
            + c.text("issuer") + ", audience " + c.text("audience")
            + ", a valid token in Authorization: Bearer on every request, checked once and then found in the route's cache"
            + " of verified tokens; -uncached: that cache off, every request's signature checked); api-key (X-Api-Key on every request);"
            + " rate-limit-local (client-address, " + c.text("unlimited")
            + ": counted, never refused); rate-limit-global (the same, global: true, in Redis)");
        md.println("- each round and variant: one start, a check that it does what is measured, cold (its first "
            + c.text("cold_s") + " s), a warm-up (" + c.text("warmup_segments") + " s), warm (" + c.text("seconds") + " s); "
            + c.text("runs")
            + " rounds, interleaved, direct first; medians");
        md.println("- sluice l7's JVM: `" + c.text("sluice_jvm_command") + "` (" + c.text("sluice_transport") + ")");
        md.println();
        md.println("## Requests per second (warm unless said)");
        md.println();
        md.println(HarnessRules.row("variant", "requests/s (min-max, n)", "cold requests/s", "cold / warm",
            "proxy CPU us per request", "wrk p99 ms", "throttled s", "checked"));
        md.println(HarnessRules.row("---", "---:", "---:", "---:", "---:", "---:", "---:", "---"));
        for (final GatewayFigures.Peer p : figures.peers())
        {
            final boolean direct = p.rates().direct();
            md.println(HarnessRules.row(p.rates().proxy(), HarnessRules.ratesCell(p.rates()), direct ? "-" : p.rates().coldRps(),
                direct ? "-" : Fixed.of(p.rates().coldOverWarm(), 2), direct ? "-" : Fixed.of(p.cpuUsPerRequest(), 2),
                Fixed.of(p.wrkP99Ms(), 2), Fixed.of(p.throttledS(), 2),
                p.checked().verified() ? "yes (" + p.verifyCodes() + ")" : p.checked().failuresText()));
        }
        md.println();
        md.println("## Cost per request of each filter");
        md.println();
        md.println("cost = (proxy CPU seconds / requests of the variant - proxy CPU seconds / requests of plain) x 1e6, from the"
            + " cgroup's account over each warm run, the median of the rounds' differences (work per request, whatever the"
            + " budget); beside it the same from the rates, (1 / rps_variant - 1 / rps_plain) x " + c.text("proxy_cpu_pct")
            + " % x 1e6, which agrees while the proxy uses all of its budget.");
        md.println();
        md.println(HarnessRules.row("filter", "cost us (cgroup CPU)", "per round", "cost us (from the rates)"));
        md.println(HarnessRules.row("---", "---:", "---", "---:"));
        for (final GatewayFigures.Cost k : figures.costs())
        {
            md.println(HarnessRules.row(k.filter(), Fixed.of(k.costUs(), 2),
                String.join(", ", k.costUsPerRound().stream().map(n -> Fixed.of(n, 2)).toList()),
                Fixed.of(k.costUsFromRates(), 2)));
        }
        md.println();
        redis(md);
        HarnessRules.headroomSection(md, figures.headroom(), "wrk straight to one backend, no proxy", "requests/s", "variant",
            " on rates");
        md.println("## Ratios and targets");
        md.println();
        for (final Target t : figures.targets())
        {
            if (Verdict.NOT_MEASURED.equals(t.verdict()))
            {
                md.println("- " + t.fields().get("what") + ": not measured");
            }
            else if (t.fields().containsKey("a"))
            {
                md.println(HarnessRules.rateLine(t, "", false));
            }
            else
            {
                md.println("- " + t.fields().get("what") + ": **" + String.join(", ", ((List<?>)t.fields().get("per_round"))
                    .stream().map(n -> Fixed.of(((Target.Num)n).value(), 3)).toList()) + "**; " + t.verdict());
            }
        }
        md.println();
        md.println(HarnessRules.metLine(figures.met()));
        md.println();
        md.println("## Runs");
        md.println();
        md.println(HarnessRules.row("kind", "variant", "round", "status", "requests/s", "requests", "non-2xx",
            "proxy cgroup CPU s", "throttled s", "Redis scripts", "reason"));
        md.println(HarnessRules.row("---", "---", "---:", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---"));
        for (final Run run : figures.rules().runs().all())
        {
            final String kind = run.text("kind");
            if ("cold".equals(kind) || "warm".equals(kind))
            {
                md.println(HarnessRules.row(kind, HarnessRules.cell(run, "proxy"), HarnessRules.cell(run, "run"),
                    HarnessRules.cell(run, "status"), HarnessRules.cell(run, "rps"), HarnessRules.cell(run, "requests"),
                    HarnessRules.cell(run, "non_2xx"), Fixed.of(run.number("proxy_cgroup_cpu_us") / 1e6, 2),
                    Fixed.of(run.number("throttled_s"), 2),
                    run.fields().get("redis_scripts") == null ? "-" : HarnessRules.cell(run, "redis_scripts"),
                    HarnessRules.cell(run, "reason")));
            }
        }
        md.println();
        md.println(figures.rules().commandsLine());
    }

    private void redis(final PrintWriter md)
    {
        final GatewayFigures.Redis x = figures.peers().stream().filter(p -> GatewayFigures.GLOBAL.equals(p.rates().proxy()))
            .map(GatewayFigures.Peer::redis).filter(r -> r != null).findFirst().orElse(null);
        if (x == null)
        {
            return;
        }
        md.println("## Redis (rate-limit-global)");
        md.println();
        md.println("- round trips per request (eval + evalsha calls in INFO commandstats over the requests): **"
            + Fixed.of(x.roundTripsPerRequest(), 3) + "** (per round: "
            + String.join(", ", x.roundTripsPerRound().stream().map(n -> Fixed.of(n, 3)).toList()) + "; goal 1)");
        md.println("- decisions the proxy counted per request (sluice_l7_redis_decisions_total): "
            + Fixed.of(x.decisionsPerRequest(), 3) + "; fallbacks to the local limit: " + HarnessRules.plain(x.fallbacks()));
        md.println("- Redis's CPU (INFO cpu, user + system): " + Fixed.of(x.cpuUsPerRequest(), 2) + " us per request, "
            + Fixed.of(x.cpuPct(), 1) + " % of a core");
        md.println();
    }
}
