package io.sluice.forwarder.golden;

import io.sluice.forwarder.config.Ipv4;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.dataplane.DropReason;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.packet.Checksums;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.Arrays;

import static io.sluice.forwarder.golden.TunnelTest.CLIENT_MAC;
import static io.sluice.forwarder.golden.TunnelTest.HEADROOM;
import static io.sluice.forwarder.golden.TunnelTest.LOCAL_MAC;
import static io.sluice.forwarder.golden.TunnelTest.VIP;
import static io.sluice.forwarder.golden.TunnelTest.syn;
import static io.sluice.forwarder.golden.TunnelTest.withHeadroom;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * gue mode: the client's packet inside outer IPv4, UDP to port 6080 and a GUE header whose private
 * words carry the flow's second real (second chance), byte for byte as the real's decap reads them.
 */
final class GueTest
{
    private static final int TUNNEL_PREFIX = Ipv4.parse("198.19.128.0");

    private final TestTables tables = new TestTables();
    private final FlowTable flows = new FlowTable(1024);
    private final WorkerCounters counters = tables.workerCounters(0);
    private final PacketProcessor processor = processor(flows, counters);
    private final RealEntry real1 = tables.real(1, "198.18.0.11", 0x0200_0000_0011L);
    private final RealEntry real2 = tables.real(2, "198.18.0.12", 0x0200_0000_0012L);
    private final RealEntry real3 = tables.real(3, "198.18.0.13", 0x0200_0000_0013L);

    @AfterEach
    void close()
    {
        counters.close();
        flows.close();
    }

    @Test
    void withSecondChanceThePacketNamesTheOtherRealAsItsOneHop()
    {
        final ForwardingTable table = table(tables.gueVip(VIP + ":80/tcp", true, real1, real2));
        for (final PacketBuilder packet : new PacketBuilder[]{ syn(40000), syn(40001).vlan(100) })
        {
            final byte[] original = packet.build();
            final UnsafeBuffer buffer = withHeadroom(original);
            assertThat(processor.process(buffer, HEADROOM, original.length, table, 0)).isEqualTo(PacketProcessor.FORWARD);
            assertThat(processor.forwardedOffset()).isEqualTo(HEADROOM - 40);
            assertThat(processor.forwardedLength()).isEqualTo(original.length + 40);

            final int ethernetLength = original.length - 40;
            final RealEntry primary = realByMac(buffer, processor.forwardedOffset());
            final RealEntry secondary = primary == real1 ? real2 : real1;
            assertFrame(buffer, original, ethernetLength, primary, new byte[]{
                0x02, 0x04, 0x00, 0x00,                                    // GUE: version 0, hlen 2; IPv4 inside; flags 0
                0x53, 0x43, 0x00, 0x01 }, secondary);                      // "SC", next_hop 0, hop_count 1
        }
    }

    @Test
    void withoutSecondChanceTheHopListIsEmpty()
    {
        final ForwardingTable table = table(tables.gueVip(VIP + ":80/tcp", false, real1, real2));
        final byte[] original = syn(40000).build();
        final UnsafeBuffer buffer = withHeadroom(original);

        assertThat(processor.process(buffer, HEADROOM, original.length, table, 0)).isEqualTo(PacketProcessor.FORWARD);

        assertThat(processor.forwardedOffset()).isEqualTo(HEADROOM - 36);
        assertThat(processor.forwardedLength()).isEqualTo(original.length + 36);
        assertFrame(buffer, original, 14, realByMac(buffer, processor.forwardedOffset()), new byte[]{
            0x01, 0x04, 0x00, 0x00,
            0x53, 0x43, 0x00, 0x00 }, null);
    }

    @Test
    void aVipWithOneRealHasNoSecondToName()
    {
        final ForwardingTable table = table(tables.gueVip(VIP + ":80/tcp", true, real1));
        final byte[] original = syn(40000).build();
        final UnsafeBuffer buffer = withHeadroom(original);

        assertThat(processor.process(buffer, HEADROOM, original.length, table, 0)).isEqualTo(PacketProcessor.FORWARD);

        assertThat(processor.forwardedLength()).isEqualTo(original.length + 36);
        assertFrame(buffer, original, 14, real1, new byte[]{
            0x01, 0x04, 0x00, 0x00,
            0x53, 0x43, 0x00, 0x00 }, null);
    }

    @Test
    void theGuePortIsTheOneTheRealsListenOn()
    {
        final ForwardingTable table = table(tables.gueVip(VIP + ":80/tcp", false, real1));
        processor.guePort(7000);
        final byte[] original = syn(40000).build();
        final UnsafeBuffer buffer = withHeadroom(original);

        assertThat(processor.process(buffer, HEADROOM, original.length, table, 0)).isEqualTo(PacketProcessor.FORWARD);

        assertThat(buffer.getShort(processor.forwardedOffset() + 14 + 20 + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF).isEqualTo(7000);
    }

    @Test
    void aRowThatMovedToANewRealNamesItsOldOwnerAndARememberedFlowKeepsItsPair()
    {
        final VipEntry twoReals = tables.gueVip(VIP + ":80/tcp", true, real1, real2);
        final VipEntry threeReals = TestTables.withReals(twoReals, real1, real2, real3);
        // Another forwarder that never saw the flow: it places it by the new table alone.
        try (FlowTable otherFlows = new FlowTable(1024); WorkerCounters otherCounters = tables.workerCounters(1))
        {
            final PacketProcessor other = processor(otherFlows, otherCounters);
            int port = 40000;
            int[] elsewhere;
            do
            {
                elsewhere = sendTo(other, ++port, table(threeReals));
            }
            while (elsewhere[0] != real3.ipv4());

            final int[] before = sendTo(processor, port, table(twoReals));
            assertThat(elsewhere[1]).as("the moved row's secondary is the real that owned it").isEqualTo(before[0]);

            final int[] after = sendTo(processor, port, table(threeReals));
            assertThat(after).as("the flow keeps its real and its secondary").containsExactly(before[0], before[1]);
        }
    }

    @Test
    void aDfPacketThatWouldNotFitOnceEncapsulatedGetsFragmentationNeeded()
    {
        final ForwardingTable table = table(tables.gueVip(VIP + ":80/tcp", true, real1, real2));
        final byte[] original = syn(40000).payload(new byte[1500 - 40]).build();
        final UnsafeBuffer buffer = withHeadroom(original);

        assertThat(processor.process(buffer, HEADROOM, original.length, table, 0)).isEqualTo(PacketProcessor.FORWARD);

        assertThat(processor.forwardedOffset()).isEqualTo(HEADROOM);
        final int ip = HEADROOM + 14;
        assertThat(buffer.getLong(HEADROOM, ByteOrder.BIG_ENDIAN) >>> 16).as("back to the client's MAC").isEqualTo(CLIENT_MAC);
        assertThat(buffer.getByte(ip + 20) & 0xFF).isEqualTo(3);
        assertThat(buffer.getByte(ip + 21) & 0xFF).isEqualTo(4);
        assertThat(buffer.getShort(ip + 26, ByteOrder.BIG_ENDIAN) & 0xFFFF).as("next-hop MTU: 1500 less 40").isEqualTo(1460);
        assertThat(counters.icmpTooBigSent.get()).isOne();

        final byte[] noDf = syn(40001).noFlags().payload(new byte[1500 - 40]).build();
        assertThat(processor.process(withHeadroom(noDf), HEADROOM, noDf.length, table, 0)).isEqualTo(DropReason.TOO_BIG.code());
    }

    /**
     * Checks the outer headers byte for byte: Ethernet to the primary's MAC (tags as they came),
     * IPv4 from the tunnel prefix with the flow's host bits to the primary (UDP, DF, TTL 64, valid
     * checksum), UDP from 0xC000 and the flow hash's low 14 bits (those of the outer source too)
     * to 6080 with checksum 0, the GUE header and private word as given, the hop, then the
     * client's packet one hop older.
     */
    private static void assertFrame(final UnsafeBuffer buffer, final byte[] original, final int ethernetLength,
        final RealEntry primary, final byte[] gue, final RealEntry hop)
    {
        final int hopBytes = hop == null ? 0 : 4;
        final int growth = 36 + hopBytes;
        final int innerLength = original.length - ethernetLength;
        final int start = HEADROOM - growth;
        final byte[] frame = Arrays.copyOfRange(buffer.byteArray(), start, start + original.length + growth);

        assertThat(buffer.getLong(start, ByteOrder.BIG_ENDIAN) >>> 16).isEqualTo(primary.mac());
        assertThat(buffer.getLong(start + 6, ByteOrder.BIG_ENDIAN) >>> 16).isEqualTo(LOCAL_MAC);
        assertThat(Arrays.copyOfRange(frame, 12, ethernetLength)).as("tags and EtherType as they came")
            .isEqualTo(Arrays.copyOfRange(original, 12, ethernetLength));

        final int outer = start + ethernetLength;
        final int source = buffer.getInt(outer + 12, ByteOrder.BIG_ENDIAN);
        assertThat(source >>> 15).as("outer source in 198.19.128.0/17").isEqualTo(TUNNEL_PREFIX >>> 15);
        final int udpSource = 0xC000 | (source & 0x3FFF);
        final int udpLength = innerLength + growth - 20;
        final byte[] expected = new byte[20 + 8 + gue.length + hopBytes];
        final UnsafeBuffer headers = new UnsafeBuffer(expected);
        headers.putInt(0, 0x4500_0000 | (innerLength + growth), ByteOrder.BIG_ENDIAN);
        headers.putInt(4, 0x0000_4000, ByteOrder.BIG_ENDIAN);
        headers.putInt(8, 0x4011_0000 | (buffer.getShort(outer + 10, ByteOrder.BIG_ENDIAN) & 0xFFFF), ByteOrder.BIG_ENDIAN);
        headers.putInt(12, source, ByteOrder.BIG_ENDIAN);
        headers.putInt(16, primary.ipv4(), ByteOrder.BIG_ENDIAN);
        headers.putInt(20, (udpSource << 16) | 6080, ByteOrder.BIG_ENDIAN);
        headers.putInt(24, udpLength << 16, ByteOrder.BIG_ENDIAN);
        headers.putBytes(28, gue);
        if (hop != null)
        {
            headers.putInt(28 + gue.length, hop.ipv4(), ByteOrder.BIG_ENDIAN);
        }
        assertThat(Arrays.copyOfRange(frame, ethernetLength, ethernetLength + expected.length)).isEqualTo(expected);
        assertThat(Checksums.ipv4HeaderChecksumValid(buffer, outer, 20)).isTrue();

        final int inner = ethernetLength + expected.length;
        assertThat(frame[inner + 8] & 0xFF).as("inner TTL, one hop less").isEqualTo((original[ethernetLength + 8] & 0xFF) - 1);
        assertThat(Checksums.ipv4HeaderChecksumValid(buffer, start + inner, 20)).isTrue();
        assertThat(Arrays.copyOfRange(frame, inner + 12, frame.length)).as("addresses, TCP header and payload untouched")
            .isEqualTo(Arrays.copyOfRange(original, ethernetLength + 12, original.length));
    }

    /** @return the outer destination and the hop (0 for none) of a SYN from this port. */
    private static int[] sendTo(final PacketProcessor processor, final int port, final ForwardingTable table)
    {
        final byte[] original = syn(port).build();
        final UnsafeBuffer buffer = withHeadroom(original);
        assertThat(processor.process(buffer, HEADROOM, original.length, table, 0)).isEqualTo(PacketProcessor.FORWARD);
        final int outer = processor.forwardedOffset() + 14;
        final int hopCount = buffer.getByte(outer + 20 + 8 + 7);
        return new int[]{ buffer.getInt(outer + 16, ByteOrder.BIG_ENDIAN),
            hopCount == 0 ? 0 : buffer.getInt(outer + 20 + 8 + 8, ByteOrder.BIG_ENDIAN) };
    }

    private RealEntry realByMac(final UnsafeBuffer buffer, final int start)
    {
        final long mac = buffer.getLong(start, ByteOrder.BIG_ENDIAN) >>> 16;
        return mac == real1.mac() ? real1 : mac == real2.mac() ? real2 : real3;
    }

    private static PacketProcessor processor(final FlowTable flows, final WorkerCounters counters)
    {
        final PacketProcessor processor = new PacketProcessor(0, flows, counters);
        processor.localMac(LOCAL_MAC);
        processor.tunnelSource(TUNNEL_PREFIX, 17);
        return processor;
    }

    private static ForwardingTable table(final VipEntry vip)
    {
        return new ForwardingTable(new VipEntry[]{ vip }, 1);
    }
}
