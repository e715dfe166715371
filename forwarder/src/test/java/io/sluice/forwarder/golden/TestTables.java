package io.sluice.forwarder.golden;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.HealthCheck;
import io.sluice.forwarder.config.Ipv4;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.config.VipSpec;
import io.sluice.forwarder.counters.CounterTypes;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.maglev.MaglevSecondaries;
import io.sluice.forwarder.maglev.MaglevTable;
import io.sluice.forwarder.table.LeastConnection;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.RoundRobin;
import io.sluice.forwarder.table.VipEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.nio.ByteBuffer;

/**
 * Makes VIP and real entries the way the conductor does, with counters from a
 * {@link CountersManager} over plain memory, for tests that drive the data path directly.
 */
final class TestTables
{
    /** Counters carry two workers' slots so that a test can check a worker writes only its own. */
    static final int WORKERS = 2;
    private static final int MAX_COUNTERS = 4096;

    private int nextVipId = 1;
    private final CountersManager counters = new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_COUNTERS * CountersReader.METADATA_LENGTH)),
        new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_COUNTERS * CountersReader.COUNTER_LENGTH)));

    WorkerCounters workerCounters(final int workerIndex)
    {
        return new WorkerCounters(counters, workerIndex);
    }

    RealEntry real(final int id, final String address, final long mac)
    {
        return real(id, address, 100, mac);
    }

    RealEntry real(final int id, final String address, final int weight, final long mac)
    {
        return real(id, address, 0, weight, mac);
    }

    /** A real reached on {@code port} (NAT changes the port; 0 is the VIP's). */
    RealEntry real(final int id, final String address, final int port, final int weight, final long mac)
    {
        return new RealEntry(
            id, IpAddress.parse(address), port, weight, mac,
            perWorker(CounterTypes.REAL_PACKETS, id, "real " + address + " packets"),
            perWorker(CounterTypes.REAL_BYTES, id, "real " + address + " bytes"));
    }

    /** A DSR Maglev VIP over these reals, its table built as the conductor would. */
    VipEntry vip(final String key, final RealEntry... reals)
    {
        return vip(key, SchedulerKind.MAGLEV, reals);
    }

    /**
     * A DSR VIP with this scheduler over these reals (a round-robin one gets a rotation, a
     * least-connection one its counts, for {@link #WORKERS}).
     */
    VipEntry vip(final String key, final SchedulerKind scheduler, final RealEntry... reals)
    {
        return vip(key, ForwardingMode.DSR, scheduler, reals);
    }

    /** A VIP with this mode and scheduler over these reals. */
    VipEntry vip(final String key, final ForwardingMode mode, final SchedulerKind scheduler, final RealEntry... reals)
    {
        final VipKey vipKey = VipKey.parse(key);
        final int[] weights = new int[reals.length];
        for (int i = 0; i < reals.length; i++)
        {
            weights[i] = reals[i].weight();
        }
        return new VipEntry(
            nextVipId++,
            new VipSpec(vipKey, mode, scheduler),
            reals,
            maglev(vipKey, reals),
            scheduler == SchedulerKind.ROUND_ROBIN ? new RoundRobin(weights, WORKERS) : null,
            scheduler == SchedulerKind.LEAST_CONNECTION ? new LeastConnection(weights, WORKERS) : null,
            perWorker(CounterTypes.VIP_PACKETS, 0, "vip " + key + " packets"),
            perWorker(CounterTypes.VIP_BYTES, 0, "vip " + key + " bytes"));
    }

    /** A gue Maglev VIP over these reals, with its rows' secondaries when {@code secondChance}, as the conductor would. */
    VipEntry gueVip(final String key, final boolean secondChance, final RealEntry... reals)
    {
        final VipKey vipKey = VipKey.parse(key);
        final VipSpec spec = new VipSpec(vipKey, ForwardingMode.GUE, SchedulerKind.MAGLEV, HealthCheck.NONE, secondChance);
        final int[] maglev = maglev(vipKey, reals);
        final int[] secondaries = secondChance ? secondaries(vipKey, maglev, reals) : null;
        return new VipEntry(nextVipId++, spec, reals, maglev, secondaries, null, null,
            perWorker(CounterTypes.VIP_PACKETS, 0, "vip " + key + " packets"),
            perWorker(CounterTypes.VIP_BYTES, 0, "vip " + key + " bytes"), VipEntry.NO_SELF_TEST);
    }

    /** The same VIP (same counters) with another set of reals, as after a configuration change. */
    static VipEntry withReals(final VipEntry vip, final RealEntry... reals)
    {
        final VipKey key = vip.spec().key();
        final int[] maglev = maglev(key, reals);
        final int[] secondaries = vip.spec().secondChance() ? secondaries(key, maglev, reals) : null;
        return new VipEntry(
            vip.id(), vip.spec(), reals, maglev, secondaries, null, null, vip.packetsByWorker(), vip.bytesByWorker(), VipEntry.NO_SELF_TEST);
    }

    static int[] maglev(final VipKey vipKey, final RealEntry... reals)
    {
        return MaglevTable.build(endpointKeys(vipKey, reals), weights(reals), MaglevTable.DEFAULT_SIZE);
    }

    private static int[] secondaries(final VipKey vipKey, final int[] maglev, final RealEntry... reals)
    {
        return MaglevSecondaries.build(maglev, endpointKeys(vipKey, reals), weights(reals));
    }

    private static long[] endpointKeys(final VipKey vipKey, final RealEntry... reals)
    {
        final long[] keys = new long[reals.length];
        for (int i = 0; i < reals.length; i++)
        {
            final int port = reals[i].port() == 0 ? vipKey.port() : reals[i].port();
            keys[i] = MaglevTable.endpointKey(reals[i].address(), port);
        }
        return keys;
    }

    private static int[] weights(final RealEntry... reals)
    {
        final int[] weights = new int[reals.length];
        for (int i = 0; i < reals.length; i++)
        {
            weights[i] = reals[i].weight();
        }
        return weights;
    }

    static long sum(final AtomicCounter[] byWorker)
    {
        long sum = 0;
        for (final AtomicCounter counter : byWorker)
        {
            sum += counter.get();
        }
        return sum;
    }

    private AtomicCounter[] perWorker(final int typeId, final int detail, final String label)
    {
        final AtomicCounter[] byWorker = new AtomicCounter[WORKERS];
        for (int worker = 0; worker < WORKERS; worker++)
        {
            byWorker[worker] = WorkerCounters.allocate(counters, typeId, worker, detail, label);
        }
        return byWorker;
    }
}
