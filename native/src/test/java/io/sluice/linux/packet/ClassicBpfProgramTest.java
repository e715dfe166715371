package io.sluice.linux.packet;

import io.sluice.linux.testing.EthernetFrames;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.stream.IntStream;

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

    private final ClassicBpfProgram filter = ClassicBpfProgram.ipv4DestinationFilter(new int[]{VIP_1, VIP_2});

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
        final byte[] truncated = java.util.Arrays.copyOf(udpTo(VIP_1), 32);

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
