package io.sluice.bench.report;

import java.io.PrintWriter;
import java.util.List;
import java.util.TreeSet;

/** bench/tls/run-tls's result files: {@link TlsFigures} as JSON and as Markdown. */
public final class TlsReport
{
    private final Context context;
    private final TlsFigures figures;

    public TlsReport(final Context context, final List<Run> runs)
    {
        this.context = context;
        this.figures = TlsFigures.of(context, runs);
    }

    public void writeJson(final JsonOut json)
    {
        json.startObject();
        context.writeMachine(json);
        json.text("command", context.text("command")).number("seconds", context.integer("seconds"), 0)
            .number("runs", context.integer("runs"), 0).text("keys", context.text("keys"))
            .number("proxy_cpu_pct", context.integer("proxy_cpu_pct"), 0)
            .text("certificates", context.text("certificate_command"))
            .text("sluice_jvm_command", context.textOr("sluice_jvm_command", ""))
            .text("sluice_transport", context.textOr("sluice_transport", ""))
            .text("backend_command", context.text("backend_command"));
        json.startArray("figures");
        for (final TlsCalculation.Figure f : figures.figures())
        {
            json.startObject().text("kind", f.kind()).text("key", f.key()).startArray("proxies");
            for (final TlsCalculation.Row r : f.rows())
            {
                json.startObject().text("proxy", r.proxy()).number("per_s", r.rps().median(), 0).number("min", r.rps().min(), 0)
                    .number("max", r.rps().max(), 0).number("ok_runs", r.rps().count(), 0)
                    .number("ratio_to_best_peer", r.ratioToBestPeer(), 2).number("proxy_cpu_pct", r.cpuPct(), 0)
                    .number("per_proxy_cpu_second", r.perCpuSecond(), 0).number("proxy_rss_mib", r.rssMib(), 0)
                    .number("connections_or_requests", r.connections(), 0).number("resumed", r.resumed(), 0)
                    .number("errors", r.errors(), 0).number("non_2xx", r.non2xx(), 0).endObject();
            }
            json.endArray();
            f.headroom().write(json, "headroom");
            json.endObject();
        }
        json.endArray();
        RpsReport.latencyJson(json, figures.latency());
        Target.writeVerdicts(json, figures.targets(), figures.met(), figures.runs());
    }

    public void writeMarkdown(final PrintWriter md)
    {
        final String seconds = context.text("seconds");
        md.println("# TLS termination: sluice l7, HAProxy, nginx — " + context.text("stamp"));
        md.println();
        context.machineLines().forEach(md::println);
        md.println("- command: `" + context.text("command") + "`");
        md.println("- CPU " + context.text("gen_cpu") + ": the load generator, the backends and direct's TLS server (`"
            + context.text("backend_command") + "`);");
        md.println("  CPU " + context.text("proxy_cpu") + ": the proxy under test, all of its threads"
            + RpsReport.budgetText(context) + ". Loopback (127.0.0.1).");
        md.println("- certificates, made for this run and served by every proxy: `" + context.text("certificate_command") + "`");
        md.println("- each round starts every proxy once: " + context.text("warmup_keepalive_s") + " s of wrk, "
            + context.text("warmup_handshake_s") + " s of full handshakes per key type, then per key type " + seconds
            + " s of each figure; " + context.text("runs") + " round(s), proxies interleaved; medians");
        md.println("- handshake-full / handshake-resumed: " + context.text("s_time_clients")
            + " `openssl s_time -new` / `-reuse` processes at once, each connection one HTTP/1.0 request; connections"
            + " per second of wall clock. A run counts only if s_time marked no connection resumed (full), every one"
            + " resumed (resumed)");
        md.println("- keepalive-h1: `wrk -t1 -c" + context.text("wrk_connections") + "` over https; keepalive-h2: `h2load -t1 -c"
            + context.text("h2_connections") + " -m" + context.text("h2_streams")
            + "` over https, ALPN h2 (a run counts only if h2 was negotiated); requests per second");
        md.println();
        md.println("## Target");
        md.println();
        figures.verdictLines().forEach(md::println);
        md.println();
        for (final TlsCalculation.Figure f : figures.figures())
        {
            figureTable(md, f);
        }
        if (!figures.latency().isEmpty())
        {
            md.println("Latency runs: over TLS (HTTP/1.1) to the " + context.list("keys").getFirst() + " listener, at "
                + context.text("rates").replace(" ", " % and ") + " % of the better of HAProxy's and nginx's keepalive-h1"
                + " median (" + context.text("max_rps") + " requests/s), after " + context.text("warmup_keepalive_s")
                + " s of wrk and " + context.text("warmup_open_s") + " s of the open loop at the highest rate; see run-rps's"
                + " latency runs in bench/README.md for how h2load spreads the arrivals and what it does not correct.");
            md.println();
            RpsReport.latencyTable(md, figures.latency(), context.text("runs"));
            RpsReport.flags(md, figures.runs());
        }
        unproven(md);
        everyRun(md);
        commands(md);
    }

    private void figureTable(final PrintWriter md, final TlsCalculation.Figure f)
    {
        md.println("## " + f.title() + " (per second)");
        md.println();
        md.println("| proxy | per s (median) | min | max | ok runs | ratio to best peer | proxy CPU % | per CPU-second"
            + " | RSS MiB | connections or requests | resumed | errors | non-2xx |");
        md.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (final TlsCalculation.Row r : f.rows())
        {
            final boolean direct = RpsCalculation.DIRECT.equals(r.proxy());
            final String proxyFigures = direct ? "– | – | – | –" : Fixed.of(r.ratioToBestPeer(), 2) + " | "
                + Fixed.of(r.cpuPct(), 0) + " | " + Fixed.of(r.perCpuSecond(), 0) + " | " + Fixed.of(r.rssMib(), 0);
            md.println("| " + (direct ? "direct (no proxy)" : r.proxy()) + " | " + Fixed.of(r.rps().median(), 0) + " | "
                + Fixed.of(r.rps().min(), 0) + " | " + Fixed.of(r.rps().max(), 0) + " | " + r.rps().count() + "/"
                + context.text("runs") + " | " + proxyFigures + " | " + Fixed.of(r.connections(), 0) + " | "
                + Fixed.of(r.resumed(), 0) + " | " + Fixed.of(r.errors(), 0) + " | " + Fixed.of(r.non2xx(), 0) + " |");
        }
        md.println();
        md.println("Headroom: " + f.headroom().state().text() + " (direct " + Fixed.of(f.headroom().direct(), 0) + ", best proxy "
            + Fixed.of(f.headroom().best(), 0) + ", rule: direct ≥ 2× the best proxy)");
        md.println();
    }

    /** Runs left out of the figures: their handshakes were not what their kind says, or h2 was not negotiated. */
    private void unproven(final PrintWriter md)
    {
        if (figures.unproven().isEmpty())
        {
            return;
        }
        md.println("## Runs left out (not what their kind says)");
        md.println();
        for (final Run run : figures.unproven())
        {
            md.println("- " + run.text("kind") + ", " + run.text("key") + ", " + run.text("proxy") + " (run " + run.text("run")
                + "): " + run.text("resumed") + " of " + run.text("requests") + " connections resumed, protocol "
                + run.text("protocol"));
        }
        md.println();
    }

    private void everyRun(final PrintWriter md)
    {
        md.println("## Every run");
        md.println();
        md.println("CPU % over the measured window, as in run-rps's reports: the proxy's own, each CPU's busy time, and what"
            + " other processes used on both CPUs.");
        md.println();
        md.println("| kind | key | proxy | run | per s | connections or requests | resumed | errors | protocol | proxy CPU %"
            + " | CPU 0 % | CPU 1 % | others CPU % | RSS MiB | quiet wait s | status |");
        md.println("|---|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|");
        for (final Run run : figures.runs().all())
        {
            final String rate = "latency".equals(run.text("kind"))
                ? run.text("achieved_rps") + " of " + run.text("offered_rps") + " (" + run.text("rate_pct") + " %)"
                : run.text("rps");
            md.println("| " + run.text("kind") + " | " + run.text("key") + " | " + run.text("proxy") + " | " + run.text("run")
                + " | " + rate + " | " + run.text("requests") + " | " + run.text("resumed") + " | "
                + run.text("errors") + " | " + run.text("protocol") + " | " + run.text("proxy_cpu_pct") + " | "
                + run.text("cpu0_busy_pct") + " | " + run.text("cpu1_busy_pct") + " | " + run.text("others_cpu_pct") + " | "
                + run.text("proxy_rss_mib") + " | " + run.text("quiet_wait_s") + " | " + run.text("status") + " "
                + run.text("reason") + " |");
        }
        md.println();
    }

    private void commands(final PrintWriter md)
    {
        md.println("## Commands");
        md.println();
        md.println("- backends: `" + context.text("backend_command") + "`");
        for (final String p : context.list("ordered"))
        {
            md.println("- " + p + ": `" + figures.runs().first(RunSet.where("proxy", p)).map(run -> run.text("proxy_command"))
                .orElse("") + "`");
        }
        if (!context.textOr("sluice_jvm_command", "").isEmpty())
        {
            md.println("- sluice l7's JVM, as the launcher started it: `" + context.text("sluice_jvm_command")
                + "`; socket transport: " + context.textOr("sluice_transport", "unknown"));
        }
        final TreeSet<String> commands = new TreeSet<>();
        figures.runs().all().stream().filter(run -> !run.text("command").isEmpty())
            .forEach(run -> commands.add("- " + run.text("kind") + ", " + run.text("proxy") + ": `" + run.text("command") + "`"));
        commands.forEach(md::println);
    }
}
