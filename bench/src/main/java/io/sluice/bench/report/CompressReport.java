package io.sluice.bench.report;

import java.io.PrintWriter;
import java.util.List;

/** bench/compress/run-compress's result files: {@link CompressFigures} as JSON and as Markdown. */
public final class CompressReport
{
    static final List<String> SETTINGS = List.of("seconds", "runs", "ordered", "gen_cpu", "proxy_cpu", "proxy_cpu_pct",
        "cpu_budget_period_us", "gzip_level", "brotli_level", "zstd_level", "body_bytes", "body", "wrk_connections", "cold_s",
        "warmup_segments", "haproxy_compressor", "backend_command", "sluice_jvm_command", "sluice_transport");

    private final Context context;
    private final CompressFigures figures;

    public CompressReport(final Context context, final List<Run> runs)
    {
        this.context = context;
        this.figures = CompressFigures.of(context, runs);
    }

    public CompressFigures figures()
    {
        return figures;
    }

    public void writeJson(final JsonOut json)
    {
        HarnessRules.writeOpening(json, "compress", context, SETTINGS, figures.headroom());
        for (final CompressFigures.Peer p : figures.peers())
        {
            HarnessRules.writePeer(json, p.rates(), p.checked());
            json.text("coding", p.coding()).text("level", p.level());
            json.number("cpu_ms_per_mib", p.cpuMsPerMib(), 2).number("body_bytes", p.bodyBytes(), 0)
                .number("wire_body_bytes", p.wireBodyBytes(), 0).number("compression_ratio", p.compressionRatio(), 2)
                .number("wrk_bytes_per_response", p.wrkBytesPerResponse(), 0).number("throttled_s", p.throttledS(), 2)
                .number("runs_failed", p.runsFailed(), 0).endObject();
        }
        json.endArray();
        Target.writeVerdicts(json, figures.targets(), figures.met(), figures.rules().runs());
    }

    public void writeMarkdown(final PrintWriter md)
    {
        final Context c = context;
        md.println("# Compression: sluice l7 against nginx gzip and HAProxy compression, " + c.text("stamp"));
        md.println();
        c.machineLines().forEach(md::println);
        md.println("- command: `" + c.text("command") + "`");
        md.println("- layout: the load generator (wrk -t1 -c" + c.text("wrk_connections")
            + ", `Accept-Encoding` the peer's coding) and the backends on CPU " + c.text("gen_cpu")
            + "; each proxy alone on CPU " + c.text("proxy_cpu") + " with "
            + HarnessRules.budget(c) + "; its CPU time from its cgroup's account");
        md.println("- body: " + c.text("body_bytes") + " bytes of JSON (" + c.text("body") + "), served uncompressed by `"
            + c.text("backend_command") + "`");
        md.println("- levels: gzip " + c.text("gzip_level") + " (sluice l7, nginx); HAProxy: " + c.text("haproxy_compressor")
            + ", which has one level (HAProxy passes it !!level), so `tune.comp.maxlevel " + c.text("gzip_level")
            + "` compresses as 1 would; brotli " + c.text("brotli_level") + ", zstd " + c.text("zstd_level")
            + " (sluice l7's defaults)");
        md.println("- each round and peer: one start, one verified response (its Content-Encoding, decoded to the backend's"
            + " bytes), cold (" + c.text("cold_s") + " s as soon as it answers), a warm-up (" + c.text("warmup_segments")
            + " s), warm ("
            + c.text("seconds") + " s); " + c.text("runs") + " rounds, interleaved; medians");
        md.println("- sluice l7's JVM: `" + c.text("sluice_jvm_command") + "` (" + c.text("sluice_transport") + ")");
        md.println();
        md.println("## Figures (warm unless said)");
        md.println();
        md.println(HarnessRules.row("peer", "coding", "level", "responses/s (min-max, n)", "cold responses/s", "cold / warm",
            "CPU ms per MiB compressed", "bytes on the wire per response (body)", "body / wire", "wrk bytes read per response",
            "throttled s", "verified"));
        md.println(HarnessRules.row("---", "---", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---"));
        for (final CompressFigures.Peer p : figures.peers())
        {
            final boolean direct = p.rates().direct();
            md.println(HarnessRules.row(p.rates().proxy(), p.coding(), p.level(), HarnessRules.ratesCell(p.rates()),
                direct ? "-" : p.rates().coldRps(), direct ? "-" : Fixed.of(p.rates().coldOverWarm(), 2),
                direct ? "-" : Fixed.of(p.cpuMsPerMib(), 2), p.wireBodyBytes(), Fixed.of(p.compressionRatio(), 2),
                p.wrkBytesPerResponse(), Fixed.of(p.throttledS(), 2),
                p.checked().verified() ? "yes" : p.checked().failuresText()));
        }
        md.println();
        md.println("CPU ms per MiB: the proxy cgroup's CPU time during the warm run over the MiB of body (uncompressed) it"
            + " served; bytes on the wire: the compressed body of the verified response (headers and chunk framing left out);"
            + " wrk's bytes"
            + " read per response (headers included) show whether it kept compressing under load.");
        md.println();
        HarnessRules.headroomSection(md, figures.headroom(), "the generator straight at a backend, nothing compressed",
            "responses/s", "proxy", "");
        md.println("## Ratios and targets");
        md.println();
        for (final Target t : figures.targets())
        {
            if (Verdict.NOT_MEASURED.equals(t.verdict()))
            {
                md.println("- " + t.fields().get("what") + ": not measured");
                continue;
            }
            final String cost = t.fields().get("cpu_ms_per_mib_ratio") instanceof Target.Num cpu
                ? "; CPU per MiB " + Fixed.of(cpu.value(), 2) + "x, bytes on the wire "
                    + Fixed.of(((Target.Num)t.fields().get("wire_bytes_ratio")).value(), 2) + "x"
                : "";
            md.println(HarnessRules.rateLine(t, cost, true));
        }
        md.println();
        md.println(HarnessRules.metLine(figures.met()));
        md.println();
        md.println("## Runs");
        md.println();
        md.println(HarnessRules.row("kind", "peer", "round", "status", "responses/s", "requests", "non-2xx", "socket errors",
            "bytes read", "proxy cgroup CPU s", "throttled s", "reason"));
        md.println(HarnessRules.row("---", "---", "---:", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---"));
        for (final Run run : figures.rules().runs().all())
        {
            if (!"verify".equals(run.text("kind")))
            {
                md.println(HarnessRules.row(HarnessRules.cell(run, "kind"), HarnessRules.cell(run, "proxy"),
                    HarnessRules.cell(run, "run"), HarnessRules.cell(run, "status"), HarnessRules.cell(run, "rps"),
                    HarnessRules.cell(run, "requests"), HarnessRules.cell(run, "non_2xx"),
                    HarnessRules.cell(run, "socket_errors"),
                    HarnessRules.cell(run, "read_bytes"), Fixed.of(run.number("proxy_cgroup_cpu_us") / 1e6, 2),
                    Fixed.of(run.number("throttled_s"), 2), HarnessRules.cell(run, "reason")));
            }
        }
        md.println();
        md.println(figures.rules().commandsLine());
    }
}
