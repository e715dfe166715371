package io.sluice.forwarder.bgp;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.VipKey;
import org.agrona.BufferUtil;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watchdog on a hand-driven clock: two workers beat, one stops; after the stall time every
 * VIP is withdrawn, once, counted and said in one line; when it beats again the VIPs come back.
 */
class WorkerWatchdogTest
{
    private static final IpAddress VIP = IpAddress.parse("198.18.1.1");
    private static final BgpConfig CONFIG = new BgpConfig(65001, IpAddress.parse("198.18.0.2"),
        List.of(new BgpConfig.Neighbor(IpAddress.parse("198.18.0.1"), 65000, null)), 9, 3, null, List.of(), Set.of(VIP));
    private static final long STEP_NS = WorkerWatchdog.CHECK_INTERVAL_NS;

    @TempDir
    Path stateDir;

    private final CountersManager counters = new CountersManager(
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(64 * 512, 64)),
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(64 * 128, 64)));
    private final CachedNanoClock clock = new CachedNanoClock();
    private final List<String> lines = new ArrayList<>();

    @Test
    void aWorkerWhoseHeartbeatStopsWithdrawsEveryVipUntilItBeatsAgain()
    {
        final AtomicCounter first = counters.newCounter("worker 0 heartbeat");
        final AtomicCounter second = counters.newCounter("worker 1 heartbeat");
        final VipAnnouncer announcer = new VipAnnouncer(CONFIG, new BirdSupervisor(CONFIG, stateDir, lines::add), counters);
        announcer.onVips(List.of(VipKey.parse("198.18.1.1:80/tcp")));
        announcer.onServableVips(List.of(VipKey.parse("198.18.1.1:80/tcp")));
        clock.update(7_000_000_000L);
        final WorkerWatchdog watchdog = new WorkerWatchdog(List.of(first, second), WorkerWatchdog.DEFAULT_STALL_NS, clock,
            announcer, counters, lines::add);

        runFor(TimeUnit.SECONDS.toNanos(3), watchdog, first, second);
        assertThat(announcer.wanted()).as("both workers beat").isEqualTo(Map.of(VIP, true));
        assertThat(lines).isEmpty();

        runFor(WorkerWatchdog.DEFAULT_STALL_NS - STEP_NS, watchdog, first);
        assertThat(announcer.wanted()).as("worker 1 has stood still for less than the stall time").isEqualTo(Map.of(VIP, true));

        runFor(2 * STEP_NS, watchdog, first);
        assertThat(announcer.wanted()).as("worker 1 stuck").isEqualTo(Map.of(VIP, false));
        assertThat(lines).containsExactly("BGP: watchdog: worker 1 made no progress for 1000 ms; withdrawing every VIP");
        assertThat(withdrawals()).isEqualTo(1);

        runFor(TimeUnit.SECONDS.toNanos(5), watchdog, first);
        announcer.onServableVips(List.of(VipKey.parse("198.18.1.1:80/tcp")));
        assertThat(announcer.wanted()).as("what can be served changes nothing while a worker is stuck")
            .isEqualTo(Map.of(VIP, false));
        assertThat(lines).as("said once").hasSize(1);
        assertThat(withdrawals()).as("counted once").isEqualTo(1);

        runFor(STEP_NS, watchdog, first, second);
        assertThat(announcer.wanted()).as("worker 1 beats again").isEqualTo(Map.of(VIP, true));
        assertThat(lines).last().isEqualTo("BGP: watchdog: every worker makes progress again; announcing what can be served");
        watchdog.onClose();
        announcer.onClose();
    }

    @Test
    void aQuietWorkerThatStillBeatsIsNotStuck()
    {
        final AtomicCounter only = counters.newCounter("worker 0 heartbeat");
        final VipAnnouncer announcer = new VipAnnouncer(CONFIG, new BirdSupervisor(CONFIG, stateDir, lines::add), counters);
        final WorkerWatchdog watchdog = new WorkerWatchdog(List.of(only), WorkerWatchdog.DEFAULT_STALL_NS, clock,
            announcer, counters, lines::add);
        for (int tick = 0; tick < 100; tick++)
        {
            // Once per check interval, as an idle worker waking from poll() beats many times in one.
            clock.advance(STEP_NS);
            only.increment();
            watchdog.doWork();
            watchdog.doWork();
        }
        assertThat(lines).isEmpty();
        assertThat(withdrawals()).isZero();
    }

    /** Advances the clock by check intervals over {@code ns}, the given workers beating at each. */
    private void runFor(final long ns, final WorkerWatchdog watchdog, final AtomicCounter... beating)
    {
        for (long elapsed = 0; elapsed < ns; elapsed += STEP_NS)
        {
            clock.advance(STEP_NS);
            for (final AtomicCounter heartbeat : beating)
            {
                heartbeat.increment();
            }
            watchdog.doWork();
        }
    }

    private long withdrawals()
    {
        final long[] value = new long[1];
        counters.forEach((counterId, typeId, key, label) ->
        {
            if (label.equals("bgp watchdog withdrawals"))
            {
                value[0] = counters.getCounterValue(counterId);
            }
        });
        return value[0];
    }
}
