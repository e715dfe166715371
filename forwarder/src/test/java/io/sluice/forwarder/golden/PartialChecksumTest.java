package io.sluice.forwarder.golden;

import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.packet.Checksums;
import io.sluice.forwarder.packet.PacketConstants;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frames whose sender left the TCP/UDP checksum to "the hardware" (veth's CHECKSUM_PARTIAL: the
 * field holds only the folded pseudo-header sum), as AF_XDP hands them over with no flag: in
 * every mode, both IP versions, TCP and UDP, the forwarder must send them on finished, or every
 * real drops them. Each partial frame's output is compared byte for byte with the output of the
 * same frame sent complete (through a worker of its own), and its checksum is verified from
 * scratch; the complete frame's output must not count as finished.
 */
final class PartialChecksumTest
{
    private static final int HEADROOM = 64;
    private static final long LOCAL_MAC = 0x0200_0000_0001L;
    private static final long CLIENT_MAC = 0x0200_0000_00FEL;
    private static final long REAL_MAC = 0x0200_0000_0011L;
    private static final int REAL_PORT = 8080;
    private static final String CLIENT4 = "198.19.0.7";
    private static final String REAL4 = "198.18.0.11";
    private static final String CLIENT6 = "2001:2:0:9::7";
    private static final String REAL6 = "2001:2::11";

    private final TestTables tables = new TestTables();
    private final FlowTable completeFlows = new FlowTable(1024);
    private final FlowTable partialFlows = new FlowTable(1024);
    private final WorkerCounters completeCounters = tables.workerCounters(0);
    private final WorkerCounters partialCounters = tables.workerCounters(1);
    private final PacketProcessor complete = new PacketProcessor(0, completeFlows, completeCounters);
    private final PacketProcessor partial = new PacketProcessor(1, partialFlows, partialCounters);
    private final ForwardingTable table;

    PartialChecksumTest()
    {
        complete.localMac(LOCAL_MAC);
        partial.localMac(LOCAL_MAC);
        final List<VipEntry> vips = new ArrayList<>();
        for (final ForwardingMode mode : ForwardingMode.values())
        {
            final int port = mode == ForwardingMode.NAT ? REAL_PORT : 0;
            final RealEntry real4 = tables.real(10 + mode.ordinal(), REAL4, port, 100, REAL_MAC);
            final RealEntry real6 = tables.real(20 + mode.ordinal(), REAL6, port, 100, REAL_MAC);
            for (final String protocolPort : new String[]{ ":80/tcp", ":53/udp" })
            {
                vips.add(tables.vip(vip(false, mode) + protocolPort, mode, SchedulerKind.MAGLEV, real4));
                if (mode != ForwardingMode.GUE)
                {
                    vips.add(tables.vip("[" + vip(true, mode) + "]" + protocolPort, mode, SchedulerKind.MAGLEV, real6));
                }
            }
        }
        table = new ForwardingTable(vips.toArray(new VipEntry[0]), 1);
    }

    @AfterEach
    void close()
    {
        completeCounters.close();
        partialCounters.close();
        completeFlows.close();
        partialFlows.close();
    }

    static List<Arguments> familiesProtocolsAndModes()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final boolean ipv6 : new boolean[]{ false, true })
        {
            for (final int protocol : new int[]{ PacketConstants.IP_PROTOCOL_TCP, PacketConstants.IP_PROTOCOL_UDP })
            {
                for (final ForwardingMode mode : ForwardingMode.values())
                {
                    if (ipv6 && mode == ForwardingMode.GUE)
                    {
                        continue; // gue is IPv4 only
                    }
                    cases.add(Arguments.of(ipv6 ? "IPv6" : "IPv4", protocol == PacketConstants.IP_PROTOCOL_TCP ? "TCP" : "UDP", mode));
                }
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("familiesProtocolsAndModes")
    void aPartialChecksumLeavesFinishedAsTheCompleteFrameLeaves(final String family, final String protocol, final ForwardingMode mode)
    {
        final boolean ipv6 = family.equals("IPv6");
        final boolean tcp = protocol.equals("TCP");
        final String client = ipv6 ? CLIENT6 : CLIENT4;
        final PacketBuilder request = l4(PacketBuilder.ethernet(LOCAL_MAC, CLIENT_MAC), ipv6, client, vip(ipv6, mode), tcp, false)
            .payload("GET / HTTP/1.1\r\nHost: vip\r\n\r\n");

        final byte[] output = forwardBoth(request, 1);
        final int outerLength = mode == ForwardingMode.TUNNEL ? (ipv6 ? 40 : 20) : mode == ForwardingMode.GUE ? 36 : 0;
        assertThat(transportChecksumValid(output, PacketConstants.ETHERNET_HEADER_LENGTH + outerLength))
            .as("the output's checksum, recomputed").isTrue();

        if (mode == ForwardingMode.NAT)
        {
            final PacketBuilder reply = l4(PacketBuilder.ethernet(LOCAL_MAC, REAL_MAC), ipv6, ipv6 ? REAL6 : REAL4, client, tcp, true)
                .payload("HTTP/1.1 200 OK\r\n\r\n");
            final byte[] translated = forwardBoth(reply, 2);
            assertThat(complete.forwardedToClient()).isTrue();
            assertThat(transportChecksumValid(translated, PacketConstants.ETHERNET_HEADER_LENGTH))
                .as("the reply's checksum, recomputed").isTrue();
        }
    }

    /**
     * Forwards {@code packet} sent complete by one worker and sent partial by the other, asserts
     * both outputs are the same bytes and only the partial one was counted as finished.
     *
     * @return the output frame.
     */
    private byte[] forwardBoth(final PacketBuilder packet, final long partialsFinished)
    {
        final byte[] completeInput = packet.copy().partialChecksum(false).build();
        final byte[] partialInput = packet.copy().partialChecksum(true).build();
        assertThat(partialInput).as("the partial input differs from the complete one").isNotEqualTo(completeInput);

        final byte[] fromComplete = forward(complete, completeInput);
        final byte[] fromPartial = forward(partial, partialInput);

        assertThat(Hex.dump(fromPartial)).as("a partial frame leaves as the complete one does").isEqualTo(Hex.dump(fromComplete));
        assertThat(partialCounters.partialChecksumsFinished.get()).isEqualTo(partialsFinished);
        assertThat(completeCounters.partialChecksumsFinished.get()).as("a complete frame is not counted").isZero();
        return fromPartial;
    }

    private byte[] forward(final PacketProcessor processor, final byte[] frame)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[HEADROOM + frame.length + 64]);
        buffer.putBytes(HEADROOM, frame);
        assertThat(processor.process(buffer, HEADROOM, frame.length, table, 0)).isEqualTo(PacketProcessor.FORWARD);
        final int start = processor.forwardedOffset();
        return Arrays.copyOfRange(buffer.byteArray(), start, start + processor.forwardedLength());
    }

    private static String vip(final boolean ipv6, final ForwardingMode mode)
    {
        return ipv6 ? "2001:2:0:1::" + (mode.ordinal() + 1) : "198.18.1." + (mode.ordinal() + 1);
    }

    /** TCP (an ACK with data) or UDP from {@code source} to {@code destination}: to the VIP's port, or from the NAT real's. */
    private static PacketBuilder l4(
        final PacketBuilder ethernet, final boolean ipv6, final String source, final String destination, final boolean tcp,
        final boolean fromReal)
    {
        final PacketBuilder ip = ipv6 ? ethernet.ipv6(source, destination) : ethernet.ipv4(source, destination);
        final int clientPort = 40000;
        if (tcp)
        {
            return (fromReal ? ip.tcp(REAL_PORT, clientPort) : ip.tcp(clientPort, 80))
                .tcpFlags(PacketConstants.TCP_ACK | PacketConstants.TCP_PSH).acknowledgment(77);
        }
        return fromReal ? ip.udp(REAL_PORT, clientPort) : ip.udp(clientPort, 53);
    }

    /**
     * Whether the TCP or UDP segment of the IPv4 or IPv6 packet at {@code ipOffset} sums, with its
     * pseudo-header, to all ones: its checksum computed from scratch, independently of the
     * forwarder's code.
     */
    static boolean transportChecksumValid(final byte[] frame, final int ipOffset)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final boolean ipv6 = (buffer.getByte(ipOffset) & 0xF0) == 0x60;
        final int headerLength = ipv6 ? PacketConstants.IPV6_HEADER_LENGTH : (buffer.getByte(ipOffset) & 0x0F) * 4;
        final int l4Length = ipv6 ? buffer.getShort(ipOffset + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF :
            (buffer.getShort(ipOffset + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF) - headerLength;
        final int protocol = buffer.getByte(ipOffset + (ipv6 ? 6 : 9)) & 0xFF;
        final long addresses = ipv6 ? Checksums.sum(buffer, ipOffset + 8, 32, 0) : Checksums.sum(buffer, ipOffset + 12, 8, 0);
        return Checksums.fold(Checksums.sum(buffer, ipOffset + headerLength, l4Length, addresses + protocol + l4Length)) == 0xFFFF;
    }
}
