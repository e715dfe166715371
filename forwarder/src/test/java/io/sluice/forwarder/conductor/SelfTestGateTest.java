package io.sluice.forwarder.conductor;

import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.config.VipSpec;
import io.sluice.forwarder.counters.CounterTypes;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.dataplane.DropReason;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.ForwardingTablePublisher;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;
import io.sluice.forwarder.worker.SelfTestResult;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The announcement gate over fake worker reports: what passes, what is held, what is logged. */
final class SelfTestGateTest
{
    private static final int WORKERS = 2;
    private static final VipKey WEB = VipKey.parse("198.18.1.1:80/tcp");
    private static final VipKey DNS = VipKey.parse("198.18.1.1:53/udp");

    private final CountersManager counters = new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(64 * CountersReader.METADATA_LENGTH)),
        new UnsafeBuffer(ByteBuffer.allocateDirect(64 * CountersReader.COUNTER_LENGTH)));
    private final ForwardingTablePublisher tables = new ForwardingTablePublisher();
    private final List<List<VipKey>> told = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();
    private final long[] nowNs = {0};
    private final SelfTestGate gate = new SelfTestGate(tables, WORKERS, new VipSetListener()
    {
        @Override
        public void onVips(final List<VipKey> vips)
        {
        }

        @Override
        public void onServableVips(final List<VipKey> servable)
        {
            told.add(servable);
        }
    }, () -> nowNs[0], messages::add);
    private final AtomicCounter[] web = reports(WEB);
    private final AtomicCounter[] dns = reports(DNS);

    @Test
    void letsAServableVipThroughOnlyOnceEveryWorkerPassedOnTheTableInForce()
    {
        publish(1);
        gate.onServableVips(List.of(WEB, DNS));
        assertThat(lastTold()).as("no report yet").isEmpty();

        report(web, 0, 1, SelfTestResult.PASSED);
        report(dns, 0, 1, SelfTestResult.PASSED);
        report(dns, 1, 1, SelfTestResult.PASSED);
        tick();
        assertThat(lastTold()).as("worker 1 has not reported on WEB").containsExactly(DNS);

        report(web, 1, 0, SelfTestResult.PASSED);
        tick();
        assertThat(lastTold()).as("a report on an older table counts for nothing").containsExactly(DNS);

        report(web, 1, 1, SelfTestResult.PASSED);
        tick();
        assertThat(lastTold()).containsExactly(WEB, DNS);
        assertThat(messages).isEmpty();
    }

    @Test
    void keepsTheLastOutcomeWhileANewTableIsTestedAndWithdrawsOnAFailureLoggedOnce()
    {
        publish(1);
        gate.onServableVips(List.of(WEB));
        passAll(web, 1);
        tick();
        assertThat(lastTold()).containsExactly(WEB);

        publish(2);
        report(web, 0, 2, SelfTestResult.PASSED);
        tick();
        assertThat(lastTold()).as("worker 1 is still testing table 2: WEB stays").containsExactly(WEB);

        report(web, 1, 2, DropReason.NO_NEXT_HOP.code());
        tick();
        tick();
        assertThat(lastTold()).isEmpty();
        assertThat(messages).containsExactly("sluice forwarder: self-test of VIP 198.18.1.1:80/tcp failed on worker 1: no-next-hop");

        publish(3);
        report(web, 0, 3, DropReason.NO_NEXT_HOP.code());
        report(web, 1, 3, DropReason.NO_NEXT_HOP.code());
        tick();
        assertThat(messages).as("the same failure again is not logged again").hasSize(1);

        publish(4);
        passAll(web, 4);
        tick();
        assertThat(lastTold()).containsExactly(WEB);
        assertThat(messages).last().isEqualTo("sluice forwarder: self-test of VIP 198.18.1.1:80/tcp passes on every worker again");
    }

    @Test
    void logsNothingForAVipThatCannotBeServedAnyway()
    {
        publish(1);
        gate.onServableVips(List.of());
        report(web, 0, 1, DropReason.NO_REAL.code());
        report(web, 1, 1, DropReason.NO_REAL.code());
        tick();
        assertThat(messages).isEmpty();

        gate.onServableVips(List.of(WEB));
        assertThat(messages).as("servable now, and its self-test still fails")
            .containsExactly("sluice forwarder: self-test of VIP 198.18.1.1:80/tcp failed on worker 0: no-real");
        assertThat(lastTold()).isEmpty();
    }

    private void publish(final long version)
    {
        tables.publish(new ForwardingTable(new VipEntry[]{entry(WEB, web), entry(DNS, dns)}, version));
    }

    private void passAll(final AtomicCounter[] reports, final long version)
    {
        for (int worker = 0; worker < WORKERS; worker++)
        {
            report(reports, worker, version, SelfTestResult.PASSED);
        }
    }

    private static void report(final AtomicCounter[] reports, final int worker, final long version, final int outcome)
    {
        reports[worker].setRelease(SelfTestResult.encode(version, outcome));
    }

    private void tick()
    {
        nowNs[0] += SelfTestGate.CHECK_INTERVAL_NS;
        gate.doWork();
    }

    private List<VipKey> lastTold()
    {
        return told.isEmpty() ? List.of() : told.getLast();
    }

    private AtomicCounter[] reports(final VipKey key)
    {
        final AtomicCounter[] reports = new AtomicCounter[WORKERS];
        for (int worker = 0; worker < WORKERS; worker++)
        {
            reports[worker] = WorkerCounters.allocate(counters, CounterTypes.VIP_SELF_TEST, worker, 0, "vip " + key + " self-test");
        }
        return reports;
    }

    private static VipEntry entry(final VipKey key, final AtomicCounter[] reports)
    {
        return new VipEntry(1, new VipSpec(key, ForwardingMode.DSR, SchedulerKind.MAGLEV), new RealEntry[0], new int[0], null, null,
            null, new AtomicCounter[WORKERS], new AtomicCounter[WORKERS], reports);
    }
}
