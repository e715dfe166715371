package io.sluice.control.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.control.cnc.CounterSnapshot;
import io.sluice.control.json.Json;
import io.sluice.forwarder.counters.CounterTypes;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * {@code sluice stats} as a model: per VIP and real the packets and bytes, drops by reason, per
 * worker the traffic in and out, on AF_XDP what the kernel counted (the XDP program's verdicts,
 * the sockets' drops), and the conductor's own counts, made from a
 * {@link CounterSnapshot} by the counters' type ids and their stable labels
 * ({@code "vip 198.18.1.1:80/tcp packets"}, {@code "real 198.18.1.1:80/tcp 198.18.0.11 bytes"},
 * {@code "drop ttl-expired"}). Printed as totals or, over an interval, as rates per second.
 */
final class StatsReport
{
    static final class RealStats
    {
        final String name;
        long packets;
        long bytes;

        RealStats(final String name)
        {
            this.name = name;
        }
    }

    static final class VipStats
    {
        final String name;
        long packets;
        long bytes;
        final Map<String, RealStats> reals = new LinkedHashMap<>();

        VipStats(final String name)
        {
            this.name = name;
        }

        long realPackets()
        {
            long sum = 0;
            for (final RealStats real : reals.values())
            {
                sum += real.packets;
            }
            return sum;
        }
    }

    static final class WorkerStats
    {
        final int index;
        long rxPackets;
        long txPackets;
        long rxBytes;
        long txBytes;
        long txErrors;
        long flowsCreated;
        long flowsEvicted;
        long icmpEchoReplies;
        long icmpErrorsRelayed;
        long icmpTooBigSent;
        long natReplies;
        long partialChecksumsFinished;

        WorkerStats(final int index)
        {
            this.index = index;
        }
    }

    final Map<String, VipStats> vips = new LinkedHashMap<>();
    final Map<String, Long> drops = new LinkedHashMap<>();
    final Map<Integer, WorkerStats> workers = new TreeMap<>();
    final Map<String, Long> conductor = new LinkedHashMap<>();
    /** AF_XDP only: the XDP program's verdicts ("xdp redirected") and the sockets' kernel counters ("xsk rx-ring-full"). */
    final Map<String, Long> xdp = new LinkedHashMap<>();

    /** BGP's states, from a snapshot of totals even when the rest are rates; empty without --bgp. */
    BgpReport bgp = new BgpReport();

    static StatsReport of(final CounterSnapshot snapshot)
    {
        return of(snapshot, snapshot);
    }

    /** @param totals the snapshot BGP's states are read from (they are states, not rates). */
    static StatsReport of(final CounterSnapshot snapshot, final CounterSnapshot totals)
    {
        final StatsReport report = new StatsReport();
        report.bgp = BgpReport.of(totals);
        for (final CounterSnapshot.Entry entry : snapshot.entries())
        {
            report.add(entry);
        }
        return report;
    }

    private void add(final CounterSnapshot.Entry entry)
    {
        final String label = entry.label();
        final long value = entry.value();
        switch (entry.typeId())
        {
            case CounterTypes.VIP_PACKETS -> vip(middle(label, "vip ", " packets")).packets += value;
            case CounterTypes.VIP_BYTES -> vip(middle(label, "vip ", " bytes")).bytes += value;
            case CounterTypes.REAL_PACKETS -> real(middle(label, "real ", " packets")).packets += value;
            case CounterTypes.REAL_BYTES -> real(middle(label, "real ", " bytes")).bytes += value;
            case CounterTypes.DROPS -> drops.merge(middle(label, "drop ", ""), value, Long::sum);
            case CounterTypes.XDP_VERDICTS, CounterTypes.XDP_SOCKET -> xdp.merge(label, value, Long::sum);
            case CounterTypes.CONDUCTOR -> conductor.merge(middle(label, "conductor ", ""), value, Long::sum);
            case CounterTypes.WORKER_RX_PACKETS -> worker(entry).rxPackets += value;
            case CounterTypes.WORKER_TX_PACKETS -> worker(entry).txPackets += value;
            case CounterTypes.WORKER_RX_BYTES -> worker(entry).rxBytes += value;
            case CounterTypes.WORKER_TX_BYTES -> worker(entry).txBytes += value;
            case CounterTypes.WORKER_TX_ERRORS -> worker(entry).txErrors += value;
            case CounterTypes.WORKER_FLOWS_CREATED -> worker(entry).flowsCreated += value;
            case CounterTypes.WORKER_FLOWS_EVICTED -> worker(entry).flowsEvicted += value;
            case CounterTypes.WORKER_ICMP_ECHO_REPLIES -> worker(entry).icmpEchoReplies += value;
            case CounterTypes.WORKER_ICMP_ERRORS_RELAYED -> worker(entry).icmpErrorsRelayed += value;
            case CounterTypes.WORKER_ICMP_TOO_BIG_SENT -> worker(entry).icmpTooBigSent += value;
            case CounterTypes.WORKER_NAT_REPLIES -> worker(entry).natReplies += value;
            case CounterTypes.WORKER_PARTIAL_CHECKSUMS_FINISHED -> worker(entry).partialChecksumsFinished += value;
            default ->
            {
                // Counters this version does not present (e.g. batches) stay out of the report.
            }
        }
    }

    private VipStats vip(final String name)
    {
        return vips.computeIfAbsent(name, VipStats::new);
    }

    /** @param vipAndReal {@code "198.18.1.1:80/tcp 198.18.0.11"}. */
    private RealStats real(final String vipAndReal)
    {
        final int space = vipAndReal.indexOf(' ');
        final String vipName = space < 0 ? vipAndReal : vipAndReal.substring(0, space);
        final String realName = space < 0 ? "?" : vipAndReal.substring(space + 1);
        return vip(vipName).reals.computeIfAbsent(realName, RealStats::new);
    }

    private WorkerStats worker(final CounterSnapshot.Entry entry)
    {
        return workers.computeIfAbsent(entry.workerIndex(), WorkerStats::new);
    }

    private static String middle(final String label, final String prefix, final String suffix)
    {
        if (label.startsWith(prefix) && label.endsWith(suffix) && label.length() >= prefix.length() + suffix.length())
        {
            return label.substring(prefix.length(), label.length() - suffix.length());
        }
        return label;
    }

    /** The share of the VIP's real traffic this real got, 0-100. */
    static double sharePercent(final VipStats vip, final RealStats real)
    {
        final long total = vip.realPackets();
        return total == 0 ? 0.0 : 100.0 * real.packets / total;
    }

    /**
     * Prints the report as tables.
     *
     * @param seconds 0 for totals; otherwise the interval the values cover, printed per second.
     */
    void printText(final PrintWriter out, final double seconds)
    {
        final boolean rates = seconds > 0;
        final String packets = rates ? "PACKETS/S" : "PACKETS";
        final String bytes = rates ? "BYTES/S" : "BYTES";
        if (vips.isEmpty())
        {
            out.println("no VIPs");
        }
        else
        {
            out.printf("%-40s %14s %16s %7s%n", "VIP / REAL", packets, bytes, "SHARE");
            for (final VipStats vip : vips.values())
            {
                out.printf("%-40s %14s %16s%n", vip.name, number(vip.packets, seconds), number(vip.bytes, seconds));
                for (final RealStats real : vip.reals.values())
                {
                    out.printf("  %-38s %14s %16s %6.1f%%%n", real.name, number(real.packets, seconds),
                        number(real.bytes, seconds), sharePercent(vip, real));
                }
            }
        }
        out.println();
        out.printf("%-40s %14s%n", "DROP", packets);
        for (final Map.Entry<String, Long> drop : drops.entrySet())
        {
            out.printf("%-40s %14s%n", drop.getKey(), number(drop.getValue(), seconds));
        }
        out.println();
        out.printf("%-8s %14s %14s %16s %16s %10s%n", "WORKER", "RX " + packets, "TX " + packets, "RX " + bytes,
            "TX " + bytes, "TX ERRORS");
        for (final WorkerStats worker : workers.values())
        {
            out.printf("%-8d %14s %14s %16s %16s %10s%n", worker.index, number(worker.rxPackets, seconds),
                number(worker.txPackets, seconds), number(worker.rxBytes, seconds), number(worker.txBytes, seconds),
                number(worker.txErrors, seconds));
        }
        long echoReplies = 0;
        long errorsRelayed = 0;
        long tooBig = 0;
        for (final WorkerStats worker : workers.values())
        {
            echoReplies += worker.icmpEchoReplies;
            errorsRelayed += worker.icmpErrorsRelayed;
            tooBig += worker.icmpTooBigSent;
        }
        if (echoReplies + errorsRelayed + tooBig > 0)
        {
            out.println();
            out.printf("%-40s %14s%n", "ICMP SENT BY THE FORWARDER", packets);
            out.printf("%-40s %14s%n", "echo replies (pings to a VIP)", number(echoReplies, seconds));
            out.printf("%-40s %14s%n", "errors relayed to a flow's real", number(errorsRelayed, seconds));
            out.printf("%-40s %14s%n", "fragmentation needed (tunnel mode)", number(tooBig, seconds));
        }
        printSumIfAny(out, "NAT", packets, "replies translated back to the VIP", (worker) -> worker.natReplies, seconds);
        // Tells a user their senders offload checksums (veth: containers) and that the forwarder finishes them.
        printSumIfAny(out, "CHECKSUMS", packets, "partial (veth senders) finished", (worker) -> worker.partialChecksumsFinished,
            seconds);
        if (!xdp.isEmpty())
        {
            out.println();
            out.printf("%-40s %14s%n", "AF_XDP (KERNEL)", packets);
            for (final Map.Entry<String, Long> count : xdp.entrySet())
            {
                out.printf("%-40s %14s%n", count.getKey(), number(count.getValue(), seconds));
            }
        }
        if (bgp.present())
        {
            out.println();
            bgp.printText(out);
        }
    }

    /** A table of one row, a per-worker count summed over workers, printed only when it is not 0. */
    private void printSumIfAny(
        final PrintWriter out, final String title, final String packets, final String row, final ToLongFunction<WorkerStats> count,
        final double seconds)
    {
        long sum = 0;
        for (final WorkerStats worker : workers.values())
        {
            sum += count.applyAsLong(worker);
        }
        if (sum > 0)
        {
            out.println();
            out.printf("%-40s %14s%n", title, packets);
            out.printf("%-40s %14s%n", row, number(sum, seconds));
        }
    }

    /**
     * @param seconds 0 for totals (integers); otherwise the interval, and the values become
     *                rates per second under {@code *_per_s} names.
     */
    String json(final double seconds)
    {
        return Json.write(json -> writeJson(json, seconds));
    }

    private void writeJson(final JsonGenerator json, final double seconds) throws IOException
    {
        final boolean rates = seconds > 0;
        final String suffix = rates ? "_per_s" : "";
        json.writeStartObject();
        if (rates)
        {
            json.writeNumberField("interval_s", seconds);
        }
        json.writeArrayFieldStart("vips");
        for (final VipStats vip : vips.values())
        {
            json.writeStartObject();
            json.writeStringField("vip", vip.name);
            value(json, "packets" + suffix, vip.packets, seconds);
            value(json, "bytes" + suffix, vip.bytes, seconds);
            json.writeArrayFieldStart("reals");
            for (final RealStats real : vip.reals.values())
            {
                json.writeStartObject();
                json.writeStringField("real", real.name);
                value(json, "packets" + suffix, real.packets, seconds);
                value(json, "bytes" + suffix, real.bytes, seconds);
                json.writeNumberField("share_percent", sharePercent(vip, real));
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeObjectFieldStart("drops" + suffix);
        for (final Map.Entry<String, Long> drop : drops.entrySet())
        {
            value(json, drop.getKey(), drop.getValue(), seconds);
        }
        json.writeEndObject();
        json.writeArrayFieldStart("workers");
        for (final WorkerStats worker : workers.values())
        {
            json.writeStartObject();
            json.writeNumberField("worker", worker.index);
            value(json, "rx_packets" + suffix, worker.rxPackets, seconds);
            value(json, "tx_packets" + suffix, worker.txPackets, seconds);
            value(json, "rx_bytes" + suffix, worker.rxBytes, seconds);
            value(json, "tx_bytes" + suffix, worker.txBytes, seconds);
            value(json, "tx_errors" + suffix, worker.txErrors, seconds);
            value(json, "flows_created" + suffix, worker.flowsCreated, seconds);
            value(json, "flows_evicted" + suffix, worker.flowsEvicted, seconds);
            value(json, "icmp_echo_replies" + suffix, worker.icmpEchoReplies, seconds);
            value(json, "icmp_errors_relayed" + suffix, worker.icmpErrorsRelayed, seconds);
            value(json, "icmp_too_big_sent" + suffix, worker.icmpTooBigSent, seconds);
            value(json, "nat_replies" + suffix, worker.natReplies, seconds);
            value(json, "partial_checksums_finished" + suffix, worker.partialChecksumsFinished, seconds);
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeObjectFieldStart("xdp" + suffix);
        for (final Map.Entry<String, Long> count : xdp.entrySet())
        {
            value(json, count.getKey().replace(' ', '_'), count.getValue(), seconds);
        }
        json.writeEndObject();
        json.writeObjectFieldStart("conductor");
        for (final Map.Entry<String, Long> count : conductor.entrySet())
        {
            json.writeNumberField(count.getKey().replace(' ', '_'), count.getValue());
        }
        json.writeEndObject();
        if (bgp.present())
        {
            bgp.writeJson(json);
        }
        json.writeEndObject();
    }

    /** The VIP names in the report, in the order the forwarder made them. */
    List<String> vipNames()
    {
        return new ArrayList<>(vips.keySet());
    }

    private static void value(final JsonGenerator json, final String name, final long value, final double seconds) throws IOException
    {
        if (seconds > 0)
        {
            json.writeNumberField(name, Math.round(value / seconds * 10.0) / 10.0);
        }
        else
        {
            json.writeNumberField(name, value);
        }
    }

    private static String number(final long value, final double seconds)
    {
        return seconds > 0 ? String.format("%.1f", value / seconds) : Long.toString(value);
    }
}
