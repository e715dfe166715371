package io.sluice.bench.report;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** bench/rps/run-rps's result files: {@link RpsFigures} as JSON and as Markdown. */
public final class RpsReport
{
    /** A latency p99 at or above this share of a connection's request period is flagged (coordinated omission). */
    static final double P99_SHARE_OF_PERIOD = 0.2;
    /** An achieved rate below this share of the offered one is flagged. */
    static final double ACHIEVED_SHARE = 0.95;

    private final Context context;
    private final RpsFigures figures;

    public RpsReport(final Context context, final List<Run> runs)
    {
        this.context = context;
        this.figures = RpsFigures.of(context, runs.stream().map(RpsWindow::percentages).toList());
    }

    public void writeJson(final JsonOut json)
    {
        json.startObject();
        context.writeMachine(json);
        if (!context.textOr("baseline", "").isEmpty())
        {
            json.startObject("baseline").text("revision", context.text("baseline"))
                .text("commit", context.text("baseline_commit"))
                .text("jvm_command", context.textOr("baseline_jvm_command", ""))
                .text("transport", context.textOr("baseline_transport", ""))
                .endObject();
        }
        json.text("command", context.text("command")).number("seconds", context.integer("seconds"), 0)
            .number("runs", context.integer("runs"), 0).number("warmup_s", context.integer("warmup_s"), 0)
            .number("haproxy_max_rps", context.integer("max_rps"), 0)
            .text("sluice_jvm_command", context.textOr("sluice_jvm_command", ""))
            .text("sluice_transport", context.textOr("sluice_transport", ""))
            .text("backend_command", context.text("backend_command"));
        throughputJson(json, "throughput", figures.throughput());
        throughputJson(json, "throughput_h2", figures.throughputH2());
        json.startArray("warm_up");
        for (final RpsCalculation.WarmUp w : figures.warmUp())
        {
            json.startObject().text("proxy", w.proxy()).number("cold_rps", w.cold().median(), 0)
                .number("cold_ok_runs", w.cold().count(), 0).number("after_one_run_rps", w.afterOneRun().median(), 0)
                .number("after_one_run_ok_runs", w.afterOneRun().count(), 0).number("warm_rps", w.warm().median(), 0)
                .number("cold_to_warm", w.coldShare(), 2).number("after_one_run_to_warm", w.afterOneRunShare(), 2).endObject();
        }
        json.endArray();
        latencyJson(json, figures.latency());
        figures.headroom().write(json, "headroom");
        figures.headroomH2().write(json, "headroom_h2");
        Target.writeVerdicts(json, figures.targets(), figures.met(), figures.runs());
    }

    /** The open-loop latency rows as the result JSON's "latency" array (run-rps's and run-tls's). */
    static void latencyJson(final JsonOut json, final List<RpsCalculation.Latency> rows)
    {
        json.startArray("latency");
        for (final RpsCalculation.Latency l : rows)
        {
            json.startObject().text("proxy", l.proxy()).number("rate_pct", Double.parseDouble(l.ratePct()), 0)
                .number("offered_rps", l.offered(), 0).number("achieved_rps", l.achieved(), 0).number("p50_ms", l.p50Ms(), 3)
                .number("p99_ms", l.p99Ms().median(), 3).number("p99_min_ms", l.p99Ms().min(), 3)
                .number("p99_max_ms", l.p99Ms().max(), 3).number("p999_ms", l.p999Ms(), 3)
                .number("max_ms", l.maxMs(), 3).number("proxy_cpu_pct", l.cpuPct(), 0).number("ok_runs", l.p99Ms().count(), 0)
                .number("failed", l.failed(), 0).number("non_2xx", l.non2xx(), 0).endObject();
        }
        json.endArray();
    }

    private static void throughputJson(final JsonOut json, final String name, final List<RpsCalculation.Throughput> rows)
    {
        json.startArray(name);
        for (final RpsCalculation.Throughput t : rows)
        {
            json.startObject().text("proxy", t.proxy()).number("rps", t.rps().median(), 0).number("min", t.rps().min(), 0)
                .number("max", t.rps().max(), 0).number("ok_runs", t.rps().count(), 0).number("runs", t.runs(), 0)
                .number("cores", t.cores(), 0).number("rps_per_core", t.perCore(), 0)
                .number("ratio_to_haproxy", t.ratioToHaproxy(), 2)
                .number("proxy_cpu_pct", t.cpuPct(), 0).number("rps_per_proxy_cpu_second", t.perCpuSecond(), 0)
                .number("per_cpu_second_ratio_to_haproxy", t.perCpuSecondRatio(), 2).number("proxy_rss_mib", t.rssMib(), 0)
                .number("wrk_p50_ms", t.p50Ms(), 3).number("wrk_p99_ms", t.p99Ms(), 3).number("non_2xx", t.non2xx(), 0)
                .number("socket_errors", t.socketErrors(), 0).endObject();
        }
        json.endArray();
    }

    public void writeMarkdown(final PrintWriter md)
    {
        final String seconds = context.text("seconds");
        final String runs = context.text("runs");
        final String maxRps = context.text("max_rps");
        final String connections = context.text("wrk_connections");
        final String segments = context.text("warmup_segments").replace(' ', '+');
        md.println("# Requests per second: sluice l7, HAProxy, nginx — " + context.text("stamp"));
        md.println();
        context.machineLines().forEach(md::println);
        if (!context.textOr("baseline", "").isEmpty())
        {
            md.println("- sluice-l7-baseline: sluice at " + context.text("baseline_short") + " (`--baseline "
                + context.text("baseline")
                + "`, commit " + context.text("baseline_commit") + "), built in a worktree of its own");
        }
        md.println("- command: `" + context.text("command") + "`");
        md.println("- CPU " + context.text("gen_cpu") + ": the load generator and the backends (`"
            + context.text("backend_command")
            + "`: two servers, 64-byte body);");
        md.println("  CPU " + context.text("proxy_cpu") + ": the proxy under test, all of its threads" + budgetText(context)
            + ". Loopback (127.0.0.1).");
        md.println("- throughput: `wrk -t1 -c" + connections + " -d" + seconds + "s` (keep-alive, closed loop) after a "
            + context.text("warmup_s") + " s warm-up (wrk runs of " + segments + " s), " + runs
            + " run(s) per proxy, interleaved; medians");
        if (!figures.latency().isEmpty())
        {
            md.println("- latency: open loop at 50 % and 80 % of HAProxy's median maximum (" + maxRps + " requests/s"
                + ("0".equals(context.text("max_rps_given")) ? "" : ", given with --max-rps") + "),");
            md.println("  `h2load --h1 --rps` over " + seconds
                + " s, connections opened one per millisecond so that their request timers");
            md.println("  spread out; p50/p99 from h2load's per-request log (time from sending a request to the end of its"
                + " answer);");
            md.println("  " + runs
                + " run(s) per proxy and rate, medians. A connection has one request in flight: a request due while the");
            md.println("  previous one is unanswered waits, uncounted (see bench/README.md)");
        }
        md.println();
        md.println("## Target");
        md.println();
        figures.verdictLines().forEach(md::println);
        md.println();
        throughputTable(md, "## Throughput (wrk, closed loop)", figures.throughput(), true);
        if (!figures.throughputH2().isEmpty())
        {
            throughputTable(md, "## Throughput over HTTP/2 (h2load, h2c, closed loop, " + context.textOr("h2_connections", "?")
                + " connections × " + context.textOr("h2_streams", "?") + " streams; to the backends HTTP/1.1)",
                figures.throughputH2(), false);
        }
        warmUpTable(md);
        if (!figures.latency().isEmpty())
        {
            latencyTable(md, figures.latency(), context.text("runs"));
        }
        flags(md, figures.runs());
        everyRun(md, maxRps);
        commands(md, connections, segments);
    }

    /** withWrkLatency: wrk's own p50/p99 (closed loop), which h2load's throughput runs do not give. */
    private void throughputTable(final PrintWriter md, final String title, final List<RpsCalculation.Throughput> rows,
        final boolean withWrkLatency)
    {
        md.println(title);
        md.println();
        md.println("rps per core = rps ÷ the one core the proxy is pinned to; per CPU-second = rps ÷ the CPU time the proxy");
        md.println("actually used (user + system, all of its threads), a second view when a proxy does not fill its core.");
        md.println();
        md.println("| proxy | rps (median) | min | max | ok runs | rps per core | ratio to haproxy"
            + " | proxy CPU % | rps per CPU-second"
            + " | ratio to haproxy | RSS MiB | wrk p50 ms | wrk p99 ms | non-2xx | socket errors |");
        md.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (final RpsCalculation.Throughput t : rows)
        {
            final String head = " | " + Fixed.of(t.rps().median(), 0) + " | " + Fixed.of(t.rps().min(), 0) + " | "
                + Fixed.of(t.rps().max(), 0) + " | " + t.rps().count() + "/" + t.runs() + " | ";
            final String wrk = withWrkLatency ? Fixed.of(t.p50Ms(), 3) + " | " + Fixed.of(t.p99Ms(), 3) : "– | –";
            final String tail = " | " + wrk + " | "
                + Fixed.of(t.non2xx(), 0) + " | "
                + Fixed.of(t.socketErrors(), 0) + " |";
            if (RpsCalculation.DIRECT.equals(t.proxy()))
            {
                md.println("| direct (no proxy, one backend)" + head + "– | – | – | – | – | –" + tail);
            }
            else
            {
                md.println("| " + t.proxy() + head + Fixed.of(t.perCore(), 0) + " | " + Fixed.of(t.ratioToHaproxy(), 2) + " | "
                    + Fixed.of(t.cpuPct(), 0) + " | " + Fixed.of(t.perCpuSecond(), 0) + " | "
                    + Fixed.of(t.perCpuSecondRatio(), 2) + " | "
                    + Fixed.of(t.rssMib(), 0) + tail);
            }
        }
        md.println();
    }

    private void warmUpTable(final PrintWriter md)
    {
        if (figures.warmUp().isEmpty())
        {
            return;
        }
        md.println("## Warm-up (wrk, closed loop, each state on a freshly started proxy)");
        md.println();
        md.println("cold = the first " + context.textOr("cold_s", "?")
            + " s after the proxy first answers; after one run = a new wrk"
            + " run after one " + context.text("warmup_s") + " s run (its connections the first to close after a long run);");
        md.println("warm = after the cold run and the " + context.text("warmup_segments").replace(' ', '+')
            + " s warm-up, the rate in the throughput table. Medians of the rounds.");
        md.println();
        md.println("| proxy | cold rps | after one run rps | warm rps | cold / warm | after one run / warm |");
        md.println("|---|---:|---:|---:|---:|---:|");
        for (final RpsCalculation.WarmUp w : figures.warmUp())
        {
            md.println("| " + w.proxy() + " | " + Fixed.of(w.cold().median(), 0) + " | " + Fixed.of(w.afterOneRun().median(), 0)
                + " | " + Fixed.of(w.warm().median(), 0) + " | " + Fixed.of(w.coldShare(), 2) + " | "
                + Fixed.of(w.afterOneRunShare(), 2) + " |");
        }
        md.println();
    }

    /** The open-loop latency rows as a Markdown table (run-rps's and run-tls's); runs: the runs per proxy and rate. */
    static void latencyTable(final PrintWriter md, final List<RpsCalculation.Latency> rows, final String runs)
    {
        md.println("## Latency at a fixed rate (h2load, open loop)");
        md.println();
        md.println("| proxy | rate | offered rps | achieved rps | p50 ms | p99 ms (median) | p99 min–max"
            + " | p99.9 ms | max ms | proxy CPU % | ok runs"
            + " | failed | non-2xx |");
        md.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (final RpsCalculation.Latency l : rows)
        {
            md.println("| " + l.proxy() + " | " + l.ratePct() + " % | " + Fixed.of(l.offered(), 0) + " | "
                + Fixed.of(l.achieved(), 0)
                + " | " + Fixed.of(l.p50Ms(), 3) + " | " + Fixed.of(l.p99Ms().median(), 3) + " | "
                + Fixed.of(l.p99Ms().min(), 3) + "–"
                + Fixed.of(l.p99Ms().max(), 3) + " | " + Fixed.of(l.p999Ms(), 3) + " | " + Fixed.of(l.maxMs(), 3) + " | "
                + Fixed.of(l.cpuPct(), 0) + " | "
                + l.p99Ms().count() + "/" + runs + " | " + Fixed.of(l.failed(), 0) + " | "
                + Fixed.of(l.non2xx(), 0) + " |");
        }
        md.println();
    }

    /** Latency runs whose p99 is near a connection's request period, or that fell short of the offered rate. */
    static void flags(final PrintWriter md, final RunSet runs)
    {
        boolean any = false;
        for (final Run run : runs.ok(RunSet.where("kind", "latency")))
        {
            final String where = run.text("proxy") + " at " + run.text("rate_pct") + " % (run " + run.text("run") + ")";
            final double period = 1000 / run.number("rps_per_connection");
            if (run.number("p99_ms") >= period * P99_SHARE_OF_PERIOD)
            {
                md.println(String.format(Locale.ROOT,
                    "- %s: p99 %.1f ms is at least a fifth of the %.1f ms between a connection's requests:"
                    + " queued requests are not counted from their due time, so the real p99 is higher", where,
                    run.number("p99_ms"), period));
                any = true;
            }
            if (run.number("achieved_rps") < ACHIEVED_SHARE * run.number("offered_rps"))
            {
                md.println(String.format(Locale.ROOT, "- %s: achieved %d of %d requests/s offered", where,
                    (long)run.number("achieved_rps"), (long)run.number("offered_rps")));
                any = true;
            }
        }
        if (any)
        {
            md.println();
        }
    }

    private void everyRun(final PrintWriter md, final String maxRps)
    {
        md.println("## Every run");
        md.println();
        md.println("CPU % over the measured window: the proxy's own (all threads), each CPU's busy time (user, system, irq,");
        md.println("softirq), and what other processes on this shared machine used on both CPUs (busy time less the proxy's,");
        md.println("the backends' and the load generator's)."
            + " quiet wait = seconds waited beforehand (at most 5) for the machine to calm.");
        md.println();
        md.println("| kind | proxy | run | rate | rps (achieved) | p50 ms | p99 ms | non-2xx | errors | proxy CPU %"
            + " | CPU 0 % | CPU 1 %"
            + " | others CPU % | RSS MiB | quiet wait s | status |");
        md.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (final Run run : figures.runs().all())
        {
            final String tail = " | " + run.text("proxy_cpu_pct") + " | " + run.text("cpu0_busy_pct") + " | "
                + run.text("cpu1_busy_pct")
                + " | " + run.text("others_cpu_pct") + " | " + run.text("proxy_rss_mib") + " | " + run.text("quiet_wait_s")
                + " | "
                + run.text("status") + " " + run.text("reason") + " |";
            if (!"latency".equals(run.text("kind")))
            {
                md.println("| " + run.text("kind") + " | " + run.text("proxy") + " | " + run.text("run") + " | max | "
                    + run.text("rps") + " | "
                    + run.text("wrk_p50_ms") + " | " + run.text("wrk_p99_ms") + " | " + run.text("non_2xx") + " | "
                    + run.text("socket_errors") + tail);
            }
            else
            {
                md.println("| latency | " + run.text("proxy") + " | " + run.text("run") + " | " + run.text("rate_pct")
                    + " % of " + maxRps
                    + " | " + run.text("achieved_rps") + " of " + run.text("offered_rps") + " | " + run.text("p50_ms") + " | "
                    + run.text("p99_ms") + " | " + run.text("non_2xx") + " | " + run.text("failed") + tail);
            }
        }
        md.println();
    }

    private void commands(final PrintWriter md, final String connections, final String segments)
    {
        md.println("## Commands");
        md.println();
        md.println("- backends: `" + context.text("backend_command") + "`");
        for (final String p : context.list("ordered"))
        {
            final String command = figures.runs().first(RunSet.where("proxy", p)).map(run -> run.text("proxy_command"))
                .orElse("");
            md.println("- " + p + ": `" + command + "`");
        }
        if (!context.textOr("sluice_jvm_command", "").isEmpty())
        {
            md.println("- sluice l7's JVM, as the launcher started it: `" + context.text("sluice_jvm_command")
                + "`; socket transport: "
                + orElse(context.textOr("sluice_transport", ""), "unknown"));
        }
        if (!context.textOr("baseline_jvm_command", "").isEmpty())
        {
            md.println("- sluice-l7-baseline's JVM, as its revision's launcher started it: `"
                + context.text("baseline_jvm_command")
                + "`; socket transport: " + orElse(context.textOr("baseline_transport", ""), "unknown"));
        }
        final TreeSet<String> throughput = new TreeSet<>();
        final TreeSet<String> latency = new TreeSet<>();
        for (final Run run : figures.runs().all())
        {
            if (run.text("command").isEmpty())
            {
                continue;
            }
            if (!"latency".equals(run.text("kind")))
            {
                throughput.add("- " + run.text("kind") + ", " + run.text("proxy") + ": `" + run.text("command") + "`");
            }
            else
            {
                latency.add("- latency " + run.text("rate_pct") + " %, " + run.text("proxy") + ": `" + run.text("command") + "`");
            }
        }
        throughput.forEach(md::println);
        latency.forEach(md::println);
        md.println("- (each latency run after a warm-up of `wrk -t1 -c" + connections + "` runs of " + segments
            + " s of a freshly started proxy, then " + context.text("warmup_open_s")
            + " s of the open loop at the highest rate, not recorded)");
    }

    private static String orElse(final String text, final String otherwise)
    {
        return text.isEmpty() ? otherwise : text;
    }

    /** The CPU budget the proxies ran under (run-rps --proxy-cpu), or nothing when they had the whole core. */
    static String budgetText(final Context context)
    {
        final String pct = context.textOr("proxy_cpu_pct", "100");
        if ("100".equals(pct))
        {
            return ", the whole core";
        }
        return ", limited to **" + pct + " % of that core** (a cgroup's CFS quota per "
            + Integer.parseInt(context.textOr("cpu_budget_period_us", "0")) / 1000
            + " ms period, `--proxy-cpu`): the same CPU time for every proxy, so that the generator keeps its headroom";
    }
}
