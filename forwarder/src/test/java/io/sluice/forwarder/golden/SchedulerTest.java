package io.sluice.forwarder.golden;

import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How each scheduler places new flows: Maglev over the 5-tuple, over the client address only, in
 * turns, or to the real with the fewest live flows per weight.
 */
final class SchedulerTest
{
    private static final long LOCAL_MAC = 0x0200_0000_0001L;
    private static final int WORKER = 0;
    private static final String VIP = "198.18.1.1:80/tcp";
    private static final long NOW_NS = 1_000_000_000L;

    private final TestTables tables = new TestTables();
    private final FlowTable flows = new FlowTable(1 << 14);
    private final WorkerCounters counters = tables.workerCounters(WORKER);
    private final PacketProcessor processor = new PacketProcessor(WORKER, flows, counters);
    private final RealEntry real1 = tables.real(1, "198.18.0.11", 1, 0x0200_0000_0011L);
    private final RealEntry real2 = tables.real(2, "198.18.0.12", 1, 0x0200_0000_0012L);
    private final RealEntry real3 = tables.real(3, "198.18.0.13", 1, 0x0200_0000_0013L);

    SchedulerTest()
    {
        processor.localMac(LOCAL_MAC);
    }

    @AfterEach
    void close()
    {
        counters.close();
        flows.close();
    }

    @Test
    void sourceHashSendsEveryFlowOfAClientToOneReal()
    {
        final ForwardingTable table = table(tables.vip(VIP, SchedulerKind.SOURCE_HASH, real1, real2, real3));
        final Set<Long> used = new HashSet<>();
        for (int client = 0; client < 60; client++)
        {
            final Set<Long> ofClient = new HashSet<>();
            for (int port = 0; port < 20; port++)
            {
                ofClient.add(send(table, "198.19.0." + (client + 1), 20000 + port * 97));
            }
            assertThat(ofClient).as("reals of client %d's 20 flows", client).hasSize(1);
            used.addAll(ofClient);
        }
        assertThat(used).as("60 clients spread over every real").containsExactlyInAnyOrder(real1.mac(), real2.mac(), real3.mac());
    }

    @Test
    void maglevSpreadsOneClientsFlowsOverReals()
    {
        final ForwardingTable table = table(tables.vip(VIP, SchedulerKind.MAGLEV, real1, real2, real3));
        final Set<Long> used = new HashSet<>();
        for (int port = 0; port < 60; port++)
        {
            used.add(send(table, "198.19.0.1", 20000 + port * 97));
        }
        assertThat(used).as("the 5-tuple, not the client, picks the real").hasSize(3);
    }

    @Test
    void roundRobinTakesTurnsOverNewFlowsAndTheFlowTableKeepsThem()
    {
        final ForwardingTable table = table(tables.vip(VIP, SchedulerKind.ROUND_ROBIN, real1, real2, real3));
        final long[] first = new long[30];
        for (int i = 0; i < first.length; i++)
        {
            first[i] = send(table, "198.19.0." + (i + 1), 40000);
        }
        for (int i = 0; i < first.length; i++)
        {
            assertThat(first[i]).as("flow %d", i).isEqualTo(new long[]{ real1.mac(), real2.mac(), real3.mac() }[i % 3]);
        }
        for (int i = 0; i < first.length; i++)
        {
            assertThat(send(table, "198.19.0." + (i + 1), 40000)).as("flow %d again", i).isEqualTo(first[i]);
        }
        assertThat(counters.flowsCreated.get()).as("only new flows take a turn").isEqualTo(first.length);
    }

    @Test
    void weightedRoundRobinGivesEachRealItsShare()
    {
        final RealEntry heavy = tables.real(4, "198.18.0.14", 3, 0x0200_0000_0014L);
        final ForwardingTable table = table(tables.vip(VIP, SchedulerKind.ROUND_ROBIN, heavy, real1));
        final Map<Long, Integer> counts = new HashMap<>();
        for (int i = 0; i < 400; i++)
        {
            counts.merge(send(table, "198.19." + (i / 200) + "." + (1 + i % 200), 40000), 1, Integer::sum);
        }
        assertThat(counts).containsEntry(heavy.mac(), 300).containsEntry(real1.mac(), 100);
    }

    @Test
    void leastConnectionSendsNewFlowsWhereTheFewestLiveFlowsPerWeightAreAsTheFlowTableCountsThem()
    {
        final RealEntry heavy = tables.real(4, "198.18.0.14", 3, 0x0200_0000_0014L);
        final VipEntry vip = tables.vip(VIP, SchedulerKind.LEAST_CONNECTION, heavy, real1);
        final ForwardingTable table = table(vip);
        final Map<Long, Integer> counts = new HashMap<>();
        for (int i = 0; i < 400; i++)
        {
            counts.merge(send(table, "198.19." + (i / 200) + "." + (1 + i % 200), 40000), 1, Integer::sum);
        }
        assertThat(counts).containsEntry(heavy.mac(), 300).containsEntry(real1.mac(), 100);
        assertThat(send(table, "198.19.0.1", 40000)).as("a known flow stays").isEqualTo(heavy.mac());

        countWholeTable(table, NOW_NS);
        assertThat(vip.leastConnection().active(0)).as("the census finds the flows placed").isEqualTo(300);
        assertThat(vip.leastConnection().active(1)).isEqualTo(100);

        countWholeTable(table, NOW_NS + PacketProcessor.TCP_IDLE_TIMEOUT_NS + 1);
        assertThat(vip.leastConnection().active(0)).as("flows that idled out are no longer counted").isZero();
        assertThat(vip.leastConnection().active(1)).isZero();
    }

    /** One census pass over the worker's flow table: a slice per call, as the worker's duty cycles do. */
    private void countWholeTable(final ForwardingTable table, final long nowNs)
    {
        for (int step = 0; step < flows.capacity() / 1024; step++)
        {
            processor.countFlows(table, nowNs);
        }
    }

    private static ForwardingTable table(final VipEntry vip)
    {
        return new ForwardingTable(new VipEntry[]{ vip }, 1);
    }

    /** Sends one SYN of the flow from {@code client}:{@code port} to the VIP; returns the MAC it was forwarded to. */
    private long send(final ForwardingTable table, final String client, final int port)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(PacketBuilder.ethernet(LOCAL_MAC, 0x0200_0000_00FEL)
            .ipv4(client, "198.18.1.1").tcp(port, 80).build());
        assertThat(processor.process(frame, 0, frame.capacity(), table, NOW_NS)).isEqualTo(PacketProcessor.FORWARD);
        return ((frame.getInt(0, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL) << 16) | (frame.getShort(4, ByteOrder.BIG_ENDIAN) & 0xFFFF);
    }
}
