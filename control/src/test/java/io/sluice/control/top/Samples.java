package io.sluice.control.top;

import io.sluice.forwarder.counters.CounterTypes;

import java.util.ArrayList;
import java.util.List;

/** Counter samples written by hand, as a forwarder with one VIP, two reals and two workers would have them. */
final class Samples
{
    static final String VIP = "198.18.1.1:80/tcp";
    static final long SECOND_NS = 1_000_000_000L;

    private final List<CounterSample.Counter> counters = new ArrayList<>();

    Samples add(final int typeId, final int worker, final String label, final long value)
    {
        counters.add(new CounterSample.Counter(typeId, worker, 0, label, value));
        return this;
    }

    /** Each worker carries half of {@code vipPackets}; the reals split them {@code real11 : rest}. */
    static Samples forwarder(final long vipPackets, final long real11Packets, final long flows)
    {
        final Samples samples = new Samples();
        final long quietPackets = vipPackets - real11Packets;
        for (int worker = 0; worker < 2; worker++)
        {
            samples.add(CounterTypes.VIP_PACKETS, worker, "vip " + VIP + " packets", vipPackets / 2)
                .add(CounterTypes.VIP_BYTES, worker, "vip " + VIP + " bytes", vipPackets / 2 * 100)
                .add(CounterTypes.REAL_PACKETS, worker, "real " + VIP + " 198.18.0.11 packets", real11Packets / 2)
                .add(CounterTypes.REAL_BYTES, worker, "real " + VIP + " 198.18.0.11 bytes", real11Packets / 2 * 100)
                .add(CounterTypes.REAL_PACKETS, worker, "real " + VIP + " 198.18.0.12 packets", quietPackets / 2)
                .add(CounterTypes.REAL_BYTES, worker, "real " + VIP + " 198.18.0.12 bytes", quietPackets / 2 * 100)
                .add(CounterTypes.DROPS, worker, "drop no-vip", worker == 0 ? 7 : 0)
                .add(CounterTypes.DROPS, worker, "drop ttl-expired", 0)
                .add(CounterTypes.WORKER_RX_PACKETS, worker, "worker " + worker + " rx packets", vipPackets / 2 * (worker + 1))
                .add(CounterTypes.WORKER_TX_PACKETS, worker, "worker " + worker + " tx packets", vipPackets / 2)
                .add(CounterTypes.WORKER_RX_BYTES, worker, "worker " + worker + " rx bytes", vipPackets / 2 * 100)
                .add(CounterTypes.WORKER_TX_BYTES, worker, "worker " + worker + " tx bytes", vipPackets / 2 * 100)
                .add(CounterTypes.WORKER_FLOWS_CREATED, worker, "worker " + worker + " flows created", flows / 2)
                .add(CounterTypes.WORKER_BATCHES, worker, "worker " + worker + " batches", vipPackets / 20)
                .add(CounterTypes.XDP_SOCKET, worker, "xsk rx-ring-full", worker == 1 ? vipPackets / 100 : 0)
                .add(CounterTypes.XDP_SOCKET, worker, "xsk fill-ring-empty", 0);
        }
        return samples.add(CounterTypes.REAL_HEALTH, -1, "real " + VIP + " 198.18.0.11 health", 1)
            .add(CounterTypes.REAL_HEALTH, -1, "real " + VIP + " 198.18.0.12 health", 0);
    }

    CounterSample at(final long takenAtNs)
    {
        return new CounterSample(counters, takenAtNs);
    }
}
