package io.sluice.forwarder.golden;

import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.dataplane.DropReason;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flows keep their real across configuration changes: the flow table, not the Maglev table,
 * decides for a flow it has seen; only flows whose real left pick again.
 */
final class FlowStickinessTest
{
    private static final long LOCAL_MAC = 0x0200_0000_0001L;
    private static final int WORKER = 1;
    private static final int FLOWS = 600;
    private static final int FRAME_LENGTH = 54;

    private final TestTables tables = new TestTables();
    private final FlowTable flows = new FlowTable(4096);
    private final WorkerCounters counters = tables.workerCounters(WORKER);
    private final PacketProcessor processor = new PacketProcessor(WORKER, flows, counters);
    private final RealEntry real1 = tables.real(1, "198.18.0.11", 0x0200_0000_0011L);
    private final RealEntry real2 = tables.real(2, "198.18.0.12", 0x0200_0000_0012L);
    private final RealEntry real3 = tables.real(3, "198.18.0.13", 0x0200_0000_0013L);
    private final byte[][] frames = new byte[FLOWS][];
    private long nowNs = 5_000_000_000L;

    FlowStickinessTest()
    {
        processor.localMac(LOCAL_MAC);
        for (int i = 0; i < FLOWS; i++)
        {
            frames[i] = PacketBuilder.ethernet(LOCAL_MAC, 0x0200_0000_00FEL)
                .ipv4("198.19." + (i / 250) + "." + (1 + i % 250), "198.18.1.1").tcp(30000 + i, 80).build();
        }
    }

    @AfterEach
    void close()
    {
        counters.close();
        flows.close();
    }

    @Test
    void establishedFlowsKeepTheirRealWhenARealIsAdded()
    {
        final VipEntry twoReals = tables.vip("198.18.1.1:80/tcp", real1, real2);
        final long[] before = sendAll(new ForwardingTable(new VipEntry[]{twoReals}, 1));
        assertThat(before).containsOnly(real1.mac(), real2.mac());
        assertThat(count(before, real1.mac())).isBetween(FLOWS / 2 - 60, FLOWS / 2 + 60);

        final VipEntry threeReals = TestTables.withReals(twoReals, real1, real2, real3);
        final ForwardingTable grown = new ForwardingTable(new VipEntry[]{threeReals}, 2);
        nowNs += 1_000_000_000L;
        assertThat(sendAll(grown)).as("same flows, same reals").containsExactly(before);

        // The new table really is different: with a fresh flow table a third of the flows would go to the new real.
        try (FlowTable fresh = new FlowTable(4096); WorkerCounters otherCounters = tables.workerCounters(0))
        {
            final PacketProcessor newcomer = new PacketProcessor(0, fresh, otherCounters);
            newcomer.localMac(LOCAL_MAC);
            final long[] unremembered = sendAll(newcomer, grown);
            assertThat(count(unremembered, real3.mac())).isBetween(FLOWS / 3 - 60, FLOWS / 3 + 60);
        }
        assertThat(counters.flowsCreated.get()).as("no flow was created twice").isEqualTo(FLOWS);
    }

    @Test
    void flowsOfARemovedRealMoveToLiveRealsAndTheOthersStay()
    {
        final VipEntry threeReals = tables.vip("198.18.1.1:80/tcp", real1, real2, real3);
        final long[] before = sendAll(new ForwardingTable(new VipEntry[]{threeReals}, 1));
        final int onReal2 = count(before, real2.mac());
        assertThat(onReal2).isPositive();

        final VipEntry withoutReal2 = TestTables.withReals(threeReals, real1, real3);
        final long[] after = sendAll(new ForwardingTable(new VipEntry[]{withoutReal2}, 2));
        for (int i = 0; i < FLOWS; i++)
        {
            if (before[i] == real2.mac())
            {
                assertThat(after[i]).as("flow %d left real 2", i).isIn(real1.mac(), real3.mac());
            }
            else
            {
                assertThat(after[i]).as("flow %d stays", i).isEqualTo(before[i]);
            }
        }
        assertThat(counters.flowsCreated.get()).isEqualTo(FLOWS + onReal2);

        // Real 2 comes back (same id): flows that moved stay where they are now.
        final long[] back = sendAll(new ForwardingTable(new VipEntry[]{threeReals}, 3));
        assertThat(back).containsExactly(after);
    }

    @Test
    void idleFlowsForgetTheirRealAndFollowTheCurrentTable()
    {
        final VipEntry twoReals = tables.vip("198.18.1.1:80/tcp", real1, real2);
        final long[] before = sendAll(new ForwardingTable(new VipEntry[]{twoReals}, 1));

        final VipEntry threeReals = TestTables.withReals(twoReals, real1, real2, real3);
        nowNs += PacketProcessor.TCP_IDLE_TIMEOUT_NS + 1;
        final long[] after = sendAll(new ForwardingTable(new VipEntry[]{threeReals}, 2));
        assertThat(count(after, real3.mac())).as("expired flows were placed afresh").isPositive();
        for (int i = 0; i < FLOWS; i++)
        {
            if (after[i] != real3.mac())
            {
                assertThat(after[i]).as("Maglev moves only what the new real takes").isEqualTo(before[i]);
            }
        }
        assertThat(counters.flowsCreated.get()).isEqualTo(2L * FLOWS);
    }

    @Test
    void countersCountPacketsBytesAndDrops()
    {
        final VipEntry vip = tables.vip("198.18.1.1:80/tcp", real1, real2);
        final ForwardingTable table = new ForwardingTable(new VipEntry[]{vip}, 1);
        final long[] reals = sendAll(table);
        sendAll(table);

        assertThat(vip.packetsByWorker()[WORKER].get()).isEqualTo(2L * FLOWS);
        assertThat(vip.bytesByWorker()[WORKER].get()).isEqualTo(2L * FLOWS * FRAME_LENGTH);
        assertThat(vip.packetsByWorker()[0].get()).as("another worker's slot").isZero();
        assertThat(real1.packetsByWorker()[WORKER].get()).isEqualTo(2L * count(reals, real1.mac()));
        assertThat(real2.packetsByWorker()[WORKER].get()).isEqualTo(2L * count(reals, real2.mac()));
        assertThat(real1.bytesByWorker()[WORKER].get()).isEqualTo(2L * FRAME_LENGTH * count(reals, real1.mac()));
        assertThat(real1.packetsByWorker()[0].get() + real2.packetsByWorker()[0].get()).isZero();
        assertThat(counters.flowsCreated.get()).isEqualTo(FLOWS);
        assertThat(counters.flowsEvicted.get()).isZero();

        final UnsafeBuffer notAVip = new UnsafeBuffer(PacketBuilder.ethernet(LOCAL_MAC, 1).ipv4("198.19.0.1", "198.18.1.9")
            .tcp(1, 80).build());
        final UnsafeBuffer expired = new UnsafeBuffer(PacketBuilder.ethernet(LOCAL_MAC, 1).ipv4("198.19.0.1", "198.18.1.1")
            .tcp(1, 80).ttl(1).build());
        for (int i = 0; i < 3; i++)
        {
            assertThat(processor.process(notAVip, 0, notAVip.capacity(), table, nowNs)).isEqualTo(DropReason.NOT_A_VIP.code());
        }
        assertThat(processor.process(expired, 0, expired.capacity(), table, nowNs)).isEqualTo(DropReason.TTL_EXPIRED.code());
        assertThat(counters.drops(DropReason.NOT_A_VIP).get()).isEqualTo(3);
        assertThat(counters.drops(DropReason.TTL_EXPIRED).get()).isOne();
        assertThat(vip.packetsByWorker()[WORKER].get()).as("drops are not VIP packets").isEqualTo(2L * FLOWS);
    }

    @Test
    void fullFlowTableCountsEvictions()
    {
        try (FlowTable tiny = new FlowTable(4); WorkerCounters tinyCounters = tables.workerCounters(0))
        {
            final PacketProcessor small = new PacketProcessor(0, tiny, tinyCounters);
            small.localMac(LOCAL_MAC);
            final ForwardingTable table = new ForwardingTable(new VipEntry[]{tables.vip("198.18.1.1:80/tcp", real1)}, 1);
            sendAll(small, table);
            assertThat(tinyCounters.flowsCreated.get()).isEqualTo(FLOWS);
            assertThat(tinyCounters.flowsEvicted.get()).isEqualTo(FLOWS - FlowTable.ENTRIES_PER_BUCKET);
        }
    }

    private long[] sendAll(final ForwardingTable table)
    {
        return sendAll(processor, table);
    }

    /** Sends every flow's frame once; returns the destination MAC each was forwarded to. */
    private long[] sendAll(final PacketProcessor through, final ForwardingTable table)
    {
        final long[] macs = new long[FLOWS];
        for (int i = 0; i < FLOWS; i++)
        {
            final UnsafeBuffer frame = new UnsafeBuffer(frames[i].clone());
            assertThat(through.process(frame, 0, frame.capacity(), table, nowNs)).as("flow %d", i).isEqualTo(PacketProcessor.FORWARD);
            macs[i] = ((frame.getInt(0, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL) << 16) | (frame.getShort(4, ByteOrder.BIG_ENDIAN) & 0xFFFF);
        }
        return macs;
    }

    private static int count(final long[] macs, final long mac)
    {
        int count = 0;
        for (final long each : macs)
        {
            count += each == mac ? 1 : 0;
        }
        return count;
    }
}
