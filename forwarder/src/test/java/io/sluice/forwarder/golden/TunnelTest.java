package io.sluice.forwarder.golden;

import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.Ipv4;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.config.VipSpec;
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

import static org.assertj.core.api.Assertions.assertThat;

/** Tunnel mode: IPv4-in-IPv4 to the real, the client's packet inside as it came; "fragmentation needed" when it would not fit. */
final class TunnelTest
{
    // The frames and buffers of the encapsulating modes' tests: GueTest's too.
    static final long LOCAL_MAC = 0x0200_0000_0001L;
    static final long CLIENT_MAC = 0x0200_0000_00FEL;
    static final String CLIENT = "198.19.0.7";
    static final String VIP = "198.18.1.1";
    static final int HEADROOM = 64;

    private final TestTables tables = new TestTables();
    private final FlowTable flows = new FlowTable(1024);
    private final WorkerCounters counters = tables.workerCounters(0);
    private final PacketProcessor processor = new PacketProcessor(0, flows, counters);
    private final RealEntry real1 = tables.real(1, "198.18.0.11", 0x0200_0000_0011L);
    private final RealEntry real2 = tables.real(2, "198.18.0.12", 0x0200_0000_0012L);
    private final ForwardingTable table;

    TunnelTest()
    {
        processor.localMac(LOCAL_MAC);
        processor.tunnelSource(Ipv4.parse("198.19.128.0"), 17);
        final VipEntry maglev = tables.vip(VIP + ":80/tcp", real1, real2);
        table = new ForwardingTable(new VipEntry[]{ new VipEntry(
            new VipSpec(VipKey.parse(VIP + ":80/tcp"), ForwardingMode.TUNNEL, SchedulerKind.MAGLEV),
            maglev.reals(), maglev.maglev(), maglev.packetsByWorker(), maglev.bytesByWorker()) }, 1);
    }

    @AfterEach
    void close()
    {
        counters.close();
        flows.close();
    }

    @Test
    void thePacketGoesInsideAnOuterHeaderToItsReal()
    {
        for (final PacketBuilder packet : new PacketBuilder[]{ syn(40000), syn(40000).vlan(100) })
        {
            final byte[] original = packet.build();
            final UnsafeBuffer buffer = withHeadroom(original);
            assertThat(processor.process(buffer, HEADROOM, original.length, table, 0)).isEqualTo(PacketProcessor.FORWARD);
            assertThat(processor.forwardedOffset()).isEqualTo(HEADROOM - 20);
            assertThat(processor.forwardedLength()).isEqualTo(original.length + 20);

            final int start = processor.forwardedOffset();
            final int ethernetLength = original.length - 40; // a TCP SYN: 20 IPv4 + 20 TCP after the Ethernet header
            final long mac = buffer.getLong(start, ByteOrder.BIG_ENDIAN) >>> 16;
            assertThat(mac).isIn(real1.mac(), real2.mac());
            assertThat(buffer.getLong(start + 6, ByteOrder.BIG_ENDIAN) >>> 16).isEqualTo(LOCAL_MAC);
            assertThat(Arrays.copyOfRange(buffer.byteArray(), start + 12, start + ethernetLength))
                .as("tags and EtherType as they came").isEqualTo(Arrays.copyOfRange(original, 12, ethernetLength));
            final int outer = start + ethernetLength;
            assertThat(buffer.getByte(outer) & 0xFF).isEqualTo(0x45);
            assertThat(buffer.getShort(outer + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF).isEqualTo(60);
            assertThat(buffer.getShort(outer + 6, ByteOrder.BIG_ENDIAN) & 0xFFFF).as("DF copied").isEqualTo(0x4000);
            assertThat(buffer.getByte(outer + 8) & 0xFF).isEqualTo(64);
            assertThat(buffer.getByte(outer + 9) & 0xFF).as("IPv4-in-IPv4").isEqualTo(4);
            assertThat(buffer.getInt(outer + 12, ByteOrder.BIG_ENDIAN) >>> 15).as("source in 198.19.128.0/17")
                .isEqualTo(Ipv4.parse("198.19.128.0") >>> 15);
            assertThat(buffer.getInt(outer + 16, ByteOrder.BIG_ENDIAN))
                .isEqualTo(mac == real1.mac() ? real1.ipv4() : real2.ipv4());
            assertThat(Checksums.ipv4HeaderChecksumValid(buffer, outer, 20)).isTrue();
            final int inner = outer + 20;
            assertThat(buffer.getByte(inner + 8) & 0xFF).as("inner TTL, one hop less").isEqualTo((original[ethernetLength + 8] & 0xFF) - 1);
            assertThat(Checksums.ipv4HeaderChecksumValid(buffer, inner, 20)).isTrue();
            assertThat(Arrays.copyOfRange(buffer.byteArray(), inner + 12, inner + 40))
                .as("addresses and TCP header untouched").isEqualTo(Arrays.copyOfRange(original, ethernetLength + 12, ethernetLength + 40));
        }
    }

    @Test
    void aFlowKeepsItsOuterSourceAndFlowsSpreadOverSources()
    {
        final java.util.Set<Integer> sources = new java.util.HashSet<>();
        for (int port = 0; port < 50; port++)
        {
            final int first = outerSource(40000 + port);
            assertThat(outerSource(40000 + port)).isEqualTo(first);
            sources.add(first);
        }
        assertThat(sources.size()).as("distinct outer sources of 50 flows").isGreaterThan(40);
    }

    @Test
    void aDfPacketThatWouldNotFitGetsFragmentationNeeded()
    {
        final byte[] original = syn(40000).payload(new byte[1500 - 40]).build(); // 1500 bytes of IPv4: 1520 encapsulated
        final UnsafeBuffer buffer = withHeadroom(original);

        assertThat(processor.process(buffer, HEADROOM, original.length, table, 0)).isEqualTo(PacketProcessor.FORWARD);

        assertThat(processor.forwardedOffset()).isEqualTo(HEADROOM);
        assertThat(processor.forwardedLength()).isEqualTo(14 + 20 + 8 + 28);
        final int ip = HEADROOM + 14;
        assertThat(buffer.getLong(HEADROOM, ByteOrder.BIG_ENDIAN) >>> 16).as("back to the client's MAC").isEqualTo(CLIENT_MAC);
        assertThat(buffer.getInt(ip + 12, ByteOrder.BIG_ENDIAN)).as("from the VIP").isEqualTo(Ipv4.parse(VIP));
        assertThat(buffer.getInt(ip + 16, ByteOrder.BIG_ENDIAN)).isEqualTo(Ipv4.parse(CLIENT));
        assertThat(Checksums.ipv4HeaderChecksumValid(buffer, ip, 20)).isTrue();
        assertThat(buffer.getByte(ip + 20) & 0xFF).isEqualTo(3);
        assertThat(buffer.getByte(ip + 21) & 0xFF).isEqualTo(4);
        assertThat(buffer.getShort(ip + 26, ByteOrder.BIG_ENDIAN) & 0xFFFF).as("next-hop MTU").isEqualTo(1480);
        assertThat(Checksums.fold(Checksums.sum(buffer, ip + 20, 36, 0))).as("ICMP checksum").isEqualTo(0xFFFF);
        assertThat(Arrays.copyOfRange(buffer.byteArray(), ip + 28, ip + 56)).as("quotes the client's header and 8 bytes")
            .isEqualTo(Arrays.copyOfRange(original, 14, 42));
        assertThat(counters.icmpTooBigSent.get()).isOne();

        final byte[] noDf = syn(40001).noFlags().payload(new byte[1500 - 40]).build();
        assertThat(processor.process(withHeadroom(noDf), HEADROOM, noDf.length, table, 0)).isEqualTo(DropReason.TOO_BIG.code());
    }

    private int outerSource(final int port)
    {
        final byte[] original = syn(port).build();
        final UnsafeBuffer buffer = withHeadroom(original);
        assertThat(processor.process(buffer, HEADROOM, original.length, table, 0)).isEqualTo(PacketProcessor.FORWARD);
        return buffer.getInt(processor.forwardedOffset() + 14 + 12, ByteOrder.BIG_ENDIAN);
    }

    static PacketBuilder syn(final int port)
    {
        return PacketBuilder.ethernet(LOCAL_MAC, CLIENT_MAC).ipv4(CLIENT, VIP).tcp(port, 80);
    }

    static UnsafeBuffer withHeadroom(final byte[] frame)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[HEADROOM + frame.length]);
        buffer.putBytes(HEADROOM, frame);
        return buffer;
    }
}
