package io.sluice.linux.bpf;

import io.sluice.linux.LinuxException;
import io.sluice.linux.bpf.Ipv6Frames.Address;
import io.sluice.linux.testing.EthernetFrames;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static io.sluice.linux.bpf.Ipv6Frames.DESTINATION_OPTIONS;
import static io.sluice.linux.bpf.Ipv6Frames.FRAGMENT;
import static io.sluice.linux.bpf.Ipv6Frames.HOP_BY_HOP;
import static io.sluice.linux.bpf.Ipv6Frames.ROUTING;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
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
    static final Address CLIENT6 = Address.of("2001:2::64");
    static final Address VIP6 = Address.of("2001:2::1:1");
    static final Address OTHER6 = Address.of("2001:2::1:2");
    /** The VIP's last 8 bytes behind other first 8: a program that compared half the address would take it. */
    static final Address VIP6_IN_OTHER_PREFIX = Address.of("2001:2:0:1::1:1");
    static final Address NAT_REAL6 = Address.of("2001:2::b");
    static final Address FORWARDER6 = Address.of("2001:2::2");

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
        program.addIpv6Vip(VIP6.high(), VIP6.low(), 80, 6);
        program.addIpv6Vip(VIP6.high(), VIP6.low(), 53, 17);
        program.addIpv6Vip(VIP6.high(), VIP6.low(), 0, VipRedirectProgram.ICMPV6); // the VIP address's key
        program.addIpv6NatReal(NAT_REAL6.high(), NAT_REAL6.low(), 8080, 6);
        program.addIpv6NatReal(NAT_REAL6.high(), NAT_REAL6.low(), 0, VipRedirectProgram.ICMPV6);
        program.addIpv6LocalAddress(FORWARDER6.high(), FORWARDER6.low());
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
                EthernetFrames.other(-1L, SRC_MAC, EthernetFrames.ETHERTYPE_ARP, 28), XdpVerdict.NOT_IP),
            new Case("IPv6 EtherType, version field 0",
                EthernetFrames.other(DST_MAC, SRC_MAC, EthernetFrames.ETHERTYPE_IPV6, 60), XdpVerdict.MALFORMED),
            new Case("802.1Q tagged ARP",
                dot1q(EthernetFrames.other(-1L, SRC_MAC, EthernetFrames.ETHERTYPE_ARP, 28)), XdpVerdict.NOT_IP),
            new Case("three 802.1Q tags: not read past two", dot1q(dot1q(dot1q(udpToVip))), XdpVerdict.NOT_IP),
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

    static List<Case> ipv6Cases()
    {
        final byte[] udpToVip = udp6(VIP6, 53);
        final byte[] echoToVip = icmpv6(CLIENT6, VIP6, 128);
        final List<Case> cases = new ArrayList<>(List.of(
            new Case("IPv6 UDP to a VIP", udpToVip, XdpVerdict.NO_SOCKET),
            new Case("IPv6 TCP to a VIP", tcp6(CLIENT6, 40000, VIP6, 80), XdpVerdict.NO_SOCKET),
            new Case("IPv6 UDP to the VIP's TCP port", udp6(VIP6, 80), XdpVerdict.NOT_A_VIP),
            new Case("IPv6 TCP to the VIP's UDP port", tcp6(CLIENT6, 40000, VIP6, 53), XdpVerdict.NOT_A_VIP),
            new Case("IPv6 UDP to another address", udp6(OTHER6, 53), XdpVerdict.NOT_A_VIP),
            new Case("IPv6 UDP to the VIP's last 8 bytes in another /64", udp6(VIP6_IN_OTHER_PREFIX, 53),
                XdpVerdict.NOT_A_VIP),
            new Case("IPv6 UDP from the VIP's address (its source is not matched)",
                Ipv6Frames.udp(VIP6, CLIENT6, 53, 40000, new byte[8]), XdpVerdict.NOT_A_VIP),
            new Case("ICMPv6 echo request to a VIP address", echoToVip, XdpVerdict.NO_SOCKET),
            new Case("ICMPv6 echo request to another address", icmpv6(CLIENT6, OTHER6, 128), XdpVerdict.NOT_A_VIP),
            new Case("ICMPv6 echo reply to a VIP address", icmpv6(CLIENT6, VIP6, 129), XdpVerdict.NOT_A_VIP),
            new Case("ICMPv6 type 0 to a VIP address", icmpv6(CLIENT6, VIP6, 0), XdpVerdict.NOT_A_VIP),
            new Case("GRE to an IPv6 VIP address", Ipv6Frames.packet(CLIENT6, VIP6, 47, new byte[8]), XdpVerdict.NOT_A_VIP),
            new Case("IPv6 TCP from a NAT real's address and port to a client", tcp6(NAT_REAL6, 8080, CLIENT6, 40000),
                XdpVerdict.NO_SOCKET),
            new Case("IPv6 TCP from a NAT real's address and port to this host (a health check's answer)",
                tcp6(NAT_REAL6, 8080, FORWARDER6, 40000), XdpVerdict.NOT_A_VIP),
            new Case("IPv6 UDP from a NAT real's TCP port", Ipv6Frames.udp(NAT_REAL6, CLIENT6, 8080, 40000, new byte[8]),
                XdpVerdict.NOT_A_VIP),
            new Case("IPv6 TCP from another port of a NAT real", tcp6(NAT_REAL6, 22, CLIENT6, 40000), XdpVerdict.NOT_A_VIP),
            new Case("ICMPv6 destination unreachable from a NAT real to a client", icmpv6(NAT_REAL6, CLIENT6, 1),
                XdpVerdict.NO_SOCKET),
            new Case("ICMPv6 packet too big from a NAT real to this host", icmpv6(NAT_REAL6, FORWARDER6, 2),
                XdpVerdict.NOT_A_VIP),
            new Case("ICMPv6 neighbour advertisement from a NAT real to a client", icmpv6(NAT_REAL6, CLIENT6, 136),
                XdpVerdict.NOT_A_VIP),
            new Case("802.1Q tagged IPv6 UDP to a VIP", dot1q(udpToVip), XdpVerdict.NO_SOCKET),
            new Case("802.1ad + 802.1Q (QinQ) IPv6 UDP to a VIP", qinq(udpToVip), XdpVerdict.NO_SOCKET),
            new Case("hop-by-hop header, UDP to a VIP", Ipv6Frames.withExtensionHeader(udpToVip, HOP_BY_HOP),
                XdpVerdict.NO_SOCKET),
            new Case("hop-by-hop header, UDP to a VIP address's other port (found by its address alone)",
                Ipv6Frames.withExtensionHeader(udp6(VIP6, 9999), HOP_BY_HOP), XdpVerdict.NO_SOCKET),
            new Case("routing header, TCP to a VIP", Ipv6Frames.withExtensionHeader(tcp6(CLIENT6, 40000, VIP6, 80), ROUTING),
                XdpVerdict.NO_SOCKET),
            new Case("destination options, UDP to a VIP", Ipv6Frames.withExtensionHeader(udpToVip, DESTINATION_OPTIONS),
                XdpVerdict.NO_SOCKET),
            new Case("hop-by-hop header, ICMPv6 echo request to a VIP address",
                Ipv6Frames.withExtensionHeader(echoToVip, HOP_BY_HOP), XdpVerdict.NO_SOCKET),
            new Case("hop-by-hop header, UDP to another address", Ipv6Frames.withExtensionHeader(udp6(OTHER6, 53), HOP_BY_HOP),
                XdpVerdict.NOT_A_VIP),
            new Case("hop-by-hop header, TCP from a NAT real to a client",
                Ipv6Frames.withExtensionHeader(tcp6(NAT_REAL6, 8080, CLIENT6, 40000), HOP_BY_HOP), XdpVerdict.NO_SOCKET),
            new Case("hop-by-hop header, TCP from a NAT real to this host",
                Ipv6Frames.withExtensionHeader(tcp6(NAT_REAL6, 8080, FORWARDER6, 40000), HOP_BY_HOP), XdpVerdict.NOT_A_VIP),
            new Case("fragment header, UDP to a VIP", Ipv6Frames.withExtensionHeader(udpToVip, FRAGMENT), XdpVerdict.FRAGMENT),
            new Case("IPv6 version field 4", version(udpToVip, 0x45), XdpVerdict.MALFORMED),
            new Case("IPv6 frame ending a byte short of the fixed header", Arrays.copyOf(udpToVip, 14 + 39), XdpVerdict.MALFORMED),
            new Case("IPv6 header but no ports", Arrays.copyOf(udpToVip, 14 + 40), XdpVerdict.MALFORMED),
            new Case("IPv6 frame ending inside the ports", Arrays.copyOf(udpToVip, 14 + 40 + 3), XdpVerdict.MALFORMED),
            new Case("ICMPv6 frame ending inside its header", Arrays.copyOf(echoToVip, 14 + 40 + 3), XdpVerdict.MALFORMED),
            new Case("hop-by-hop header cut short", Arrays.copyOf(Ipv6Frames.withExtensionHeader(udpToVip, HOP_BY_HOP), 14 + 41),
                XdpVerdict.MALFORMED),
            new Case("hop-by-hop header longer than the frame", longOptions(Ipv6Frames.withExtensionHeader(echoToVip, HOP_BY_HOP)),
                XdpVerdict.MALFORMED)));
        // Neighbour discovery, router messages and MLD are the kernel's whatever the address, even behind options.
        for (final int type : new int[]{ 130, 131, 132, 133, 134, 135, 136, 137, 143 })
        {
            cases.add(new Case("ICMPv6 type " + type + " to a VIP address", icmpv6(CLIENT6, VIP6, type), XdpVerdict.NOT_A_VIP));
        }
        cases.add(new Case("MLD report behind a hop-by-hop router alert to a VIP address",
            Ipv6Frames.withExtensionHeader(icmpv6(CLIENT6, VIP6, 143), HOP_BY_HOP), XdpVerdict.NOT_A_VIP));
        for (final int type : new int[]{ 1, 2, 3, 4 })
        {
            cases.add(new Case("ICMPv6 error type " + type + " to a VIP address", icmpv6(CLIENT6, VIP6, type),
                XdpVerdict.NO_SOCKET));
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({ "cases", "ipv6Cases" })
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
    void aRemovedIpv6VipIsPassedAgain()
    {
        program.addIpv6Vip(VIP6.high(), VIP6.low(), 8080, 6);
        final long before = program.count(XdpVerdict.NO_SOCKET);
        program.program().testRun(tcp6(CLIENT6, 40000, VIP6, 8080));
        assertThat(program.count(XdpVerdict.NO_SOCKET)).isEqualTo(before + 1);

        assertThat(program.removeIpv6Vip(VIP6.high(), VIP6.low(), 8080, 6)).isTrue();
        assertThat(program.removeIpv6Vip(VIP6.high(), VIP6.low(), 8080, 6)).as("already gone").isFalse();
        final long notVip = program.count(XdpVerdict.NOT_A_VIP);
        program.program().testRun(tcp6(CLIENT6, 40000, VIP6, 8080));
        assertThat(program.count(XdpVerdict.NOT_A_VIP)).isEqualTo(notVip + 1);
    }

    @Test
    void aRemovedIpv6NatRealsRepliesArePassedAgain()
    {
        final byte[] reply = Ipv6Frames.udp(NAT_REAL6, CLIENT6, 9090, 40000, new byte[8]);
        program.addIpv6NatReal(NAT_REAL6.high(), NAT_REAL6.low(), 9090, 17);
        final long before = program.count(XdpVerdict.NO_SOCKET);
        program.program().testRun(reply);
        assertThat(program.count(XdpVerdict.NO_SOCKET)).isEqualTo(before + 1);

        assertThat(program.removeIpv6NatReal(NAT_REAL6.high(), NAT_REAL6.low(), 9090, 17)).isTrue();
        assertThat(program.removeIpv6NatReal(NAT_REAL6.high(), NAT_REAL6.low(), 9090, 17)).as("already gone").isFalse();
        final long notVip = program.count(XdpVerdict.NOT_A_VIP);
        program.program().testRun(reply);
        assertThat(program.count(XdpVerdict.NOT_A_VIP)).isEqualTo(notVip + 1);
    }

    @Test
    void aNatRealsRepliesToAnIpv6LocalAddressAreTheKernelsUntilItIsRemoved()
    {
        final Address added = Address.of("2001:2::3");
        final byte[] reply = tcp6(NAT_REAL6, 8080, added, 40000);
        program.addIpv6LocalAddress(added.high(), added.low());
        final long notVip = program.count(XdpVerdict.NOT_A_VIP);
        program.program().testRun(reply);
        assertThat(program.count(XdpVerdict.NOT_A_VIP)).isEqualTo(notVip + 1);

        assertThat(program.removeIpv6LocalAddress(added.high(), added.low())).isTrue();
        assertThat(program.removeIpv6LocalAddress(added.high(), added.low())).as("already gone").isFalse();
        final long before = program.count(XdpVerdict.NO_SOCKET);
        program.program().testRun(reply);
        assertThat(program.count(XdpVerdict.NO_SOCKET)).isEqualTo(before + 1);
    }

    @Test
    void keysAreLaidOutAsTheClassCommentSays()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment key = arena.allocate(VipRedirectProgram.KEY_LENGTH);
            key.fill((byte)0x5a);
            VipRedirectProgram.writeIpv6Key(key, VIP6.high(), VIP6.low(), 443, 6);
            assertThat(key.toArray(JAVA_BYTE)).containsExactly(
                0x20, 0x01, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00, 0x01, 0x01, (byte)0xbb, 6, 6);

            key.fill((byte)0x5a);
            VipRedirectProgram.writeIpv4Key(key, VIP, 53, 17);
            assertThat(key.toArray(JAVA_BYTE)).containsExactly(
                (byte)0xc6, 0x12, 0x01, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 53, 17, 4);
        }
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

    static byte[] udp6(final Address destination, final int port)
    {
        return Ipv6Frames.udp(CLIENT6, destination, 40000, port, new byte[8]);
    }

    static byte[] tcp6(final Address source, final int sourcePort, final Address destination, final int destinationPort)
    {
        return Ipv6Frames.tcp(source, destination, sourcePort, destinationPort);
    }

    /** An ICMPv6 message of the type (code 0) with 8 bytes after its header. */
    static byte[] icmpv6(final Address source, final Address destination, final int type)
    {
        return Ipv6Frames.icmpv6(source, destination, type, 0, new byte[8]);
    }

    /** The frame's first extension header claiming the most it can (2048 bytes), far past the frame's end. */
    static byte[] longOptions(final byte[] frame)
    {
        final byte[] copy = frame.clone();
        copy[14 + 40 + 1] = (byte)255;
        return copy;
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
