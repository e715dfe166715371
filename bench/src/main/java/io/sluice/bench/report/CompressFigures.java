package io.sluice.bench.report;

import java.util.List;

/**
 * bench/compress/run-compress's figures: per peer the medians of the warm and cold responses per
 * second, CPU milliseconds per MiB compressed (the proxy cgroup's CPU time over the uncompressed
 * bytes of the responses it served), the bytes on the wire per response and the body's ratio to
 * them; the headroom; sluice l7 against nginx at the same gzip level (the target, >= 1.0x), its
 * cold start (>= 0.8x warm) and sluice l7 against HAProxy.
 */
public record CompressFigures(List<Peer> peers, Headroom headroom, List<Target> targets, Boolean met, HarnessRules rules)
{
    private static final double MIB = 1_048_576;

    /** One peer's figures; wire bytes and the coding are those of its last verified response. */
    public record Peer(HarnessRules.PeerRates rates, String coding, String level, HarnessRules.Checked checked,
        double cpuMsPerMib, double bodyBytes, double wireBodyBytes, double compressionRatio, double wrkBytesPerResponse,
        double throttledS, int runsFailed)
    {
    }

    public static CompressFigures of(final Context context, final List<Run> runs)
    {
        final HarnessRules rules = new HarnessRules(runs, context.integer("runs"));
        final double body = Double.parseDouble(context.text("body_bytes"));
        final List<Peer> peers = context.list("ordered").stream().map(p -> peer(rules, context, p, body)).toList();
        final List<HarnessRules.PeerRates> rates = peers.stream().map(Peer::rates).toList();
        final Headroom headroom = HarnessRules.headroom(rates);
        final String gzip = context.text("gzip_level");
        final List<Target> targets = List.of(
            withCost(rules.versus(rates, headroom, HarnessRules.SLUICE, "nginx",
                "sluice-l7 / nginx responses per second, gzip " + gzip + " both", 1.0), peers, "nginx"),
            withCost(rules.versus(rates, headroom, HarnessRules.SLUICE, "haproxy",
                "sluice-l7 (gzip " + gzip + ") / haproxy (libslz) responses per second", 0), peers, "haproxy"),
            HarnessRules.coldStart(rates, headroom, HarnessRules.SLUICE));
        return new CompressFigures(peers, headroom, targets, HarnessRules.targetMet(targets), rules);
    }

    private static Peer peer(final HarnessRules rules, final Context c, final String p, final double body)
    {
        final List<Run> warm = rules.ok("warm", p);
        final HarnessRules.Checked checked = rules.checked(p);
        final Run verified = checked.runs().stream().filter(Run::ok).reduce((first, second) -> second).orElse(null);
        final double wire = verified == null ? 0 : verified.number("wire_body_bytes");
        final String coding = HarnessRules.DIRECT.equals(p) ? "identity"
            : verified == null ? "" : verified.text("content_encoding");
        return new Peer(rules.rates(p), coding, level(c, p), checked,
            Fixed.rounded(HarnessRules.median(warm, run -> Verdict.ratio(run.number("proxy_cgroup_cpu_us") / 1000,
                run.number("requests") * run.number("body_bytes") / MIB)), 2),
            body, wire, Fixed.rounded(Verdict.ratio(body, wire), 2),
            Fixed.rounded(HarnessRules.median(warm, run -> Verdict.ratio(run.number("read_bytes"), run.number("requests"))), 0),
            Fixed.rounded(HarnessRules.median(warm, run -> run.number("throttled_s")), 2), rules.failed(p));
    }

    private static String level(final Context c, final String p)
    {
        return switch (p)
        {
            case HarnessRules.DIRECT -> "none (the backend's bytes)";
            case "haproxy" -> "libslz (one level; tune.comp.maxlevel " + c.text("gzip_level") + ")";
            case "sluice-l7-br" -> "brotli " + c.text("brotli_level");
            case "sluice-l7-zstd" -> "zstd " + c.text("zstd_level");
            default -> "gzip " + c.text("gzip_level");
        };
    }

    /** A measured sluice-l7-against-B line with the CPU per MiB and the bytes on the wire of each, as ratios. */
    private static Target withCost(final Target line, final List<Peer> peers, final String b)
    {
        if (Verdict.NOT_MEASURED.equals(line.verdict()))
        {
            return line;
        }
        final Peer x = find(peers, HarnessRules.SLUICE);
        final Peer y = find(peers, b);
        return line.with("cpu_ms_per_mib_ratio", new Target.Num(Verdict.ratio(x.cpuMsPerMib(), y.cpuMsPerMib()), 2))
            .with("wire_bytes_ratio", new Target.Num(Verdict.ratio(x.wireBodyBytes(), y.wireBodyBytes()), 2));
    }

    private static Peer find(final List<Peer> peers, final String proxy)
    {
        return peers.stream().filter(p -> p.rates().proxy().equals(proxy)).findFirst().orElseThrow();
    }
}
