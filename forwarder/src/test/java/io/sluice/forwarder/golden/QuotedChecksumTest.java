package io.sluice.forwarder.golden;

import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.dataplane.NatFlows;
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
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ICMP error about a NAT flow carries a quote of the packet it is about, and the forwarder
 * translates that quote as it translates the flow's packets. The receiver matches the error to
 * its connection by the quote, so the quote must be the packet as the receiver sent it (to the
 * real) or knows it (to the client): addresses, ports, the quoted IPv4 header's checksum and the
 * quoted TCP or UDP checksum, for both IP versions alike (IPv4's relay once left the quoted TCP/UDP
 * checksum as it was). Each error is sent with the whole packet quoted, as Linux quotes what
 * fits; the expected frames are built independently by {@link PacketBuilder}, and every checksum
 * of the output is verified from scratch as well.
 */
final class QuotedChecksumTest
{
    private static final int HEADROOM = 64;
    private static final long LOCAL_MAC = 0x0200_0000_0001L;
    private static final long CLIENT_MAC = 0x0200_0000_00FEL;
    private static final long REAL_MAC = 0x0200_0000_0011L;
    private static final int VIP_PORT_TCP = 80;
    private static final int VIP_PORT_UDP = 53;
    private static final int REAL_PORT = 8080;
    private static final int CLIENT_PORT = 40000;
    private static final int NEXT_HOP_MTU = 1400;
    private static final String CLIENT4 = "198.19.0.7";
    private static final String VIP4 = "198.18.1.1";
    private static final String REAL4 = "198.18.0.11";
    private static final String ROUTER4 = "198.19.0.254";
    private static final String CLIENT6 = "2001:2:0:9::7";
    private static final String VIP6 = "2001:2:0:1::3";
    private static final String REAL6 = "2001:2::11";
    private static final String ROUTER6 = "2001:2::fe";

    private final TestTables tables = new TestTables();
    private final FlowTable flows = new FlowTable(1024);
    private final FlowTable replies = FlowTable.withPayload(1024);
    private final WorkerCounters counters = tables.workerCounters(0);
    private final PacketProcessor worker = new PacketProcessor(0, flows, new NatFlows(replies), counters);
    private final ForwardingTable table;

    QuotedChecksumTest()
    {
        worker.localMac(LOCAL_MAC);
        final RealEntry real4 = tables.real(1, REAL4, REAL_PORT, 100, REAL_MAC);
        final RealEntry real6 = tables.real(2, REAL6, REAL_PORT, 100, REAL_MAC);
        table = new ForwardingTable(new VipEntry[]{
            tables.vip(VIP4 + ":" + VIP_PORT_TCP + "/tcp", ForwardingMode.NAT, SchedulerKind.MAGLEV, real4),
            tables.vip(VIP4 + ":" + VIP_PORT_UDP + "/udp", ForwardingMode.NAT, SchedulerKind.MAGLEV, real4),
            tables.vip("[" + VIP6 + "]:" + VIP_PORT_TCP + "/tcp", ForwardingMode.NAT, SchedulerKind.MAGLEV, real6),
            tables.vip("[" + VIP6 + "]:" + VIP_PORT_UDP + "/udp", ForwardingMode.NAT, SchedulerKind.MAGLEV, real6) }, 1);
    }

    @AfterEach
    void close()
    {
        counters.close();
        flows.close();
        replies.close();
    }

    static List<Arguments> familiesAndProtocols()
    {
        return List.of(Arguments.of("IPv4", "TCP"), Arguments.of("IPv4", "UDP"), Arguments.of("IPv6", "TCP"),
            Arguments.of("IPv6", "UDP"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("familiesAndProtocols")
    void aRoutersErrorReachesTheRealQuotingWhatTheRealSent(final String family, final String protocol)
    {
        final Case c = new Case(family, protocol);
        forward(c.packet(c.client, CLIENT_PORT, c.vip, c.vipPort).payload("request").build());

        // A router between us and the client could not deliver the VIP's reply to the client.
        final byte[] quote = c.quote(c.packet(c.vip, c.vipPort, c.client, CLIENT_PORT).payload("the reply"));
        final byte[] error = PacketBuilder.ethernet(LOCAL_MAC, CLIENT_MAC).ip(c.ipv6, c.router, c.vip)
            .icmp(c.tooBigType, c.tooBigCode, NEXT_HOP_MTU).payload(quote).build();

        final byte[] output = forward(error);

        final byte[] realSent = c.quote(c.packet(c.real, REAL_PORT, c.client, CLIENT_PORT).payload("the reply"));
        assertThat(Hex.dump(output)).isEqualTo(Hex.dump(PacketBuilder.ethernet(REAL_MAC, LOCAL_MAC).ip(c.ipv6, c.router, c.real)
            .ttl(63).icmp(c.tooBigType, c.tooBigCode, NEXT_HOP_MTU).payload(realSent).build()));
        assertChecksumsValid(output, c.ipv6);
        assertThat(worker.forwardedToClient()).isFalse();
        assertThat(counters.icmpErrorsRelayed.get()).isOne();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("familiesAndProtocols")
    void aRealsErrorReachesTheClientQuotingWhatTheClientSent(final String family, final String protocol)
    {
        final Case c = new Case(family, protocol);
        final PacketBuilder request = c.packet(c.client, CLIENT_PORT, c.vip, c.vipPort).payload("request");
        forward(request.build());

        // The real refuses the client's packet, quoting it as the real got it.
        final byte[] realGot = c.quote(c.packet(c.client, CLIENT_PORT, c.real, REAL_PORT).payload("request"));
        final byte[] error = PacketBuilder.ethernet(LOCAL_MAC, REAL_MAC).ip(c.ipv6, c.real, c.client)
            .icmp(c.unreachableType, c.portUnreachableCode, 0).payload(realGot).build();

        final byte[] output = forward(error);

        final byte[] clientSent = c.quote(request);
        assertThat(Hex.dump(output)).isEqualTo(Hex.dump(PacketBuilder.ethernet(CLIENT_MAC, LOCAL_MAC).ip(c.ipv6, c.vip, c.client)
            .ttl(63).icmp(c.unreachableType, c.portUnreachableCode, 0).payload(clientSent).build()));
        assertChecksumsValid(output, c.ipv6);
        assertThat(worker.forwardedToClient()).isTrue();
        assertThat(counters.icmpErrorsRelayed.get()).isOne();
    }

    private byte[] forward(final byte[] frame)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[HEADROOM + frame.length]);
        buffer.putBytes(HEADROOM, frame);
        assertThat(worker.process(buffer, HEADROOM, frame.length, table, 0)).isEqualTo(PacketProcessor.FORWARD);
        final int start = worker.forwardedOffset();
        return Arrays.copyOfRange(buffer.byteArray(), start, start + worker.forwardedLength());
    }

    /** The error's ICMP checksum, the quoted IPv4 header's and the quoted TCP/UDP checksum, each computed from scratch. */
    private static void assertChecksumsValid(final byte[] frame, final boolean ipv6)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final int ip = PacketConstants.ETHERNET_HEADER_LENGTH;
        final int ipHeaderLength = ipv6 ? PacketConstants.IPV6_HEADER_LENGTH : PacketConstants.IPV4_MIN_HEADER_LENGTH;
        final int icmp = ip + ipHeaderLength;
        final int icmpLength = frame.length - icmp;
        final long pseudoHeader = ipv6 ?
            Checksums.sum(buffer, ip + 8, 32, PacketConstants.IP_PROTOCOL_ICMPV6 + icmpLength) : 0;
        assertThat(Checksums.fold(Checksums.sum(buffer, icmp, icmpLength, pseudoHeader))).as("ICMP checksum").isEqualTo(0xFFFF);
        final int quoted = icmp + 8;
        if (!ipv6)
        {
            assertThat(Checksums.ipv4HeaderChecksumValid(buffer, quoted, 20)).as("quoted IPv4 header checksum").isTrue();
        }
        final byte[] quote = Arrays.copyOfRange(frame, quoted, frame.length);
        assertThat(PartialChecksumTest.transportChecksumValid(quote, 0)).as("quoted TCP/UDP checksum").isTrue();
    }

    /** One family and protocol's addresses, ports and ICMP types. */
    private static final class Case
    {
        final boolean ipv6;
        final boolean tcp;
        final String client;
        final String vip;
        final String real;
        final String router;
        final int vipPort;
        final int tooBigType;
        final int tooBigCode;
        final int unreachableType;
        final int portUnreachableCode;

        Case(final String family, final String protocol)
        {
            ipv6 = family.equals("IPv6");
            tcp = protocol.equals("TCP");
            client = ipv6 ? CLIENT6 : CLIENT4;
            vip = ipv6 ? VIP6 : VIP4;
            real = ipv6 ? REAL6 : REAL4;
            router = ipv6 ? ROUTER6 : ROUTER4;
            vipPort = tcp ? VIP_PORT_TCP : VIP_PORT_UDP;
            tooBigType = ipv6 ? 2 : 3; // "packet too big"; "destination unreachable", code "fragmentation needed"
            tooBigCode = ipv6 ? 0 : 4;
            unreachableType = ipv6 ? 1 : 3;
            portUnreachableCode = ipv6 ? 4 : 3;
        }

        /** A TCP segment (ACK with data) or UDP datagram between these addresses and ports, in a frame. */
        PacketBuilder packet(final String source, final int sourcePort, final String destination, final int destinationPort)
        {
            final PacketBuilder ip = PacketBuilder.ethernet(LOCAL_MAC, CLIENT_MAC).ip(ipv6, source, destination);
            return tcp ? ip.tcp(sourcePort, destinationPort).tcpFlags(PacketConstants.TCP_ACK).acknowledgment(77) :
                ip.udp(sourcePort, destinationPort);
        }

        /** The packet as an ICMP error quotes it: whole, from its IP header. */
        byte[] quote(final PacketBuilder packet)
        {
            final byte[] frame = packet.build();
            return Arrays.copyOfRange(frame, PacketConstants.ETHERNET_HEADER_LENGTH, frame.length);
        }
    }
}
