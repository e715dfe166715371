package io.sluice.bench.report;

import java.io.PrintWriter;
import java.util.List;

/** bench/cache/run-cache's result files: {@link CacheFigures} as JSON and as Markdown. */
public final class CacheReport
{
    static final List<String> SETTINGS = List.of("seconds", "runs", "ordered", "gen_cpu", "proxy_cpu", "proxy_cpu_pct",
        "cpu_budget_period_us", "objects", "object_bytes", "cache_mib", "max_object", "slow_delay_s", "coalesce_n",
        "h1_connections", "cold_s", "warmup_segments", "backend_command", "slow_command", "sluice_jvm_command",
        "sluice_transport");

    private final Context context;
    private final CacheFigures figures;

    public CacheReport(final Context context, final List<Run> runs)
    {
        this.context = context;
        this.figures = CacheFigures.of(context, runs);
    }

    public CacheFigures figures()
    {
        return figures;
    }

    public void writeJson(final JsonOut json)
    {
        HarnessRules.writeOpening(json, "cache", context, SETTINGS, figures.headroom());
        for (final CacheFigures.Peer p : figures.peers())
        {
            HarnessRules.writePeer(json, p.rates(), p.checked());
            json.text("second_cache_status", p.secondCacheStatus()).number("fill_backend_requests", p.fillBackendRequests(), 1)
                .number("hit_rate", p.hitRate(), 4).number("cold_hit_rate", p.coldHitRate(), 4)
                .number("cpu_us_per_request", p.cpuUsPerRequest(), 1).number("throttled_s", p.throttledS(), 2)
                .number("runs_failed", p.runsFailed(), 0).endObject();
        }
        json.endArray().startArray("coalescing");
        for (final CacheFigures.Coalescing c : figures.coalescing())
        {
            json.startObject().text("proxy", c.proxy()).text("variant", c.variant()).number("concurrent", c.concurrent(), 0)
                .startObject("backend_requests").number("median", c.backendRequests().median(), 1)
                .number("min", c.backendRequests().min(), 0).number("max", c.backendRequests().max(), 0)
                .number("count", c.backendRequests().count(), 0).endObject().startArray("per_round");
            c.perRound().forEach(n -> json.number(n, 0));
            json.endArray().number("succeeded", c.succeeded(), 1).number("elapsed_s", c.elapsedS(), 2);
            HarnessRules.writeTexts(json, "failures", c.failures());
            json.endObject();
        }
        json.endArray();
        Target.writeVerdicts(json, figures.targets(), figures.met(), figures.rules().runs());
    }

    public void writeMarkdown(final PrintWriter md)
    {
        final Context c = context;
        md.println("# Caching: sluice l7 against nginx proxy_cache and HAProxy's cache, " + c.text("stamp"));
        md.println();
        c.machineLines().forEach(md::println);
        md.println("- command: `" + c.text("command") + "`");
        md.println("- layout: the load generator (h2load --h1 -t1 -c" + c.text("h1_connections") + " over the objects in turn)"
            + " and the backends on CPU " + c.text("gen_cpu") + "; each proxy alone on CPU " + c.text("proxy_cpu") + " with "
            + HarnessRules.budget(c) + "; its CPU time from its cgroup's account");
        md.println("- objects: " + c.text("objects") + " JSON documents of " + c.text("object_bytes")
            + " bytes with Cache-Control public, max-age=3600, from `" + c.text("backend_command") + "`; every cache "
            + c.text("cache_mib")
            + " MiB, objects up to " + c.text("max_object") + " bytes");
        md.println("- each round and peer: one start (cache empty), a check (/obj/0 twice: the second must not reach the"
            + " backend), every object once (the fill), cold (" + c.text("cold_s") + " s), a warm-up ("
            + c.text("warmup_segments")
            + " s), warm (" + c.text("seconds") + " s), then coalescing; " + c.text("runs") + " rounds, interleaved; medians");
        md.println("- coalescing: " + c.text("coalesce_n") + " requests at once (h2load --h1 -c" + c.text("coalesce_n") + " -n"
            + c.text("coalesce_n") + ") for a key not yet asked for, which `" + c.text("slow_command") + "` answers after "
            + c.text("slow_delay_s") + " s");
        md.println("- sluice l7's JVM: `" + c.text("sluice_jvm_command") + "` (" + c.text("sluice_transport") + ")");
        md.println();
        md.println("## Cached responses (warm unless said)");
        md.println();
        md.println(HarnessRules.row("peer", "requests/s (min-max, n)", "cold requests/s", "cold / warm", "hit rate",
            "cold hit rate", "CPU us per request", "backend requests in the fill", "throttled s", "checked",
            "Cache-Status of a hit"));
        md.println(HarnessRules.row("---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---", "---"));
        for (final CacheFigures.Peer p : figures.peers())
        {
            final boolean direct = p.rates().direct();
            md.println(HarnessRules.row(p.rates().proxy(), HarnessRules.ratesCell(p.rates()), direct ? "-" : p.rates().coldRps(),
                direct ? "-" : Fixed.of(p.rates().coldOverWarm(), 2), direct ? "- (no cache)" : Fixed.of(p.hitRate(), 4),
                direct ? "-" : Fixed.of(p.coldHitRate(), 4), direct ? "-" : Fixed.of(p.cpuUsPerRequest(), 1),
                direct ? "-" : p.fillBackendRequests(), Fixed.of(p.throttledS(), 2),
                p.checked().verified() ? "yes" : p.checked().failuresText(), p.secondCacheStatus()));
        }
        md.println();
        md.println("Hit rate: 1 - the backend's requests (its access log) over the requests the proxy served in the run; every"
            + " object was stored by the fill, so under 1 means the proxy did not serve from its cache.");
        md.println();
        md.println("## Coalescing");
        md.println();
        md.println(HarnessRules.row("peer", "variant", "concurrent", "backend requests (median, min-max)", "per round",
            "answered (median)", "seconds (median)", "failures"));
        md.println(HarnessRules.row("---", "---", "---:", "---:", "---", "---:", "---:", "---"));
        for (final CacheFigures.Coalescing k : figures.coalescing())
        {
            md.println(HarnessRules.row(k.proxy(), k.variant(), k.concurrent(), HarnessRules.plain(k.backendRequests().median())
                + " (" + HarnessRules.plain(k.backendRequests().min()) + "-" + HarnessRules.plain(k.backendRequests().max())
                + ")",
                String.join(", ", k.perRound().stream().map(HarnessRules::plain).toList()), k.succeeded(),
                Fixed.of(k.elapsedS(), 2), String.join("; ", k.failures())));
        }
        md.println();
        HarnessRules.headroomSection(md, figures.headroom(), "h2load against a copy of the backend with the whole of CPU "
            + c.text("proxy_cpu") + ": what the generator alone offers, as a proxy's cache hits leave CPU " + c.text("gen_cpu")
            + " to it", "requests/s", "proxy", " on rates");
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
                md.println(HarnessRules.rateLine(t, "", true));
            }
            else
            {
                md.println("- " + t.fields().get("what") + ": **" + String.join(", ", ((List<?>)t.fields().get("per_round"))
                    .stream().map(n -> HarnessRules.plain(((Target.Num)n).value())).toList()) + "** (answered: "
                    + HarnessRules.plain(((Target.Num)t.fields().get("succeeded")).value()) + "); " + t.verdict());
            }
        }
        md.println();
        md.println(HarnessRules.metLine(figures.met()));
        md.println();
        md.println("## Runs");
        md.println();
        md.println(HarnessRules.row("kind", "peer", "round", "status", "requests/s", "requests", "failed", "non-2xx",
            "backend requests", "proxy cgroup CPU s", "throttled s", "reason"));
        md.println(HarnessRules.row("---", "---", "---:", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---"));
        for (final Run run : figures.rules().runs().all())
        {
            final String kind = run.text("kind");
            if ("cold".equals(kind) || "warm".equals(kind) || "fill".equals(kind))
            {
                md.println(HarnessRules.row(kind, HarnessRules.cell(run, "proxy"), HarnessRules.cell(run, "run"),
                    HarnessRules.cell(run, "status"), run.fields().get("rps") == null ? "-" : HarnessRules.cell(run, "rps"),
                    HarnessRules.cell(run, "requests"), HarnessRules.cell(run, "failed"), HarnessRules.cell(run, "non_2xx"),
                    HarnessRules.cell(run, "backend_requests"), Fixed.of(run.number("proxy_cgroup_cpu_us") / 1e6, 2),
                    Fixed.of(run.number("throttled_s"), 2), HarnessRules.cell(run, "reason")));
            }
        }
        md.println();
        md.println(figures.rules().commandsLine());
    }
}
