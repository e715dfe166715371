package io.sluice.control.top;

import io.sluice.forwarder.counters.CounterTypes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a forwarder did between two {@link CounterSample}s, per second: per VIP and real the
 * packets and bytes (with each real's share of its VIP and its health), drops by reason, each
 * worker's traffic, new flows and batches, and each AF_XDP socket's ring counters. A counter's
 * rate is its growth over the interval; one that is new counts from 0, and one that went back
 * (its VIP removed and added again) counts as 0 rather than a negative rate.
 *
 * @param seconds the interval the rates cover.
 * @param vips    in the order the forwarder allocated their counters.
 * @param drops   every reason that dropped a packet since the forwarder started.
 * @param workers by index.
 * @param sockets by index; empty off AF_XDP.
 */
public record ForwarderRates(double seconds, List<VipRates> vips, List<DropRates> drops, List<WorkerRates> workers,
    List<SocketRates> sockets)
{
    /**
     * @param health "up" or "down" as the VIP's health check has it, "-" when the VIP has none.
     */
    public record RealRates(String name, double packetsPerS, double bytesPerS, double sharePercent, String health)
        implements Sortable
    {
        @Override
        public double countPerS()
        {
            return packetsPerS;
        }
    }

    public record VipRates(String name, double packetsPerS, double bytesPerS, List<RealRates> reals) implements Sortable
    {
        @Override
        public double countPerS()
        {
            return packetsPerS;
        }
    }

    /** @param total since the forwarder started. */
    public record DropRates(String reason, double perS, long total)
    {
    }

    /**
     * @param batchesPerS    receive batches handled; {@link #packetsPerBatch()} near the burst size
     *                       (64) says the worker is saturated, near 1 that it mostly waits.
     * @param loadPercent    this worker's share of all workers' received packets.
     */
    public record WorkerRates(int index, double rxPacketsPerS, double txPacketsPerS, double rxBytesPerS, double txBytesPerS,
        double newFlowsPerS, double batchesPerS, double txErrorsPerS, double loadPercent)
    {
        public double packetsPerBatch()
        {
            return batchesPerS == 0 ? 0 : rxPacketsPerS / batchesPerS;
        }
    }

    /** @param perS the kernel's counters of one AF_XDP socket ({@code "rx-ring-full"}, ...), per second, in its order. */
    public record SocketRates(int index, Map<String, Double> perS)
    {
        public SocketRates
        {
            perS = Collections.unmodifiableMap(new LinkedHashMap<>(perS));
        }
    }

    public ForwarderRates
    {
        vips = List.copyOf(vips);
        drops = List.copyOf(drops);
        workers = List.copyOf(workers);
        sockets = List.copyOf(sockets);
    }

    /** All workers' new flows per second. */
    public double newFlowsPerS()
    {
        double sum = 0;
        for (final WorkerRates worker : workers)
        {
            sum += worker.newFlowsPerS();
        }
        return sum;
    }

    public static ForwarderRates between(final CounterSample earlier, final CounterSample later)
    {
        final double seconds = (later.takenAtNs() - earlier.takenAtNs()) / 1e9;
        if (seconds <= 0)
        {
            throw new IllegalArgumentException("the later sample is not later: " + seconds + " s");
        }
        final Map<String, Long> before = new HashMap<>();
        for (final CounterSample.Counter counter : earlier.counters())
        {
            before.merge(key(counter), counter.value(), Long::sum);
        }
        final Tally tally = new Tally();
        for (final CounterSample.Counter counter : later.counters())
        {
            final long delta = Math.max(0, counter.value() - before.getOrDefault(key(counter), 0L));
            tally.add(counter, delta);
        }
        return tally.rates(seconds);
    }

    private static String key(final CounterSample.Counter counter)
    {
        return counter.typeId() + " " + counter.workerIndex() + " " + counter.label();
    }

    /** Counts over one interval, summed by VIP, real, reason, worker and socket; then divided by its length. */
    private static final class Tally
    {
        private final Map<String, long[]> vips = new LinkedHashMap<>();
        private final Map<String, Map<String, long[]>> reals = new LinkedHashMap<>();
        private final Map<String, String> health = new HashMap<>();
        private final Map<String, long[]> drops = new LinkedHashMap<>();
        private final Map<Integer, long[]> workers = new TreeMap<>();
        private final Map<Integer, Map<String, Long>> sockets = new TreeMap<>();

        /** {@code long[]} slots of a VIP or real, and of a drop reason. */
        private static final int PACKETS = 0;
        private static final int BYTES = 1;
        private static final int DROPPED = 0;
        private static final int DROPPED_TOTAL = 1;
        /** {@code long[]} slots of a worker. */
        private static final int RX_PACKETS = 0;
        private static final int TX_PACKETS = 1;
        private static final int RX_BYTES = 2;
        private static final int TX_BYTES = 3;
        private static final int FLOWS = 4;
        private static final int BATCHES = 5;
        private static final int TX_ERRORS = 6;
        private static final int WORKER_SLOTS = 7;

        void add(final CounterSample.Counter counter, final long delta)
        {
            final String label = counter.label();
            switch (counter.typeId())
            {
                case CounterTypes.VIP_PACKETS -> vip(middle(label, "vip ", " packets"))[PACKETS] += delta;
                case CounterTypes.VIP_BYTES -> vip(middle(label, "vip ", " bytes"))[BYTES] += delta;
                case CounterTypes.REAL_PACKETS -> real(middle(label, "real ", " packets"))[PACKETS] += delta;
                case CounterTypes.REAL_BYTES -> real(middle(label, "real ", " bytes"))[BYTES] += delta;
                case CounterTypes.REAL_HEALTH ->
                    health.put(middle(label, "real ", " health"), counter.value() == 1 ? "up" : "down");
                case CounterTypes.DROPS ->
                {
                    final long[] drop = drops.computeIfAbsent(middle(label, "drop ", ""), (reason) -> new long[2]);
                    drop[DROPPED] += delta;
                    drop[DROPPED_TOTAL] += counter.value();
                }
                case CounterTypes.WORKER_RX_PACKETS -> worker(counter)[RX_PACKETS] += delta;
                case CounterTypes.WORKER_TX_PACKETS -> worker(counter)[TX_PACKETS] += delta;
                case CounterTypes.WORKER_RX_BYTES -> worker(counter)[RX_BYTES] += delta;
                case CounterTypes.WORKER_TX_BYTES -> worker(counter)[TX_BYTES] += delta;
                case CounterTypes.WORKER_FLOWS_CREATED -> worker(counter)[FLOWS] += delta;
                case CounterTypes.WORKER_BATCHES -> worker(counter)[BATCHES] += delta;
                case CounterTypes.WORKER_TX_ERRORS -> worker(counter)[TX_ERRORS] += delta;
                case CounterTypes.XDP_SOCKET -> sockets.computeIfAbsent(counter.workerIndex(), (index) -> new LinkedHashMap<>())
                    .merge(middle(label, "xsk ", ""), delta, Long::sum);
                default ->
                {
                    // The rest (ICMP, NAT replies, the conductor's counts) is sluice stats' to show.
                }
            }
        }

        private long[] vip(final String name)
        {
            reals.computeIfAbsent(name, (vip) -> new LinkedHashMap<>());
            return vips.computeIfAbsent(name, (vip) -> new long[2]);
        }

        /** @param vipAndReal {@code "198.18.1.1:80/tcp 198.18.0.11"}. */
        private long[] real(final String vipAndReal)
        {
            final int space = vipAndReal.indexOf(' ');
            final String vip = space < 0 ? vipAndReal : vipAndReal.substring(0, space);
            vip(vip);
            return reals.get(vip).computeIfAbsent(space < 0 ? "?" : vipAndReal.substring(space + 1), (real) -> new long[2]);
        }

        private long[] worker(final CounterSample.Counter counter)
        {
            return workers.computeIfAbsent(counter.workerIndex(), (index) -> new long[WORKER_SLOTS]);
        }

        ForwarderRates rates(final double seconds)
        {
            final List<VipRates> vipRates = new ArrayList<>(vips.size());
            for (final Map.Entry<String, long[]> vip : vips.entrySet())
            {
                long realPackets = 0;
                for (final long[] real : reals.get(vip.getKey()).values())
                {
                    realPackets += real[PACKETS];
                }
                final List<RealRates> realRates = new ArrayList<>();
                for (final Map.Entry<String, long[]> real : reals.get(vip.getKey()).entrySet())
                {
                    final long[] counts = real.getValue();
                    realRates.add(new RealRates(real.getKey(), counts[PACKETS] / seconds, counts[BYTES] / seconds,
                        realPackets == 0 ? 0 : 100.0 * counts[PACKETS] / realPackets,
                        health.getOrDefault(vip.getKey() + " " + real.getKey(), "-")));
                }
                vipRates.add(new VipRates(vip.getKey(), vip.getValue()[PACKETS] / seconds, vip.getValue()[BYTES] / seconds,
                    realRates));
            }
            final List<DropRates> dropRates = new ArrayList<>();
            for (final Map.Entry<String, long[]> drop : drops.entrySet())
            {
                if (drop.getValue()[DROPPED_TOTAL] > 0)
                {
                    final long[] counts = drop.getValue();
                    dropRates.add(new DropRates(drop.getKey(), counts[DROPPED] / seconds, counts[DROPPED_TOTAL]));
                }
            }
            long rxPackets = 0;
            for (final long[] worker : workers.values())
            {
                rxPackets += worker[RX_PACKETS];
            }
            final List<WorkerRates> workerRates = new ArrayList<>(workers.size());
            for (final Map.Entry<Integer, long[]> entry : workers.entrySet())
            {
                final long[] w = entry.getValue();
                workerRates.add(new WorkerRates(entry.getKey(), w[RX_PACKETS] / seconds, w[TX_PACKETS] / seconds,
                    w[RX_BYTES] / seconds, w[TX_BYTES] / seconds, w[FLOWS] / seconds, w[BATCHES] / seconds,
                    w[TX_ERRORS] / seconds, rxPackets == 0 ? 0 : 100.0 * w[RX_PACKETS] / rxPackets));
            }
            final List<SocketRates> socketRates = new ArrayList<>(sockets.size());
            for (final Map.Entry<Integer, Map<String, Long>> socket : sockets.entrySet())
            {
                final Map<String, Double> perS = new LinkedHashMap<>();
                socket.getValue().forEach((statistic, count) -> perS.put(statistic, count / seconds));
                socketRates.add(new SocketRates(socket.getKey(), perS));
            }
            return new ForwarderRates(seconds, vipRates, dropRates, workerRates, socketRates);
        }

        private static String middle(final String label, final String prefix, final String suffix)
        {
            if (label.startsWith(prefix) && label.endsWith(suffix) && label.length() >= prefix.length() + suffix.length())
            {
                return label.substring(prefix.length(), label.length() - suffix.length());
            }
            return label;
        }
    }
}
