package io.sluice.forwarder.golden;

import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.counters.CounterTypes;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.dataplane.DropReason;
import io.sluice.forwarder.dataplane.NatFlows;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;
import io.sluice.forwarder.worker.SelfTest;
import io.sluice.forwarder.worker.SelfTestResult;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker's self-test packet goes through the real processor in every mode and both IP
 * versions, and leaves no trace: no flow in the worker's flow or NAT tables, no VIP, real, drop
 * or flow count moved; the outcome is the processor's verdict.
 */
final class SelfTestProbeTest
{
    private static final long LOCAL_MAC = 0x0200_0000_0002L;
    private static final long NOW_NS = 1_000_000_000L;

    private final TestTables tables = new TestTables();
    private final FlowTable flows = new FlowTable(1024);
    private final FlowTable replies = FlowTable.withPayload(1024);
    private final WorkerCounters counters = tables.workerCounters(0);
    private final PacketProcessor processor = new PacketProcessor(0, flows, new NatFlows(replies), counters);
    private final SelfTest selfTest = new SelfTest(0, processor);
    private final RealEntry real4 = tables.real(1, "198.18.0.11", 0x0200_0000_0011L);
    private final RealEntry natReal4 = tables.real(2, "198.18.0.12", 8080, 100, 0x0200_0000_0012L);
    private final RealEntry real6 = tables.real(3, "2001:2::11", 0x0200_0000_0011L);
    private final RealEntry unresolved = tables.real(4, "198.18.0.13", 0L);

    SelfTestProbeTest()
    {
        processor.localMac(LOCAL_MAC);
    }

    @AfterEach
    void close()
    {
        selfTest.close();
        counters.close();
        flows.close();
        replies.close();
    }

    @Test
    void passesInEveryModeAndLeavesNoTrace()
    {
        final List<VipEntry> vips = new ArrayList<>();
        for (final ForwardingMode mode : ForwardingMode.values())
        {
            final RealEntry real = mode == ForwardingMode.NAT ? natReal4 : real4;
            vips.add(tables.vip("198.18.1.1:" + (80 + mode.ordinal()) + "/tcp", mode, SchedulerKind.MAGLEV, real));
            vips.add(tables.vip("198.18.1.1:" + (80 + mode.ordinal()) + "/udp", mode, SchedulerKind.MAGLEV, real));
            if (mode != ForwardingMode.GUE) // gue is IPv4 only
            {
                vips.add(tables.vip("[2001:2:0:1::1]:" + (80 + mode.ordinal()) + "/tcp", mode, SchedulerKind.MAGLEV, real6));
            }
        }
        vips.add(tables.vip("198.18.1.2:80/tcp", SchedulerKind.ROUND_ROBIN, real4));
        vips.add(tables.vip("198.18.1.2:81/tcp", SchedulerKind.LEAST_CONNECTION, real4));
        final ForwardingTable table = new ForwardingTable(vips.toArray(new VipEntry[0]), 1);

        for (final VipEntry vip : vips)
        {
            assertThat(SelfTestResult.describe(selfTest.test(vip, table, NOW_NS)))
                .as("%s %s", vip.spec().key(), vip.spec().mode()).isEqualTo("passed");
        }

        assertThat(flows.countLive(NOW_NS)).as("flows the worker remembers").isZero();
        assertThat(replies.countLive(NOW_NS)).as("NAT replies the worker would translate").isZero();
        assertThat(counters.flowsCreated.get()).isZero();
        assertThat(counters.partialChecksumsFinished.get()).isZero();
        for (final DropReason reason : DropReason.values())
        {
            assertThat(counters.drops(reason).get()).as("drop %s", reason.label()).isZero();
        }
        for (final VipEntry vip : vips)
        {
            assertThat(TestTables.sum(vip.packetsByWorker()) + TestTables.sum(vip.bytesByWorker())).isZero();
        }
        for (final RealEntry real : List.of(real4, natReal4, real6))
        {
            assertThat(TestTables.sum(real.packetsByWorker()) + TestTables.sum(real.bytesByWorker())).isZero();
        }
        assertThat(selfTest.scratch().counters().flowsCreated.get()).as("the probe counts into its own counters").isPositive();
    }

    @Test
    void allocatesNothingOnceWarm()
    {
        final List<VipEntry> vips = new ArrayList<>();
        for (final ForwardingMode mode : ForwardingMode.values())
        {
            vips.add(tables.vip("198.18.1.1:" + (80 + mode.ordinal()) + "/tcp", mode, SchedulerKind.MAGLEV,
                mode == ForwardingMode.NAT ? natReal4 : real4));
            if (mode != ForwardingMode.GUE) // gue is IPv4 only
            {
                vips.add(tables.vip("[2001:2:0:1::1]:" + (80 + mode.ordinal()) + "/udp", mode, SchedulerKind.MAGLEV, real6));
            }
        }
        final VipEntry[] entries = vips.toArray(new VipEntry[0]);
        final ForwardingTable[] versions = new ForwardingTable[100];
        for (int i = 0; i < versions.length; i++)
        {
            versions[i] = new ForwardingTable(entries, i + 1);
        }
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        long allocated = -1;
        // As in PacketProcessorAllocationTest: the first rounds allocate once (class loading, JIT), never per probe.
        for (int round = 0; round < 20 && allocated != 0; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (final ForwardingTable table : versions)
            {
                selfTest.run(table, NOW_NS);
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }
        assertThat(allocated).as("bytes allocated by %d self-tests of %d VIPs", versions.length, entries.length).isZero();
    }

    @Test
    void failsWithTheProcessorsDropReason()
    {
        final VipEntry noReal = tables.vip("198.18.1.1:80/tcp");
        final VipEntry noNextHop = tables.vip("198.18.1.1:81/tcp", unresolved);
        final VipEntry tunnel = tables.vip("198.18.1.1:82/tcp", ForwardingMode.TUNNEL, SchedulerKind.MAGLEV, real4);
        final ForwardingTable table = new ForwardingTable(new VipEntry[]{noReal, noNextHop, tunnel}, 1);

        assertThat(selfTest.test(noReal, table, NOW_NS)).isEqualTo(DropReason.NO_REAL.code());
        assertThat(selfTest.test(noNextHop, table, NOW_NS)).isEqualTo(DropReason.NO_NEXT_HOP.code());
        processor.mtu(40);
        assertThat(SelfTestResult.describe(selfTest.test(tunnel, table, NOW_NS)))
            .as("too big for the link to the reals once encapsulated").isEqualTo("too-big");
        assertThat(counters.drops(DropReason.NO_REAL).get() + counters.drops(DropReason.NO_NEXT_HOP).get() +
            counters.drops(DropReason.TOO_BIG).get()).as("the worker's own drop counts").isZero();
    }

    @Test
    void reportsEachVipOncePerTableVersionInItsCounterForThisWorker()
    {
        final CountersManager manager = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(16 * CountersReader.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(16 * CountersReader.COUNTER_LENGTH)));
        final AtomicCounter[] reports = {
            WorkerCounters.allocate(manager, CounterTypes.VIP_SELF_TEST, 0, 1, "vip 198.18.1.1:80/tcp self-test"),
            WorkerCounters.allocate(manager, CounterTypes.VIP_SELF_TEST, 1, 1, "vip 198.18.1.1:80/tcp self-test")};
        final VipEntry plain = tables.vip("198.18.1.1:80/tcp", unresolved);
        final VipEntry vip = new VipEntry(plain.id(), plain.spec(), plain.reals(), plain.maglev(), null, null, null,
            plain.packetsByWorker(), plain.bytesByWorker(), reports);

        assertThat(selfTest.run(new ForwardingTable(new VipEntry[]{vip}, 7), NOW_NS)).isEqualTo(1);
        assertThat(selfTest.run(new ForwardingTable(new VipEntry[]{vip}, 7), NOW_NS)).as("the same version again").isZero();
        assertThat(SelfTestResult.tableVersion(reports[0].get())).isEqualTo(7);
        assertThat(SelfTestResult.outcome(reports[0].get())).isEqualTo(DropReason.NO_NEXT_HOP.code());
        assertThat(reports[1].get()).as("another worker's slot").isZero();
    }
}
