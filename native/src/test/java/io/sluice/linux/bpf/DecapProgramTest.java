package io.sluice.linux.bpf;

import io.sluice.linux.bpf.DecapProgram.DecapVerdict;
import io.sluice.linux.bpf.Ipv6Frames.Address;
import io.sluice.linux.testing.EthernetFrames;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Golden frames through the decap program, run by the kernel with BPF_PROG_TEST_RUN. */
final class DecapProgramTest
{
    private static final long DST_MAC = 0x0200_c612_000bL;
    private static final long SRC_MAC = 0x0200_c612_0002L;
    private static final int CLIENT = 0xC613_0007;
    private static final int VIP = 0xC612_0101;
    private static final int OUTER_SOURCE = 0xAC10_0001;
    private static final int REAL = 0xC612_000B;
    private static final Address CLIENT6 = Address.of("2001:2:7::7");
    private static final Address VIP6 = Address.of("2001:2::1:1");
    private static final Address OUTER_SOURCE6 = Address.of("2001:2:ac10::1");
    private static final Address REAL6 = Address.of("2001:2::b");
    private static final int IPV4_INSIDE = 4;
    private static final int IPV6_INSIDE = 41;

    private static DecapProgram program;

    @BeforeAll
    static void load()
    {
        Privileges.require(Privileges.isRoot(), "needs root for bpf(2) (run the tests with sudo ./sluice test)");
        program = DecapProgram.load();
    }

    @AfterAll
    static void unload()
    {
        if (program != null)
        {
            program.close();
        }
    }

    @Test
    void anIpInIpPacketLeavesAsTheInnerPacketWithTheSameMacs()
    {
        final byte[] inner = EthernetFrames.udp(DST_MAC, SRC_MAC, CLIENT, VIP, 40000, 53, "inner payload".getBytes());
        final long before = program.count(DecapVerdict.DECAPSULATED);

        final TestRunResult result = program.program().testRunWithOutput(encapsulate(inner, 0x4500, 0));

        assertThat(result.action()).isEqualTo(LoadedProgram.XDP_PASS);
        assertThat(result.packet()).as("the inner frame, byte for byte").isEqualTo(inner);
        assertThat(program.count(DecapVerdict.DECAPSULATED) - before).isOne();
    }

    @Test
    void everythingElsePassesUntouched()
    {
        final byte[] inner = EthernetFrames.udp(DST_MAC, SRC_MAC, CLIENT, VIP, 40000, 53, new byte[8]);
        final byte[] withOptions = encapsulate(inner, 0x4500, 0);
        withOptions[14] = 0x46;
        final byte[][] passed = {
            inner,                                     // plain UDP
            encapsulate(inner, 0x4500, 0x2000),        // a fragment of a tunnelled packet
            withOptions,                               // an outer header with options
        };
        final long before = program.count(DecapVerdict.PASSED);
        for (final byte[] frame : passed)
        {
            final TestRunResult result = program.program().testRunWithOutput(frame);
            assertThat(result.action()).isEqualTo(LoadedProgram.XDP_PASS);
            assertThat(result.packet()).isEqualTo(frame);
        }
        assertThat(program.count(DecapVerdict.PASSED) - before).isEqualTo(passed.length);

        final long malformed = program.count(DecapVerdict.MALFORMED);
        final byte[] cut = Arrays.copyOf(encapsulate(inner, 0x4500, 0), 14 + 20 + 10);
        assertThat(program.program().testRunWithOutput(cut).packet()).as("too short for the inner header").isEqualTo(cut);
        assertThat(program.count(DecapVerdict.MALFORMED) - malformed).isOne();
    }

    @Test
    void anIpv6InIpv6PacketLeavesAsTheInnerPacket()
    {
        final byte[] inner = Ipv6Frames.udp(CLIENT6, VIP6, 40000, 53, "inner payload".getBytes());
        final long before = program.count(DecapVerdict.DECAPSULATED);

        final TestRunResult result = program.program().testRunWithOutput(encapsulate6(inner, IPV6_INSIDE));

        assertThat(result.action()).isEqualTo(LoadedProgram.XDP_PASS);
        assertThat(result.packet()).as("the inner frame, byte for byte").isEqualTo(inner);
        assertThat(program.count(DecapVerdict.DECAPSULATED) - before).isOne();
    }

    @Test
    void anIpv4InIpv6PacketLeavesAsTheInnerPacketWithTheIpv4EtherType()
    {
        final byte[] inner = EthernetFrames.udp(DST_MAC, SRC_MAC, CLIENT, VIP, 40000, 53, "inner payload".getBytes());
        final byte[] tunnelled = encapsulate6(inner, IPV4_INSIDE);
        assertThat(tunnelled[12]).as("the outer frame's EtherType is IPv6's").isEqualTo((byte)0x86);
        final long before = program.count(DecapVerdict.DECAPSULATED);

        final TestRunResult result = program.program().testRunWithOutput(tunnelled);

        assertThat(result.action()).isEqualTo(LoadedProgram.XDP_PASS);
        assertThat(result.packet()).as("the inner frame, EtherType 0x0800, byte for byte").isEqualTo(inner);
        assertThat(program.count(DecapVerdict.DECAPSULATED) - before).isOne();
    }

    @Test
    void ipv6ThatIsNoTunnelThisProgramTakesPassesUntouched()
    {
        final byte[] inner = Ipv6Frames.udp(CLIENT6, VIP6, 40000, 53, new byte[8]);
        final byte[] notVersion6 = encapsulate6(inner, IPV6_INSIDE);
        notVersion6[14] = 0x40;
        final byte[][] passed = {
            inner,                                                                   // plain UDP over IPv6
            Ipv6Frames.icmpv6(CLIENT6, REAL6, 135, 0, new byte[20]),                  // neighbour solicitation
            Ipv6Frames.withExtensionHeader(encapsulate6(inner, IPV6_INSIDE), Ipv6Frames.DESTINATION_OPTIONS),
            Ipv6Frames.withExtensionHeader(encapsulate6(inner, IPV6_INSIDE), Ipv6Frames.FRAGMENT),
            notVersion6,                                                             // IPv6 EtherType, version 4
            encapsulate6(inner, 47),                                                 // GRE
        };
        final long before = program.count(DecapVerdict.PASSED);
        for (final byte[] frame : passed)
        {
            final TestRunResult result = program.program().testRunWithOutput(frame);
            assertThat(result.action()).isEqualTo(LoadedProgram.XDP_PASS);
            assertThat(result.packet()).isEqualTo(frame);
        }
        assertThat(program.count(DecapVerdict.PASSED) - before).isEqualTo(passed.length);
    }

    @Test
    void ipv6TunnelsTooShortForTheirInnerHeaderAreMalformedAndUntouched()
    {
        final byte[][] cut = {
            Arrays.copyOf(encapsulate6(Ipv6Frames.udp(CLIENT6, VIP6, 40000, 53, new byte[8]), IPV6_INSIDE), 14 + 40 + 39),
            Arrays.copyOf(encapsulate6(EthernetFrames.udp(DST_MAC, SRC_MAC, CLIENT, VIP, 40000, 53, new byte[8]), IPV4_INSIDE),
                14 + 40 + 19),
            Arrays.copyOf(Ipv6Frames.udp(CLIENT6, VIP6, 40000, 53, new byte[8]), 14 + 39),   // inside the outer header
        };
        final long before = program.count(DecapVerdict.MALFORMED);
        for (final byte[] frame : cut)
        {
            final TestRunResult result = program.program().testRunWithOutput(frame);
            assertThat(result.action()).isEqualTo(LoadedProgram.XDP_PASS);
            assertThat(result.packet()).isEqualTo(frame);
        }
        assertThat(program.count(DecapVerdict.MALFORMED) - before).isEqualTo(cut.length);
    }

    /** The frame's IP packet inside an outer IPv6 header (to the real) with this next header, the MACs kept. */
    static byte[] encapsulate6(final byte[] inner, final int nextHeader)
    {
        final ByteBuffer frame = ByteBuffer.allocate(inner.length + 40)
            .put(inner, 0, 12)
            .putShort((short)0x86DD)
            .putInt(0x6000_0000)
            .putShort((short)(inner.length - 14)).put((byte)nextHeader).put((byte)64)
            .putLong(OUTER_SOURCE6.high()).putLong(OUTER_SOURCE6.low())
            .putLong(REAL6.high()).putLong(REAL6.low())
            .put(inner, 14, inner.length - 14);
        return frame.array();
    }

    /** The frame with an outer IPv4 header (protocol 4, to the real) after its Ethernet header. */
    static byte[] encapsulate(final byte[] inner, final int versionIhlTos, final int flagsFragment)
    {
        return encapsulate(inner, versionIhlTos, flagsFragment, REAL);
    }

    static byte[] encapsulate(final byte[] inner, final int versionIhlTos, final int flagsFragment, final int outerDestination)
    {
        final byte[] frame = new byte[inner.length + 20];
        System.arraycopy(inner, 0, frame, 0, 14);
        System.arraycopy(inner, 14, frame, 34, inner.length - 14);
        final int totalLength = inner.length - 14 + 20;
        final int[] words = { versionIhlTos << 16 | totalLength, flagsFragment, 64 << 24 | 4 << 16, OUTER_SOURCE, outerDestination };
        for (int i = 0; i < words.length; i++)
        {
            for (int b = 0; b < 4; b++)
            {
                frame[14 + i * 4 + b] = (byte)(words[i] >>> (24 - 8 * b));
            }
        }
        int sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            sum += (frame[14 + i] & 0xFF) << 8 | frame[15 + i] & 0xFF;
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        frame[24] = (byte)(~sum >>> 8);
        frame[25] = (byte)~sum;
        return frame;
    }
}
