package io.sluice.linux.bpf;

import io.sluice.linux.LinuxException;
import io.sluice.linux.testing.EthernetFrames;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Golden verdicts of the XDP program, run by the kernel itself through BPF_PROG_TEST_RUN (no
 * interface needed): a table of {description, frame, verdict}. In a test run the redirect to
 * an empty XSKMAP slot falls back to XDP_PASS, so a VIP packet shows up as the NO_SOCKET verdict;
 * that it reaches a socket when one is bound is the AF_XDP lab tests' job.
 */
final class VipRedirectProgramTest
{
    static final long DST_MAC = 0x0200_c612_0002L;
    static final long SRC_MAC = 0x0200_c612_0064L;
    static final int CLIENT = 0xC612_0064;
    static final int VIP = 0xC612_0101;
    static final int OTHER = 0xC612_0102;
    static final int NAT_REAL = 0xC612_000B;
    static final int FORWARDER = 0xC612_0002;

    private static VipRedirectProgram program;

    record Case(String description, byte[] frame, XdpVerdict verdict)
    {
        @Override
        public String toString()
        {
            return description;
        }
    }

    @BeforeAll
    static void load()
    {
        Privileges.require(Privileges.isRoot(), "needs root for bpf(2) (run the tests with sudo ./sluice test)");
        program = VipRedirectProgram.load(2);
        program.addIpv4Vip(VIP, 80, 6);
        program.addIpv4Vip(VIP, 53, 17);
        program.addIpv4Vip(VIP, 0, 1); // the forwarder adds this for every VIP address: pings are answered
        program.addNatReal(NAT_REAL, 8080, 6);
        program.addNatReal(NAT_REAL, 0, 1); // its ICMP errors to clients
        program.addLocalAddress(FORWARDER);
    }

    @AfterAll
    static void unload()
    {
        if (program != null)
        {
            program.close();
        }
    }

    static List<Case> cases()
    {
        final byte[] udpToVip = udp(VIP, 53);
        return List.of(
            new Case("UDP to a VIP", udpToVip, XdpVerdict.NO_SOCKET),
            new Case("TCP to a VIP", tcp(udp(VIP, 80)), XdpVerdict.NO_SOCKET),
            new Case("UDP to the VIP's TCP port", udp(VIP, 80), XdpVerdict.NOT_A_VIP),
            new Case("TCP to the VIP's UDP port", tcp(udp(VIP, 53)), XdpVerdict.NOT_A_VIP),
            new Case("UDP to another address", udp(OTHER, 53), XdpVerdict.NOT_A_VIP),
            new Case("ICMP to a VIP address with its ICMP key", protocol(udpToVip, 1), XdpVerdict.NO_SOCKET),
            new Case("ICMP to an address that is no VIP's", protocol(udp(OTHER, 53), 1), XdpVerdict.NOT_A_VIP),
            new Case("GRE to a VIP address", protocol(udpToVip, 47), XdpVerdict.NOT_A_VIP),
            new Case("TCP from a NAT real's address and port to a client", tcp(fromReal(8080, CLIENT)), XdpVerdict.NO_SOCKET),
            new Case("TCP from a NAT real's address and port to this host (a health check's answer)",
                tcp(fromReal(8080, FORWARDER)), XdpVerdict.NOT_A_VIP),
            new Case("UDP from a NAT real's TCP port", fromReal(8080, CLIENT), XdpVerdict.NOT_A_VIP),
            new Case("TCP from another port of a NAT real", tcp(fromReal(22, CLIENT)), XdpVerdict.NOT_A_VIP),
            new Case("ICMP from a NAT real to a client", protocol(fromReal(8080, CLIENT), 1), XdpVerdict.NO_SOCKET),
            new Case("ICMP from a NAT real to this host", protocol(fromReal(8080, FORWARDER), 1), XdpVerdict.NOT_A_VIP),
            new Case("ICMP from another address", protocol(udp(OTHER, 53), 1), XdpVerdict.NOT_A_VIP),
            new Case("ARP",
                EthernetFrames.other(-1L, SRC_MAC, EthernetFrames.ETHERTYPE_ARP, 28), XdpVerdict.NOT_IPV4),
            new Case("IPv6",
                EthernetFrames.other(DST_MAC, SRC_MAC, EthernetFrames.ETHERTYPE_IPV6, 60), XdpVerdict.NOT_IPV4),
            new Case("802.1Q tagged ARP",
                dot1q(EthernetFrames.other(-1L, SRC_MAC, EthernetFrames.ETHERTYPE_ARP, 28)), XdpVerdict.NOT_IPV4),
            new Case("three 802.1Q tags: not read past two", dot1q(dot1q(dot1q(udpToVip))), XdpVerdict.NOT_IPV4),
            new Case("802.1Q tagged UDP to a VIP",
                EthernetFrames.udp(DST_MAC, SRC_MAC, 0x8100, 7, CLIENT, VIP, 40000, 53, new byte[8]),
                XdpVerdict.NO_SOCKET),
            new Case("802.1ad + 802.1Q (QinQ) UDP to a VIP", qinq(udpToVip), XdpVerdict.NO_SOCKET),
            new Case("IPv4 with options (IHL 6) to a VIP", withOptions(udpToVip), XdpVerdict.NO_SOCKET),
            new Case("first fragment (MF) to a VIP", fragment(udpToVip, 0x2000), XdpVerdict.FRAGMENT),
            new Case("later fragment (offset) to a VIP", fragment(udpToVip, 0x0010), XdpVerdict.FRAGMENT),
            new Case("DF set is not a fragment", fragment(udpToVip, 0x4000), XdpVerdict.NO_SOCKET),
            new Case("IPv4 version field 6", version(udpToVip, 0x65), XdpVerdict.MALFORMED),
            new Case("IPv4 IHL 4", version(udpToVip, 0x44), XdpVerdict.MALFORMED),
            new Case("frame of 14 bytes, IPv4 EtherType", Arrays.copyOf(udpToVip, 14), XdpVerdict.MALFORMED),
            new Case("frame of 20 bytes, inside the IPv4 header", Arrays.copyOf(udpToVip, 20), XdpVerdict.MALFORMED),
            new Case("frame of 33 bytes, a byte short of the IPv4 header", Arrays.copyOf(udpToVip, 33),
                XdpVerdict.MALFORMED),
            new Case("frame of 34 bytes, IPv4 header but no ports", Arrays.copyOf(udpToVip, 34), XdpVerdict.MALFORMED),
            new Case("IHL 15 past the end of the frame", version(udpToVip, 0x4f), XdpVerdict.MALFORMED),
            new Case("frame ending inside the ports", Arrays.copyOf(udpToVip, 14 + 20 + 3), XdpVerdict.MALFORMED),
            new Case("frame ending inside a VLAN tag", Arrays.copyOf(qinq(udpToVip), 16), XdpVerdict.MALFORMED));
        // Shorter than an Ethernet header is not testable: BPF_PROG_TEST_RUN refuses it (EINVAL), as drivers drop it.
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdict(final Case golden)
    {
        final Map<XdpVerdict, Long> before = counts();
        final int action = program.program().testRun(golden.frame());

        assertThat(action).as("XDP action").isEqualTo(LoadedProgram.XDP_PASS);
        final Map<XdpVerdict, Long> after = counts();
        for (final XdpVerdict verdict : XdpVerdict.values())
        {
            assertThat(after.get(verdict) - before.get(verdict)).as("%s count", verdict)
                .isEqualTo(verdict == golden.verdict() ? 1L : 0L);
        }
    }

    @Test
    void aRemovedVipIsPassedAgain()
    {
        program.addIpv4Vip(VIP, 8080, 6);
        final long before = program.count(XdpVerdict.NO_SOCKET);
        program.program().testRun(tcp(udp(VIP, 8080)));
        assertThat(program.count(XdpVerdict.NO_SOCKET)).isEqualTo(before + 1);

        assertThat(program.removeIpv4Vip(VIP, 8080, 6)).isTrue();
        assertThat(program.removeIpv4Vip(VIP, 8080, 6)).as("already gone").isFalse();
        final long notVip = program.count(XdpVerdict.NOT_A_VIP);
        program.program().testRun(tcp(udp(VIP, 8080)));
        assertThat(program.count(XdpVerdict.NOT_A_VIP)).isEqualTo(notVip + 1);
    }

    @Test
    void aRemovedNatRealsRepliesArePassedAgain()
    {
        program.addNatReal(NAT_REAL, 9090, 17);
        final long before = program.count(XdpVerdict.NO_SOCKET);
        program.program().testRun(fromReal(9090, CLIENT));
        assertThat(program.count(XdpVerdict.NO_SOCKET)).isEqualTo(before + 1);

        assertThat(program.removeNatReal(NAT_REAL, 9090, 17)).isTrue();
        final long notVip = program.count(XdpVerdict.NOT_A_VIP);
        program.program().testRun(fromReal(9090, CLIENT));
        assertThat(program.count(XdpVerdict.NOT_A_VIP)).isEqualTo(notVip + 1);
    }

    @Test
    void theVerifierRefusesAnUncheckedPacketReadAndItsLogIsInTheError()
    {
        final BpfAssembler unchecked = new BpfAssembler()
            .loadWord(BpfAssembler.R2, BpfAssembler.R1, 0)
            .loadByte(BpfAssembler.R0, BpfAssembler.R2, 0)
            .exit();

        assertThatThrownBy(() -> LoadedProgram.loadXdp("unchecked", unchecked))
            .isInstanceOf(LinuxException.class)
            .hasMessageContaining("BPF_PROG_LOAD, unchecked")
            .hasMessageContaining("verifier log")
            .hasMessageContaining("invalid access to packet");
    }

    private static Map<XdpVerdict, Long> counts()
    {
        final Map<XdpVerdict, Long> counts = new EnumMap<>(XdpVerdict.class);
        for (final XdpVerdict verdict : XdpVerdict.values())
        {
            counts.put(verdict, program.count(verdict));
        }
        return counts;
    }

    static byte[] udp(final int destination, final int port)
    {
        return EthernetFrames.udp(DST_MAC, SRC_MAC, CLIENT, destination, 40000, port, new byte[8]);
    }

    /** A UDP frame from the NAT real's address and {@code port} to {@code destination}. */
    static byte[] fromReal(final int port, final int destination)
    {
        return EthernetFrames.udp(DST_MAC, SRC_MAC, NAT_REAL, destination, port, 40000, new byte[8]);
    }

    /** The same frame as TCP: only the protocol byte matters to the program (ports sit where UDP's do). */
    static byte[] tcp(final byte[] udpFrame)
    {
        return protocol(udpFrame, 6);
    }

    static byte[] protocol(final byte[] frame, final int protocol)
    {
        final byte[] copy = frame.clone();
        copy[14 + 9] = (byte)protocol;
        return copy;
    }

    static byte[] version(final byte[] frame, final int versionAndIhl)
    {
        final byte[] copy = frame.clone();
        copy[14] = (byte)versionAndIhl;
        return copy;
    }

    static byte[] fragment(final byte[] frame, final int flagsAndOffset)
    {
        final byte[] copy = frame.clone();
        copy[14 + 6] = (byte)(flagsAndOffset >>> 8);
        copy[14 + 7] = (byte)flagsAndOffset;
        return copy;
    }

    /** An 802.1ad tag then an 802.1Q tag between the MACs and the EtherType. */
    static byte[] qinq(final byte[] frame)
    {
        final byte[] tagged = new byte[frame.length + 8];
        System.arraycopy(frame, 0, tagged, 0, 12);
        final byte[] tags = { (byte)0x88, (byte)0xa8, 0, 100, (byte)0x81, 0, 0, 7 };
        System.arraycopy(tags, 0, tagged, 12, 8);
        System.arraycopy(frame, 12, tagged, 20, frame.length - 12);
        return tagged;
    }

    /** An 802.1Q tag (VLAN 7) between the MACs and the EtherType. */
    static byte[] dot1q(final byte[] frame)
    {
        final byte[] tagged = new byte[frame.length + 4];
        System.arraycopy(frame, 0, tagged, 0, 12);
        final byte[] tag = { (byte)0x81, 0, 0, 7 };
        System.arraycopy(tag, 0, tagged, 12, 4);
        System.arraycopy(frame, 12, tagged, 16, frame.length - 12);
        return tagged;
    }

    /** Four bytes of options (NOPs) after the 20-byte header, IHL 6. */
    static byte[] withOptions(final byte[] frame)
    {
        final byte[] longer = new byte[frame.length + 4];
        System.arraycopy(frame, 0, longer, 0, 34);
        longer[34] = 1;
        longer[35] = 1;
        longer[36] = 1;
        longer[37] = 1;
        System.arraycopy(frame, 34, longer, 38, frame.length - 34);
        longer[14] = 0x46;
        return longer;
    }
}
