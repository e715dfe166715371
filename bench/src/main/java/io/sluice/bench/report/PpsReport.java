package io.sluice.bench.report;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * bench/pps/run-pps's result: every run's figures, the median delivered rate per peer and
 * traffic, and sluice's rate as a ratio to the peers the issues compare it with, each against
 * its target.
 */
public final class PpsReport
{
    /** of / to, and the target of.to must reach (0: shown without a target). */
    record Pair(String of, String to, double target)
    {
    }

    static final List<Pair> PAIRS = List.of(new Pair("sluice-xdp", "testpmd-af_xdp", 1.0),
        new Pair("sluice-packet", "testpmd-af_packet", 1.0), new Pair("sluice-xdp", "kernel-nft", 4.0),
        new Pair("sluice-packet", "kernel-nft", 0), new Pair("sluice-xdp-nat", "sluice-xdp", 0));
    static final String BASELINE_SUFFIX = "-baseline";

    record Median(String peer, String traffic, Summary delivered, double dutCpuNsPerPacket)
    {
    }

    record Ratio(String traffic, Pair pair, double ratio, String verdict)
    {
    }

    private final Context context;
    private final List<PpsRun> runs;
    private final List<String> peers;
    private final List<String> traffics;

    public PpsReport(final Context context, final List<Run> raw)
    {
        this.context = context;
        this.runs = raw.stream().map(PpsRun::of).toList();
        this.peers = context.list("only");
        this.traffics = context.list("traffics");
    }

    List<Median> medians()
    {
        final List<Median> medians = new ArrayList<>();
        for (final String traffic : traffics)
        {
            for (final String peer : peers)
            {
                medians.add(new Median(peer, traffic, summary(peer, traffic, PpsRun::deliveredPps),
                    summary(peer, traffic, PpsRun::dutCpuNsPerPacket).median()));
            }
        }
        return medians;
    }

    /** The fixed pairs whose peers both ran, then each sluice peer against its --baseline twin (target: no worse). */
    List<Ratio> ratios()
    {
        final List<Pair> pairs = new ArrayList<>(PAIRS);
        for (final String peer : peers)
        {
            if (peer.startsWith("sluice-") && !peer.endsWith(BASELINE_SUFFIX))
            {
                pairs.add(new Pair(peer, peer + BASELINE_SUFFIX, 1.0));
            }
        }
        final List<Ratio> ratios = new ArrayList<>();
        for (final String traffic : traffics)
        {
            for (final Pair pair : pairs)
            {
                if (!peers.contains(pair.of()) || !peers.contains(pair.to()))
                {
                    continue;
                }
                final double ratio = Verdict.ratio(summary(pair.of(), traffic, PpsRun::deliveredPps).median(),
                    summary(pair.to(), traffic, PpsRun::deliveredPps).median());
                ratios.add(new Ratio(traffic, pair, ratio, Verdict.ofRatio(ratio, pair.target())));
            }
        }
        return ratios;
    }

    private Summary summary(final String peer, final String traffic, final ToDoubleFunction<PpsRun> figure)
    {
        return Summary.of(runs.stream().filter(run -> run.raw().ok() && run.peer().equals(peer) && run.traffic().equals(traffic))
            .map(run -> figure.applyAsDouble(run)).toList());
    }

    public void writeJson(final JsonOut json)
    {
        json.startObject().startObject("machine").text("cpus", context.text("machine")).text("kernel", context.text("kernel"))
            .text("load_average", context.text("load_average")).endObject().text("command", context.text("command"));
        if (!context.textOr("baseline", "").isEmpty())
        {
            json.startObject("baseline").text("revision", context.text("baseline"))
                .text("commit", context.text("baseline_commit"))
                .endObject();
        }
        json.startArray("runs");
        runs.forEach(run -> run.write(json));
        json.endArray().startArray("medians");
        for (final Median m : medians())
        {
            json.startObject().text("peer", m.peer()).text("traffic", m.traffic())
                .number("delivered_pps", m.delivered().median(), 0)
                .number("min", m.delivered().min(), 0).number("max", m.delivered().max(), 0)
                .number("ok_runs", m.delivered().count(), 0)
                .number("dut_cpu_ns_per_packet", m.dutCpuNsPerPacket(), 0).endObject();
        }
        json.endArray().startArray("ratios");
        for (final Ratio r : ratios())
        {
            json.startObject().text("traffic", r.traffic()).text("of", r.pair().of()).text("to", r.pair().to())
                .number("ratio", r.ratio(), 2).number("target", r.pair().target(), 1).text("verdict", r.verdict()).endObject();
        }
        json.endArray().endObject();
    }

    public void writeMarkdown(final PrintWriter md)
    {
        final String gen = context.text("gen_cpu");
        final String dut = context.text("dut_cpu");
        md.println("# Packets per second, " + context.text("stamp"));
        md.println();
        md.println("- machine: " + context.text("machine") + "; kernel " + context.text("kernel") + "; load average at start "
            + context.text("load_average"));
        md.println("- command: `" + context.text("command") + "`");
        if (!context.textOr("baseline", "").isEmpty())
        {
            md.println("- `-baseline` peers: sluice at " + context.text("baseline_commit") + " (`--baseline "
                + context.text("baseline")
                + "`), built in a worktree of its own; sluice here at " + context.text("sluice_commit"));
        }
        md.println("- generator: trafgen on CPU " + gen + " (64-byte frames, many flows); device under test on CPU " + dut
            + "; one-arm veth lab (`lab/sluice-lab up " + context.text("lab") + " --one-arm`)");
        md.println("- the receive work of each end runs in its own threaded-NAPI kernel thread pinned to that end's CPU: CPU "
            + dut);
        md.println("  carries all of the DUT's work (XDP program and copy into the UMEM, or the kernel's whole forwarding path)");
        md.println("- rates are over " + context.text("seconds") + " s after a " + context.text("warmup_s") + " s warm-up, "
            + context.text("runs") + " run(s) per peer, interleaved; medians below");
        md.println("- DUT CPU ns/pkt = the DUT process's user+system time per delivered packet (for the kernel: CPU " + dut
            + "'s busy");
        md.println("  time); it leaves out the NAPI thread's share, which the kernel peer has in its figure");
        md.println();
        md.println("| peer | traffic | delivered pps (median) | min | max | ok runs | DUT CPU ns/pkt |");
        md.println("|---|---|---:|---:|---:|---:|---:|");
        for (final Median m : medians())
        {
            md.println("| " + m.peer() + " | " + m.traffic() + " | " + Fixed.of(m.delivered().median(), 0) + " | "
                + Fixed.of(m.delivered().min(), 0) + " | " + Fixed.of(m.delivered().max(), 0) + " | " + m.delivered().count()
                + " | "
                + Fixed.of(m.dutCpuNsPerPacket(), 0) + " |");
        }
        md.println();
        md.println("| traffic | ratio | delivered pps ratio (medians) | target | verdict |");
        md.println("|---|---|---:|---:|---|");
        for (final Ratio r : ratios())
        {
            md.println("| " + r.traffic() + " | " + r.pair().of() + " / " + r.pair().to() + " | " + Fixed.of(r.ratio(), 2) + " | "
                + Fixed.of(r.pair().target(), 1) + " | " + r.verdict() + " |");
        }
        md.println();
        md.println("## Every run");
        md.println();
        md.println("| peer | traffic | run | offered pps | forwarded pps | delivered pps"
            + " | dropped | DUT CPU ns/pkt | gen CPU ns/pkt"
            + " | generator-bound | status |");
        md.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
        for (final PpsRun run : runs)
        {
            md.println("| " + run.peer() + " | " + run.traffic() + " | " + run.raw().text("run") + " | "
                + Fixed.of(run.offeredPps(), 0)
                + " | " + Fixed.of(run.forwardedPps(), 0) + " | " + Fixed.of(run.deliveredPps(), 0) + " | " + run.dropped()
                + " | "
                + Fixed.of(run.dutCpuNsPerPacket(), 0) + " | " + Fixed.of(run.generatorCpuNsPerPacket(), 0) + " | "
                + run.generatorBound() + " | " + run.raw().text("status") + " " + run.raw().text("reason") + " |");
        }
        md.println();
        if (runs.stream().anyMatch(PpsRun::generatorBound))
        {
            md.println("**Runs marked generator-bound delivered about what trafgen offered: they measure the generator, not the");
            md.println("device under test, and say nothing about the targets.**");
            md.println();
        }
        md.println("## Commands");
        md.println();
        runs.stream().map(run -> "- " + run.peer() + ": `" + run.raw().text("command") + "`").sorted().distinct()
            .forEach(md::println);
    }
}
