package io.sluice.forwarder.golden;

import io.sluice.forwarder.config.Ipv4;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.dataplane.DropReason;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.packet.Checksums;
import io.sluice.forwarder.packet.PacketConstants;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.sluice.forwarder.packet.PacketConstants.TCP_ACK;
import static io.sluice.forwarder.packet.PacketConstants.TCP_PSH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden packet tests in the style of Katran's: a table of {description, input frame, expected
 * output frame or drop reason}, each run through the {@link PacketProcessor} against one
 * forwarding table, the output compared byte for byte.
 *
 * <p>The expected frames are built independently of the processor: by {@link PacketBuilder},
 * which computes every checksum from scratch (so a matching frame proves the incremental
 * checksum update), and for two cases as literal bytes produced by scapy.
 */
final class GoldenPacketTest
{
    static final long LOCAL_MAC = 0x0200_0000_0001L;
    static final long CLIENT_ROUTER_MAC = 0x0200_0000_00FEL;
    static final long REAL_TCP_MAC = 0x0200_0000_0011L;
    static final long REAL_UDP_MAC = 0x0200_0000_0012L;
    static final String CLIENT = "198.19.0.1";
    static final String VIP = "198.18.1.1";
    static final String VIP_WITHOUT_REALS = "198.18.1.2";
    static final String VIP_UNRESOLVED = "198.18.1.3";
    static final String VIP_THREE_REALS = "198.18.1.4";
    static final int WORKER = 1;
    /** Odd on purpose: frames in a ring start wherever the kernel puts them. */
    static final int FRAME_OFFSET = 37;
    static final byte SENTINEL = 0x5A;
    static final long NOW_NS = 1_000_000_000L;

    private static final TestTables TABLES = new TestTables();
    private static ForwardingTable table;
    private static VipEntry vipTcp;
    private static VipEntry vipUdp;
    private static RealEntry realTcp;
    private static RealEntry realUdp;

    @BeforeAll
    static void buildTable()
    {
        realTcp = TABLES.real(1, "198.18.0.11", REAL_TCP_MAC);
        realUdp = TABLES.real(2, "198.18.0.12", REAL_UDP_MAC);
        vipTcp = TABLES.vip(VIP + ":80/tcp", realTcp);
        vipUdp = TABLES.vip(VIP + ":53/udp", realUdp);
        table = new ForwardingTable(new VipEntry[]{
            vipTcp,
            vipUdp,
            TABLES.vip(VIP_WITHOUT_REALS + ":80/tcp"),
            TABLES.vip(VIP_UNRESOLVED + ":80/tcp", TABLES.real(3, "198.18.0.13", RealEntry.NO_MAC)),
            TABLES.vip(VIP_THREE_REALS + ":443/tcp",
                TABLES.real(21, "198.18.0.21", 0x0200_0000_0021L),
                TABLES.real(22, "198.18.0.22", 0x0200_0000_0022L),
                TABLES.real(23, "198.18.0.23", 0x0200_0000_0023L)),
        }, 1);
    }

    /** @param partialChecksumFinished whether the forwarder must finish (and count) the input's TCP/UDP checksum. */
    record GoldenCase(String description, byte[] input, byte[] expectedOutput, DropReason expectedDrop, boolean partialChecksumFinished)
    {
        @Override
        public String toString()
        {
            return description;
        }
    }

    static List<GoldenCase> cases()
    {
        final List<GoldenCase> cases = new ArrayList<>();

        // Forwarded: MACs rewritten, TTL - 1, checksum patched; everything else untouched.
        cases.add(forward("TCP SYN, untagged, DF set", tcpToVip(), REAL_TCP_MAC));
        cases.add(forward("TCP data with payload", tcpToVip().tcpFlags(TCP_ACK | TCP_PSH).acknowledgment(77).payload("GET / HTTP/1.1\r\n\r\n"),
            REAL_TCP_MAC));
        cases.add(forward("UDP, untagged", udpToVip(), REAL_UDP_MAC));
        cases.add(forward("TCP, 802.1Q tag kept", tcpToVip().vlan(100), REAL_TCP_MAC));
        cases.add(forward("UDP, 802.1Q tag kept", udpToVip().vlan(4094), REAL_UDP_MAC));
        cases.add(forward("TCP, QinQ 0x88a8 + 0x8100 kept", tcpToVip().qinq(10, 20), REAL_TCP_MAC));
        cases.add(forward("UDP, QinQ 0x88a8 + 0x8100 kept", udpToVip().qinq(10, 20), REAL_UDP_MAC));
        cases.add(forward("TCP, double 0x8100 tags kept", tcpToVip().vlan(10).vlan(20), REAL_TCP_MAC));
        cases.add(forward("TCP, single 802.1ad service tag kept", tcpToVip().tag(PacketConstants.ETHER_TYPE_QINQ, 30), REAL_TCP_MAC));
        cases.add(forward("UDP, Ethernet padding after a short packet kept", udpToVip().payload("x").padTo(60), REAL_UDP_MAC));
        cases.add(forward("TTL 2 forwarded with TTL 1", tcpToVip().ttl(2), REAL_TCP_MAC));
        cases.add(forward("TTL 255 forwarded with TTL 254", tcpToVip().ttl(255), REAL_TCP_MAC));
        cases.add(forward("no flags at all", udpToVip().noFlags(), REAL_UDP_MAC));
        cases.add(forward("TOS/DSCP kept", tcpToVip().tos(0xB8), REAL_TCP_MAC));
        cases.add(forward("checksum edge: rewritten header checksums to 0x0000",
            tcpToVip().identification(identificationGivingOutputChecksum(0x0000)), REAL_TCP_MAC));
        cases.add(forward("checksum edge: input header checksum 0x0000",
            tcpToVip().identification(identificationGivingInputChecksum(0x0000)), REAL_TCP_MAC));
        cases.add(new GoldenCase("literal scapy TCP SYN",
            Hex.parse("0200000000010200000000fe0800450000281234400040069b74c6130001c61201019c40005001020304000000005002faf087330000"),
            Hex.parse("020000000011020000000001080045000028123440003f069c74c6130001c61201019c40005001020304000000005002faf087330000"),
            null, false));
        cases.add(new GoldenCase("literal scapy UDP",
            Hex.parse("0200000000010200000000fe0800450000221234400040119b6fc6130001c612010114e90035000e1151736c75696365"),
            Hex.parse("020000000012020000000001080045000022123440003f119c6fc6130001c612010114e90035000e1151736c75696365"),
            null, false));
        // A sender that leaves the checksum to the hardware (veth: containers) sends the field
        // holding only the pseudo-header sum; the real drops such a frame unless it is finished.
        cases.add(forward("TCP data, partial checksum (veth sender) finished",
            tcpToVip().tcpFlags(TCP_ACK | TCP_PSH).acknowledgment(77).payload("GET / HTTP/1.1\r\n\r\n").partialChecksum(true),
            REAL_TCP_MAC));
        cases.add(forward("TCP SYN in an 802.1Q tag, partial checksum finished", tcpToVip().vlan(100).partialChecksum(true), REAL_TCP_MAC));
        cases.add(forward("UDP, partial checksum finished", udpToVip().partialChecksum(true), REAL_UDP_MAC));
        cases.add(forward("UDP with an odd payload, partial checksum finished", udpToVip().payload("odd").partialChecksum(true),
            REAL_UDP_MAC));
        final PacketBuilder lookalike = tcpToVip().sequence(sequenceGivingChecksumEqualToPseudoHeaderSum());
        cases.add(new GoldenCase("complete checksum equal to the pseudo-header sum: finishing gives it again",
            lookalike.build(), expectedFor(lookalike, REAL_TCP_MAC), null, true));
        // Pinned Maglev choices: the same flow must reach the same real in every forwarder and
        // every release, or ECMP changes and upgrades would move established flows.
        cases.add(forward("three reals: client 198.19.0.1:40000 pinned to .22",
            tcp(CLIENT, 40000, VIP_THREE_REALS, 443), 0x0200_0000_0022L));
        cases.add(forward("three reals: client 198.19.0.2:40000 pinned to .23",
            tcp("198.19.0.2", 40000, VIP_THREE_REALS, 443), 0x0200_0000_0023L));
        cases.add(forward("three reals: client 198.19.0.4:40000 pinned to .21",
            tcp("198.19.0.4", 40000, VIP_THREE_REALS, 443), 0x0200_0000_0021L));

        // Ethernet.
        cases.add(drop("ARP", arp(), DropReason.NOT_IP));
        cases.add(drop("ARP in an 802.1Q tag", PacketBuilder.ethernet(LOCAL_MAC, CLIENT_ROUTER_MAC).vlan(5)
            .etherType(PacketConstants.ETHER_TYPE_ARP).payload(new byte[28]).build(), DropReason.NOT_IP));
        cases.add(drop("IPv6 EtherType, version 0", PacketBuilder.ethernet(LOCAL_MAC, CLIENT_ROUTER_MAC)
            .etherType(PacketConstants.ETHER_TYPE_IPV6).payload(new byte[60]).build(), DropReason.BAD_IPV6_HEADER));
        cases.add(drop("three VLAN tags", tcpToVip().qinq(1, 2).vlan(3).build(), DropReason.NOT_IP));
        cases.add(drop("truncated Ethernet: 13 bytes", tcpToVip().buildTruncated(13), DropReason.TRUNCATED));
        cases.add(drop("empty frame", new byte[0], DropReason.TRUNCATED));
        cases.add(drop("truncated in the 802.1Q tag", tcpToVip().vlan(7).buildTruncated(16), DropReason.TRUNCATED));
        cases.add(drop("truncated in the inner QinQ tag", tcpToVip().qinq(7, 8).buildTruncated(20), DropReason.TRUNCATED));

        // IPv4 header.
        cases.add(drop("truncated IPv4: Ethernet header only", tcpToVip().buildTruncated(14), DropReason.TRUNCATED));
        cases.add(drop("truncated IPv4: 19 of 20 header bytes", tcpToVip().buildTruncated(14 + 19), DropReason.TRUNCATED));
        cases.add(drop("truncated IPv4 behind a VLAN tag", tcpToVip().vlan(9).buildTruncated(18 + 19), DropReason.TRUNCATED));
        cases.add(drop("IHL 4", tcpToVip().ihl(4).build(), DropReason.BAD_IPV4_HEADER));
        cases.add(drop("IHL 0", tcpToVip().ihl(0).build(), DropReason.BAD_IPV4_HEADER));
        cases.add(drop("version 6 in an IPv4 frame", tcpToVip().version(6).build(), DropReason.BAD_IPV4_HEADER));
        cases.add(drop("total length beyond the frame", tcpToVip().totalLength(41).build(), DropReason.BAD_IPV4_HEADER));
        cases.add(drop("frame cut inside TCP, total length says more", tcpToVip().buildTruncated(14 + 20 + 10),
            DropReason.BAD_IPV4_HEADER));
        cases.add(drop("total length below the header length", tcpToVip().totalLength(19).build(), DropReason.BAD_IPV4_HEADER));
        cases.add(drop("IP options (IHL 6)", tcpToVip().options((byte)1, (byte)1, (byte)1, (byte)0).build(), DropReason.IP_OPTIONS));
        cases.add(drop("IP options on a fragment: options reported first",
            tcpToVip().options((byte)1, (byte)1, (byte)1, (byte)0).moreFragments().build(), DropReason.IP_OPTIONS));
        cases.add(drop("first fragment (MF)", tcpToVip().moreFragments().build(), DropReason.FRAGMENT));
        cases.add(drop("last fragment (offset, no MF)", udpToVip().noFlags().fragmentOffset(185).build(), DropReason.FRAGMENT));
        cases.add(drop("middle fragment (MF and offset)", udpToVip().moreFragments().fragmentOffset(1).build(), DropReason.FRAGMENT));
        // An echo request to the VIP's address is answered (IcmpEchoTest); to another address it is not ours.
        cases.add(drop("ICMP echo to an address that is no VIP's", PacketBuilder.ethernet(LOCAL_MAC, CLIENT_ROUTER_MAC)
            .ipv4(CLIENT, "198.18.1.99").icmpEcho().payload("ping").build(), DropReason.NOT_A_VIP));
        cases.add(drop("GRE to the VIP", tcpToVip().protocol(47).build(), DropReason.UNSUPPORTED_PROTOCOL));

        // L4 header.
        cases.add(drop("truncated TCP: 19 of 20 header bytes", tcpToVip().cutL4To(19).build(), DropReason.TRUNCATED));
        cases.add(drop("truncated TCP: no L4 bytes", tcpToVip().cutL4To(0).build(), DropReason.TRUNCATED));
        cases.add(drop("truncated UDP: 7 of 8 header bytes", udpToVip().cutL4To(7).build(), DropReason.TRUNCATED));

        // VIP lookup and TTL.
        cases.add(drop("not a VIP: wrong address", tcp(CLIENT, 40000, "198.18.1.99", 80).build(), DropReason.NOT_A_VIP));
        cases.add(drop("not a VIP: wrong port", tcp(CLIENT, 40000, VIP, 81).build(), DropReason.NOT_A_VIP));
        cases.add(drop("not a VIP: wrong protocol (UDP to a TCP VIP port)", udp(CLIENT, 40000, VIP, 80).build(),
            DropReason.NOT_A_VIP));
        cases.add(drop("not a VIP: source and destination swapped", tcp(VIP, 80, CLIENT, 40000).build(), DropReason.NOT_A_VIP));
        cases.add(drop("TTL 1 not a VIP: the VIP check comes first", tcp(CLIENT, 40000, "198.18.1.99", 80).ttl(1).build(),
            DropReason.NOT_A_VIP));
        cases.add(drop("TTL 1", tcpToVip().ttl(1).build(), DropReason.TTL_EXPIRED));
        cases.add(drop("TTL 0", udpToVip().ttl(0).build(), DropReason.TTL_EXPIRED));

        // Reals.
        cases.add(drop("VIP with no reals", tcp(CLIENT, 40000, VIP_WITHOUT_REALS, 80).build(), DropReason.NO_REAL));
        cases.add(drop("real with unresolved MAC", tcp(CLIENT, 40000, VIP_UNRESOLVED, 80).build(), DropReason.NO_NEXT_HOP));
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void golden(final GoldenCase golden)
    {
        final byte[] backing = new byte[FRAME_OFFSET + golden.input().length + 64];
        Arrays.fill(backing, SENTINEL);
        System.arraycopy(golden.input(), 0, backing, FRAME_OFFSET, golden.input().length);
        final UnsafeBuffer buffer = new UnsafeBuffer(backing);

        try (FlowTable flows = new FlowTable(1024);
            WorkerCounters counters = TABLES.workerCounters(WORKER))
        {
            final long vipTcpPackets = TestTables.sum(vipTcp.packetsByWorker());
            final long realTcpPackets = TestTables.sum(realTcp.packetsByWorker());
            final PacketProcessor processor = new PacketProcessor(WORKER, flows, counters);
            processor.localMac(LOCAL_MAC);

            final int verdict = processor.process(buffer, FRAME_OFFSET, golden.input().length, table, NOW_NS);

            final byte[] frame = Arrays.copyOfRange(backing, FRAME_OFFSET, FRAME_OFFSET + golden.input().length);
            for (int i = 0; i < backing.length; i++)
            {
                if (i < FRAME_OFFSET || i >= FRAME_OFFSET + golden.input().length)
                {
                    assertThat(backing[i]).as("byte %d outside the frame", i).isEqualTo(SENTINEL);
                }
            }
            if (golden.expectedDrop() != null)
            {
                assertThat(DropReason.ofCode(verdict)).isEqualTo(golden.expectedDrop());
                assertThat(frame).as("a dropped frame is left as it came:%n%s", Hex.diff(golden.input(), frame))
                    .isEqualTo(golden.input());
                for (final DropReason reason : DropReason.values())
                {
                    assertThat(counters.drops(reason).get()).as("drops %s", reason.label())
                        .isEqualTo(reason == golden.expectedDrop() ? 1 : 0);
                }
                assertThat(TestTables.sum(vipTcp.packetsByWorker())).isEqualTo(vipTcpPackets);
                assertThat(TestTables.sum(realTcp.packetsByWorker())).isEqualTo(realTcpPackets);
            }
            else
            {
                assertThat(verdict).as("verdict %s", DropReason.ofCode(verdict)).isEqualTo(PacketProcessor.FORWARD);
                assertThat(frame).as("output differs from the golden frame:%n%s", Hex.diff(golden.expectedOutput(), frame))
                    .isEqualTo(golden.expectedOutput());
                assertIpv4ChecksumVerifiesFromScratch(frame);
                assertThat(PartialChecksumTest.transportChecksumValid(frame, ipOffset(frame))).as("TCP/UDP checksum from scratch").isTrue();
                assertThat(counters.partialChecksumsFinished.get()).as("partial checksums finished")
                    .isEqualTo(golden.partialChecksumFinished() ? 1 : 0);
                for (final DropReason reason : DropReason.values())
                {
                    assertThat(counters.drops(reason).get()).as("drops %s", reason.label()).isZero();
                }
                assertThat(counters.flowsCreated.get()).isOne();
            }
        }
    }

    @Test
    void builderMatchesScapyForTheLiteralFrames()
    {
        assertThat(tcpToVip().build()).isEqualTo(Hex.parse("0200000000010200000000fe0800450000281234400040069b74c6130001c61201019c40005001020304000000005002faf087330000"));
        assertThat(udpToVip().build())
            .isEqualTo(Hex.parse("0200000000010200000000fe0800450000221234400040119b6fc6130001c612010114e90035000e1151736c75696365"));
    }

    @Test
    void edgeCaseFramesReallyHaveTheEdgeChecksums()
    {
        final byte[] output = expectedFor(tcpToVip().identification(identificationGivingOutputChecksum(0x0000)), REAL_TCP_MAC);
        assertThat(new UnsafeBuffer(output).getShort(14 + 10, ByteOrder.BIG_ENDIAN)).isEqualTo((short)0x0000);
        final byte[] input = tcpToVip().identification(identificationGivingInputChecksum(0x0000)).build();
        assertThat(new UnsafeBuffer(input).getShort(14 + 10, ByteOrder.BIG_ENDIAN)).isEqualTo((short)0x0000);
    }

    static PacketBuilder tcpToVip()
    {
        return tcp(CLIENT, 40000, VIP, 80);
    }

    static PacketBuilder udpToVip()
    {
        return udp(CLIENT, 5353, VIP, 53).payload("sluice");
    }

    static PacketBuilder tcp(final String source, final int sourcePort, final String destination, final int destinationPort)
    {
        return PacketBuilder.ethernet(LOCAL_MAC, CLIENT_ROUTER_MAC).ipv4(source, destination).tcp(sourcePort, destinationPort);
    }

    static PacketBuilder udp(final String source, final int sourcePort, final String destination, final int destinationPort)
    {
        return PacketBuilder.ethernet(LOCAL_MAC, CLIENT_ROUTER_MAC).ipv4(source, destination).udp(sourcePort, destinationPort);
    }

    private static byte[] arp()
    {
        return PacketBuilder.ethernet(0xFFFF_FFFF_FFFFL, CLIENT_ROUTER_MAC).etherType(PacketConstants.ETHER_TYPE_ARP)
            .payload(Hex.parse("0001 0800 06 04 0001 0200000000fe c6130001 000000000000 c6120101")).build();
    }

    /** The frame a forwarder must emit: built from scratch with the real's MAC, ours, and TTL - 1. */
    private static byte[] expectedFor(final PacketBuilder input, final long realMac)
    {
        final byte[] in = input.build();
        final int ttl = ttlOf(in);
        return input.copy().macs(realMac, LOCAL_MAC).ttl(ttl - 1).partialChecksum(false).build();
    }

    private static GoldenCase forward(final String description, final PacketBuilder input, final long realMac)
    {
        return new GoldenCase(description, input.build(), expectedFor(input, realMac), null, input.partialChecksum());
    }

    private static GoldenCase drop(final String description, final byte[] input, final DropReason reason)
    {
        return new GoldenCase(description, input, null, reason, false);
    }

    /**
     * A TCP SYN's sequence number for which its complete checksum equals its pseudo-header sum,
     * so the forwarder cannot tell it from a partial one.
     */
    private static int sequenceGivingChecksumEqualToPseudoHeaderSum()
    {
        final int client = Ipv4.parse(CLIENT);
        final int vip = Ipv4.parse(VIP);
        final int pseudoHeader = Checksums.fold((client >>> 16) + (client & 0xFFFF) + (vip >>> 16) + (vip & 0xFFFF) +
            PacketConstants.IP_PROTOCOL_TCP + PacketConstants.TCP_MIN_HEADER_LENGTH);
        for (int high = 0; high <= 0xFFFF; high++)
        {
            final byte[] frame = tcpToVip().sequence(high << 16).build();
            if ((new UnsafeBuffer(frame).getShort(14 + 20 + 16, ByteOrder.BIG_ENDIAN) & 0xFFFF) == pseudoHeader)
            {
                return high << 16;
            }
        }
        throw new AssertionError("no sequence number gives a checksum equal to the pseudo-header sum");
    }

    /** Where the IP header starts, after any VLAN tags. */
    private static int ipOffset(final byte[] frame)
    {
        return ttlOffset(frame) - 8;
    }

    private static int ttlOf(final byte[] frame)
    {
        return frame[ttlOffset(frame)] & 0xFF;
    }

    private static int ttlOffset(final byte[] frame)
    {
        int offset = 12;
        int type = ((frame[offset] & 0xFF) << 8) | (frame[offset + 1] & 0xFF);
        while (type == PacketConstants.ETHER_TYPE_VLAN || type == PacketConstants.ETHER_TYPE_QINQ)
        {
            offset += 4;
            type = ((frame[offset] & 0xFF) << 8) | (frame[offset + 1] & 0xFF);
        }
        return offset + 2 + 8;
    }

    private static int identificationGivingOutputChecksum(final int checksum)
    {
        for (int id = 0; id <= 0xFFFF; id++)
        {
            final byte[] output = expectedFor(tcpToVip().identification(id), REAL_TCP_MAC);
            if ((new UnsafeBuffer(output).getShort(14 + 10, ByteOrder.BIG_ENDIAN) & 0xFFFF) == checksum)
            {
                return id;
            }
        }
        throw new AssertionError("no identification gives output checksum " + checksum);
    }

    private static int identificationGivingInputChecksum(final int checksum)
    {
        for (int id = 0; id <= 0xFFFF; id++)
        {
            final byte[] input = tcpToVip().identification(id).build();
            if ((new UnsafeBuffer(input).getShort(14 + 10, ByteOrder.BIG_ENDIAN) & 0xFFFF) == checksum)
            {
                return id;
            }
        }
        throw new AssertionError("no identification gives input checksum " + checksum);
    }

    private static void assertIpv4ChecksumVerifiesFromScratch(final byte[] frame)
    {
        int offset = 12;
        int type = ((frame[offset] & 0xFF) << 8) | (frame[offset + 1] & 0xFF);
        while (type == PacketConstants.ETHER_TYPE_VLAN || type == PacketConstants.ETHER_TYPE_QINQ)
        {
            offset += 4;
            type = ((frame[offset] & 0xFF) << 8) | (frame[offset + 1] & 0xFF);
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final int ipOffset = offset + 2;
        assertThat(Checksums.ipv4HeaderChecksumValid(buffer, ipOffset, 20)).as("IPv4 header checksum verifies").isTrue();
        assertThat(Checksums.ipv4HeaderChecksum(buffer, ipOffset, 20))
            .isEqualTo(buffer.getShort(ipOffset + 10, ByteOrder.BIG_ENDIAN) & 0xFFFF);
    }
}
