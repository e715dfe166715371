package io.sluice.linux.packet;

import io.sluice.linux.bpf.Ipv6Frames;
import io.sluice.linux.bpf.Ipv6Frames.Address;
import io.sluice.linux.testing.EthernetFrames;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClassicBpfProgramTest
{
    private static final int VIP_1 = 0xC612_0101;   // 198.18.1.1
    private static final int VIP_2 = 0xC612_0102;   // 198.18.1.2
    private static final int OTHER = 0xC612_0103;   // 198.18.1.3
    private static final int CLIENT = 0xC613_0001;
    private static final long DST_MAC = 0x0200_0000_0001L;
    private static final long SRC_MAC = 0x0200_0000_0002L;
    private static final int PACKET_HOST = 0;
    private static final int PACKET_OTHERHOST = 3;
    private static final int PACKET_OUTGOING = 4;

    private static final Address VIP6_1 = Address.of("2001:2::1:1");
    private static final Address VIP6_2 = Address.of("2001:2::1:2");
    private static final Address OTHER6 = Address.of("2001:2::1:3");
    private static final Address CLIENT6 = Address.of("2001:2:7::1");
    private static final Address REAL6 = Address.of("2001:2::b");
    private static final Address FORWARDER6 = Address.of("2001:2::2");

    private final ClassicBpfProgram filter = ClassicBpfProgram.ipv4DestinationFilter(new int[]{VIP_1, VIP_2});
    /** Both families, with NAT reals. */
    private final ClassicBpfProgram dual = ClassicBpfProgram.vipFilter(
        new int[]{VIP_1}, new int[0], new int[0],
        pairs(VIP6_1, VIP6_2), pairs(REAL6), pairs(FORWARDER6));

    @Test
    void acceptsUntaggedIpv4ToEachVip()
    {
        assertThat(verdict(udpTo(VIP_1), PACKET_HOST)).isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThat(verdict(udpTo(VIP_2), PACKET_HOST)).isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThat(verdict(udpTo(VIP_2), PACKET_OTHERHOST)).isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
    }

    @Test
    void acceptsVlanAndQinqTaggedIpv4ToVip()
    {
        assertThat(verdict(taggedUdpTo(EthernetFrames.ETHERTYPE_VLAN, VIP_1), PACKET_HOST))
            .isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThat(verdict(taggedUdpTo(EthernetFrames.ETHERTYPE_QINQ, VIP_2), PACKET_HOST))
            .isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
    }

    @Test
    void rejectsIpv4ToOtherAddresses()
    {
        assertThat(verdict(udpTo(OTHER), PACKET_HOST)).isZero();
        assertThat(verdict(taggedUdpTo(EthernetFrames.ETHERTYPE_VLAN, OTHER), PACKET_HOST)).isZero();
    }

    @Test
    void rejectsTheVipAddressInTheSourceField()
    {
        final byte[] reply = EthernetFrames.udp(DST_MAC, SRC_MAC, VIP_1, CLIENT, 80, 40000, new byte[8]);

        assertThat(verdict(reply, PACKET_HOST)).isZero();
    }

    @Test
    void withNatRealsAcceptsTheirRepliesToClientsButNotToThisHost()
    {
        final int real = 0xC612_000B;
        final int forwarder = 0xC612_0002;
        final ClassicBpfProgram nat = ClassicBpfProgram.vipFilter(new int[]{VIP_1}, new int[]{real}, new int[]{forwarder});
        final byte[] toClient = EthernetFrames.udp(DST_MAC, SRC_MAC, real, CLIENT, 8080, 40000, new byte[8]);
        final byte[] toForwarder = EthernetFrames.udp(DST_MAC, SRC_MAC, real, forwarder, 8080, 40000, new byte[8]);
        final byte[] fromOther = EthernetFrames.udp(DST_MAC, SRC_MAC, OTHER, CLIENT, 8080, 40000, new byte[8]);
        final byte[] taggedToClient = EthernetFrames.udp(DST_MAC, SRC_MAC, EthernetFrames.ETHERTYPE_VLAN, 7, real, CLIENT,
            8080, 40000, new byte[8]);

        assertThat(ClassicBpfInterpreter.run(nat, toClient, PACKET_HOST)).isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThat(ClassicBpfInterpreter.run(nat, taggedToClient, PACKET_HOST)).isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThat(ClassicBpfInterpreter.run(nat, udpTo(VIP_1), PACKET_HOST)).isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThat(ClassicBpfInterpreter.run(nat, toForwarder, PACKET_HOST)).as("a health check's answer").isZero();
        assertThat(ClassicBpfInterpreter.run(nat, fromOther, PACKET_HOST)).isZero();
        assertThat(verdict(toClient, PACKET_HOST)).as("without NAT reals").isZero();
    }

    @Test
    void rejectsOutgoingFramesEvenToVips()
    {
        assertThat(verdict(udpTo(VIP_1), PACKET_OUTGOING)).isZero();
    }

    @Test
    void rejectsArpIpv6AndTaggedNonIpv4()
    {
        assertThat(verdict(EthernetFrames.other(DST_MAC, SRC_MAC, EthernetFrames.ETHERTYPE_ARP, 28), PACKET_HOST)).isZero();
        assertThat(verdict(EthernetFrames.other(DST_MAC, SRC_MAC, EthernetFrames.ETHERTYPE_IPV6, 60), PACKET_HOST)).isZero();
        final byte[] taggedArp = taggedUdpTo(EthernetFrames.ETHERTYPE_VLAN, VIP_1);
        taggedArp[16] = 0x08;
        taggedArp[17] = 0x06;
        assertThat(verdict(taggedArp, PACKET_HOST)).isZero();
    }

    @Test
    void rejectsFramesTooShortToHoldTheDestination()
    {
        final byte[] truncated = Arrays.copyOf(udpTo(VIP_1), 32);

        assertThat(verdict(truncated, PACKET_HOST)).isZero();
    }

    @Test
    void emptyVipListAcceptsNothing()
    {
        final ClassicBpfProgram empty = ClassicBpfProgram.ipv4DestinationFilter(new int[0]);

        assertThat(empty).isEqualTo(ClassicBpfProgram.rejectAll());
        assertThat(ClassicBpfInterpreter.run(empty, udpTo(VIP_1), PACKET_HOST)).isZero();
    }

    @Test
    void everyOneOfTheMaximumNumberOfVipsIsReachable()
    {
        final int count = ClassicBpfProgram.MAX_FILTER_ADDRESSES;
        final int[] vips = IntStream.range(0, count).map(i -> 0xC612_0000 + i).toArray();
        final ClassicBpfProgram big = ClassicBpfProgram.ipv4DestinationFilter(vips);

        assertThat(big.length()).isLessThanOrEqualTo(ClassicBpfProgram.MAX_INSTRUCTIONS);
        assertThat(ClassicBpfInterpreter.run(big, udpTo(vips[0]), PACKET_HOST)).isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThat(ClassicBpfInterpreter.run(big, udpTo(vips[count - 1]), PACKET_HOST)).isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThat(ClassicBpfInterpreter.run(big, taggedUdpTo(EthernetFrames.ETHERTYPE_VLAN, vips[count / 2]), PACKET_HOST))
            .isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThat(ClassicBpfInterpreter.run(big, udpTo(0xC612_0000 + count), PACKET_HOST)).isZero();
    }

    @Test
    void tooManyVipsIsANamedError()
    {
        final int[] vips = IntStream.range(0, ClassicBpfProgram.MAX_FILTER_ADDRESSES + 1).toArray();

        assertThatThrownBy(() -> ClassicBpfProgram.ipv4DestinationFilter(vips))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("at most " + ClassicBpfProgram.MAX_FILTER_ADDRESSES + " addresses");
    }

    @Test
    void duplicateVipsAreCompiledOnce()
    {
        assertThat(ClassicBpfProgram.ipv4DestinationFilter(new int[]{VIP_1, VIP_1, VIP_2})).isEqualTo(filter);
    }

    @Test
    void writesSockFilterStructsInKernelLayout()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(ClassicBpfProgram.SOCK_FILTER, filter.length());
            filter.writeTo(out, 0);

            for (int i = 0; i < filter.length(); i++)
            {
                final long at = i * 8L;
                assertThat(out.get(JAVA_SHORT, at) & 0xFFFF).isEqualTo(filter.code(i));
                assertThat(out.get(JAVA_BYTE, at + 2) & 0xFF).isEqualTo(filter.jumpIfTrue(i));
                assertThat(out.get(JAVA_BYTE, at + 3) & 0xFF).isEqualTo(filter.jumpIfFalse(i));
                assertThat(out.get(JAVA_INT, at + 4)).isEqualTo(filter.constant(i));
            }
            // first instruction: ld [SKF_AD_OFF + SKF_AD_PKTTYPE] = { 0x20, 0, 0, 0xfffff004 }
            assertThat(out.get(JAVA_SHORT, 0)).isEqualTo((short)0x20);
            assertThat(out.get(JAVA_INT, 4)).isEqualTo(0xFFFF_F004);
        }
    }

    @Test
    void acceptsIpv6ToEachVipUntaggedAndTagged()
    {
        assertThat(run(dual, udp6(CLIENT6, VIP6_1), PACKET_HOST)).isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThat(run(dual, udp6(CLIENT6, VIP6_2), PACKET_OTHERHOST)).isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThat(run(dual, tagged(udp6(CLIENT6, VIP6_1), EthernetFrames.ETHERTYPE_VLAN), PACKET_HOST))
            .isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThat(run(dual, tagged(udp6(CLIENT6, VIP6_2), EthernetFrames.ETHERTYPE_QINQ), PACKET_HOST))
            .isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThat(run(dual, Ipv6Frames.icmpv6(CLIENT6, VIP6_1, 128, 0, new byte[8]), PACKET_HOST))
            .as("any protocol to a VIP address, as for IPv4").isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
    }

    @Test
    void rejectsIpv6ToAnAddressThatDiffersFromAVipInAnyOneWord()
    {
        assertThat(run(dual, udp6(CLIENT6, OTHER6), PACKET_HOST)).isZero();
        assertThat(run(dual, tagged(udp6(CLIENT6, OTHER6), EthernetFrames.ETHERTYPE_VLAN), PACKET_HOST)).isZero();
        for (int word = 0; word < 4; word++)
        {
            final long flip = 1L << (word % 2 == 0 ? 32 : 0);
            final Address near = word < 2 ? new Address(VIP6_1.high() ^ flip, VIP6_1.low()) : new Address(VIP6_1.high(), VIP6_1.low() ^ flip);
            assertThat(run(dual, udp6(CLIENT6, near), PACKET_HOST)).as("word %d differs", word).isZero();
        }
    }

    @Test
    void rejectsIpv6WithTheVipInTheSourceFieldOutgoingOrCutShort()
    {
        assertThat(run(dual, udp6(VIP6_1, CLIENT6), PACKET_HOST)).isZero();
        assertThat(run(dual, udp6(CLIENT6, VIP6_1), PACKET_OUTGOING)).isZero();
        assertThat(run(dual, Arrays.copyOf(udp6(CLIENT6, VIP6_1), 14 + 24 + 15), PACKET_HOST)).as("ends inside the destination").isZero();
    }

    @Test
    void withIpv6NatRealsAcceptsTheirRepliesToClientsButNotToThisHost()
    {
        assertThat(run(dual, udp6(REAL6, CLIENT6), PACKET_HOST)).isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThat(run(dual, tagged(udp6(REAL6, CLIENT6), EthernetFrames.ETHERTYPE_VLAN), PACKET_HOST))
            .isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThat(run(dual, udp6(REAL6, FORWARDER6), PACKET_HOST)).as("a health check's answer").isZero();
        assertThat(run(dual, udp6(OTHER6, CLIENT6), PACKET_HOST)).isZero();
    }

    @Test
    void bothFamiliesAreFilteredByTheirOwnAddresses()
    {
        assertThat(run(dual, udpTo(VIP_1), PACKET_HOST)).isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThat(run(dual, taggedUdpTo(EthernetFrames.ETHERTYPE_VLAN, VIP_1), PACKET_HOST))
            .isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThat(run(dual, udpTo(VIP_2), PACKET_HOST)).isZero();
        assertThat(verdict(udp6(CLIENT6, VIP6_1), PACKET_HOST)).as("the IPv4-only filter").isZero();

        final ClassicBpfProgram ipv6Only = ClassicBpfProgram.vipFilter(
            new int[0], new int[0], new int[0], pairs(VIP6_1), new long[0], new long[0]);
        assertThat(run(ipv6Only, udp6(CLIENT6, VIP6_1), PACKET_HOST)).isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThat(run(ipv6Only, udpTo(VIP_1), PACKET_HOST)).isZero();
        assertThat(run(ipv6Only, taggedUdpTo(EthernetFrames.ETHERTYPE_VLAN, VIP_1), PACKET_HOST)).isZero();
        assertThat(ClassicBpfProgram.vipFilter(new int[0], new int[0], new int[0], new long[0], pairs(REAL6), new long[0]))
            .as("NAT reals without VIPs").isEqualTo(ClassicBpfProgram.rejectAll());
    }

    @Test
    void everyOneOfTheMaximumNumberOfIpv6VipsIsReachable()
    {
        final int count = ClassicBpfProgram.MAX_FILTER_IPV6_ADDRESSES;
        final ClassicBpfProgram big = ipv6Filter(new int[0], count);

        assertThat(big.length()).isLessThanOrEqualTo(ClassicBpfProgram.MAX_INSTRUCTIONS);
        assertThat(run(big, udp6(CLIENT6, numbered(0)), PACKET_HOST)).isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThat(run(big, udp6(CLIENT6, numbered(count - 1)), PACKET_HOST)).isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThat(run(big, tagged(udp6(CLIENT6, numbered(count / 2)), EthernetFrames.ETHERTYPE_VLAN), PACKET_HOST))
            .isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThat(run(big, udp6(CLIENT6, numbered(count)), PACKET_HOST)).isZero();
    }

    @Test
    void tooManyIpv6VipsIsANamedErrorThatSaysHowManyFit()
    {
        assertThatThrownBy(() -> ipv6Filter(new int[0], ClassicBpfProgram.MAX_FILTER_IPV6_ADDRESSES + 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("at most " + ClassicBpfProgram.MAX_FILTER_ADDRESSES + " IPv4 addresses or " +
                ClassicBpfProgram.MAX_FILTER_IPV6_ADDRESSES + " IPv6 addresses")
            .hasMessageContaining("with 0 IPv4 addresses, " + ClassicBpfProgram.MAX_FILTER_IPV6_ADDRESSES +
                " IPv6 addresses fit, asked for " + (ClassicBpfProgram.MAX_FILTER_IPV6_ADDRESSES + 1));

        // 10 IPv4 VIPs take 20 instructions and the IPv4 part's own 9: 450 IPv6 addresses fit beside them, not 451.
        final int[] ipv4 = IntStream.range(0, 10).map(i -> VIP_1 + i).toArray();
        final ClassicBpfProgram full = ipv6Filter(ipv4, 450);
        assertThat(full.length()).isLessThanOrEqualTo(ClassicBpfProgram.MAX_INSTRUCTIONS);
        assertThat(run(full, udp6(CLIENT6, numbered(449)), PACKET_HOST)).isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThat(run(full, udpTo(VIP_1 + 9), PACKET_HOST)).isEqualTo(ClassicBpfProgram.ACCEPT_WHOLE_PACKET);
        assertThatThrownBy(() -> ipv6Filter(ipv4, 451))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("with 10 IPv4 addresses, 450 IPv6 addresses fit, asked for 451");
    }

    @Test
    void ipv6AddressesComeInPairsAndDuplicatesAreCompiledOnce()
    {
        assertThatThrownBy(() -> ClassicBpfProgram.vipFilter(
            new int[0], new int[0], new int[0], new long[]{ VIP6_1.high() }, new long[0], new long[0]))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("pairs");
        assertThat(ClassicBpfProgram.vipFilter(new int[0], new int[0], new int[0], pairs(VIP6_1, VIP6_2, VIP6_1), new long[0], new long[0]))
            .isEqualTo(ClassicBpfProgram.vipFilter(new int[0], new int[0], new int[0], pairs(VIP6_1, VIP6_2), new long[0], new long[0]));
    }

    private static int run(final ClassicBpfProgram program, final byte[] frame, final int packetType)
    {
        return ClassicBpfInterpreter.run(program, frame, packetType);
    }

    private static ClassicBpfProgram ipv6Filter(final int[] ipv4Vips, final int ipv6Vips)
    {
        final long[] vips6 = IntStream.range(0, ipv6Vips).mapToObj(ClassicBpfProgramTest::numbered)
            .flatMapToLong(address -> LongStream.of(address.high(), address.low())).toArray();
        return ClassicBpfProgram.vipFilter(ipv4Vips, new int[0], new int[0], vips6, new long[0], new long[0]);
    }

    /** 2001:2::N:0, the N-th of a run of VIPs. */
    private static Address numbered(final int n)
    {
        return new Address(VIP6_1.high(), (long)n << 16);
    }

    private static long[] pairs(final Address... addresses)
    {
        return Arrays.stream(addresses).flatMapToLong(address -> LongStream.of(address.high(), address.low())).toArray();
    }

    private static byte[] udp6(final Address source, final Address destination)
    {
        return Ipv6Frames.udp(source, destination, 40000, 80, new byte[8]);
    }

    /** The frame with a VLAN tag of {@code tpid} in line before its EtherType. */
    private static byte[] tagged(final byte[] frame, final int tpid)
    {
        final byte[] tagged = new byte[frame.length + 4];
        System.arraycopy(frame, 0, tagged, 0, 12);
        tagged[12] = (byte)(tpid >>> 8);
        tagged[13] = (byte)tpid;
        tagged[15] = 10;
        System.arraycopy(frame, 12, tagged, 16, frame.length - 12);
        return tagged;
    }

    private int verdict(final byte[] frame, final int packetType)
    {
        return ClassicBpfInterpreter.run(filter, frame, packetType);
    }

    private static byte[] udpTo(final int destination)
    {
        return EthernetFrames.udp(DST_MAC, SRC_MAC, CLIENT, destination, 40000, 80, new byte[8]);
    }

    private static byte[] taggedUdpTo(final int tpid, final int destination)
    {
        return EthernetFrames.udp(DST_MAC, SRC_MAC, tpid, 10, CLIENT, destination, 40000, 80, new byte[8]);
    }
}
