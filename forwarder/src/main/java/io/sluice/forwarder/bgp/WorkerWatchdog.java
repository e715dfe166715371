package io.sluice.forwarder.bgp;

import io.sluice.forwarder.counters.CounterTypes;
import io.sluice.forwarder.counters.WorkerCounters;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Withdraws a forwarder whose workers stopped making progress, on the conductor's thread: a BGP
 * session that is up proves nothing about the data path, so a forwarder with a stuck worker
 * (its share of the flows blackholed) should leave the routers' ECMP routes as a dead one does.
 * Every worker advances its heartbeat counter once per duty cycle, packets or not (an idle one
 * wakes from poll() every few milliseconds); when one has not advanced for the stall time the
 * {@link VipAnnouncer} withdraws every VIP, and once every worker advances again it announces what
 * can be served. Each change is one line; each withdrawal is counted ("bgp watchdog withdrawals").
 */
public final class WorkerWatchdog implements Agent
{
    public static final long DEFAULT_STALL_NS = TimeUnit.SECONDS.toNanos(1);
    /** How often the heartbeats are read: a tenth of the default stall time. */
    static final long CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final AtomicCounter[] heartbeats;
    private final long[] lastBeat;
    private final long[] lastProgressNs;
    private final long stallNs;
    private final NanoClock clock;
    private final VipAnnouncer announcer;
    private final Consumer<String> messages;
    private final AtomicCounter withdrawals;
    private long nextCheckNs;
    private boolean stalled;

    /** @param heartbeats each worker's heartbeat counter, in worker order. */
    public WorkerWatchdog(final List<AtomicCounter> heartbeats, final long stallNs, final NanoClock clock,
        final VipAnnouncer announcer, final CountersManager counters, final Consumer<String> messages)
    {
        this.heartbeats = heartbeats.toArray(new AtomicCounter[0]);
        this.lastBeat = new long[this.heartbeats.length];
        this.lastProgressNs = new long[this.heartbeats.length];
        this.stallNs = stallNs;
        this.clock = clock;
        this.announcer = announcer;
        this.messages = messages;
        this.withdrawals = WorkerCounters.allocate(counters, CounterTypes.BGP_SPEAKER, -1, 0, "bgp watchdog withdrawals");
        final long nowNs = clock.nanoTime();
        for (int worker = 0; worker < this.heartbeats.length; worker++)
        {
            lastBeat[worker] = this.heartbeats[worker].getAcquire();
            lastProgressNs[worker] = nowNs;
        }
        nextCheckNs = nowNs;
    }

    @Override
    public String roleName()
    {
        return "sluice-worker-watchdog";
    }

    @Override
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        if (nowNs - nextCheckNs < 0)
        {
            return 0;
        }
        nextCheckNs = nowNs + CHECK_INTERVAL_NS;
        int stuck = -1;
        for (int worker = 0; worker < heartbeats.length; worker++)
        {
            final long beat = heartbeats[worker].getAcquire();
            if (beat != lastBeat[worker])
            {
                lastBeat[worker] = beat;
                lastProgressNs[worker] = nowNs;
            }
            else if (stuck < 0 && nowNs - lastProgressNs[worker] >= stallNs)
            {
                stuck = worker;
            }
        }
        if (stuck >= 0 && !stalled)
        {
            stalled = true;
            withdrawals.increment();
            announcer.onWorkersStalled(true);
            messages.accept("BGP: watchdog: worker " + stuck + " made no progress for " +
                TimeUnit.NANOSECONDS.toMillis(nowNs - lastProgressNs[stuck]) + " ms; withdrawing every VIP");
        }
        else if (stuck < 0 && stalled)
        {
            stalled = false;
            announcer.onWorkersStalled(false);
            messages.accept("BGP: watchdog: every worker makes progress again; announcing what can be served");
        }
        return 1;
    }

    @Override
    public void onClose()
    {
        withdrawals.close();
    }
}
