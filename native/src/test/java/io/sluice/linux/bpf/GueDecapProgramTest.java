package io.sluice.linux.bpf;

import io.sluice.linux.bpf.DecapProgram.DecapVerdict;
import io.sluice.linux.bpf.Ipv6Frames.Address;
import io.sluice.linux.testing.EthernetFrames;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.sluice.linux.bpf.GueFrames.ACK;
import static io.sluice.linux.bpf.GueFrames.IPV4_INSIDE;
import static io.sluice.linux.bpf.GueFrames.IPV6_INSIDE;
import static io.sluice.linux.bpf.GueFrames.SYN;
import static io.sluice.linux.bpf.GueFrames.gue;
import static io.sluice.linux.bpf.GueFrames.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Golden GUE frames through the decap program (BPF_PROG_TEST_RUN): what is taken here without
 * asking for a socket, and what is malformed. What a socket lookup decides is SecondChanceLabTest's.
 */
final class GueDecapProgramTest
{
    private static final long DST_MAC = 0x0200_c612_000bL;
    private static final long SRC_MAC = 0x0200_c612_0002L;
    private static final int CLIENT = 0xC613_0007;
    private static final int VIP = 0xC612_0101;
    private static final int REAL = 0xC612_000B;
    private static final int SECONDARY = 0xC612_000C;
    private static final int PORT = DecapProgram.DEFAULT_GUE_PORT;

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
    void gueLeavesAsTheInnerFrameByteForByte()
    {
        final byte[] udp = EthernetFrames.udp(DST_MAC, SRC_MAC, CLIENT, VIP, 40000, 53, "inner payload".getBytes());
        final byte[] udp6 = Ipv6Frames.udp(Address.of("2001:2:7::7"), Address.of("2001:2::1:1"), 40000, 53, new byte[9]);
        final byte[][][] innerAndTunnelled = {
            { udp, gue(udp, IPV4_INSIDE, REAL, PORT, 0) },                  // no hop: hlen 1
            { udp, gue(udp, IPV4_INSIDE, REAL, PORT, 0, SECONDARY) },       // UDP is always taken here
            { udp6, gue(udp6, IPV6_INSIDE, REAL, PORT, 0, SECONDARY) },     // IPv6 inside
        };
        final long before = program.count(DecapVerdict.GUE_DECAPSULATED);
        for (final byte[][] pair : innerAndTunnelled)
        {
            final TestRunResult result = program.program().testRunWithOutput(pair[1]);
            assertThat(result.action()).isEqualTo(LoadedProgram.XDP_PASS);
            assertThat(result.packet()).as("the inner frame, its EtherType included").isEqualTo(pair[0]);
        }
        assertThat(program.count(DecapVerdict.GUE_DECAPSULATED) - before).isEqualTo(innerAndTunnelled.length);
    }

    @Test
    void aSynAndAPacketWithNoHopLeftAreTakenHere()
    {
        final byte[] syn = tcp(CLIENT, VIP, 40000, 80, SYN, new byte[0]);
        final byte[] ack = tcp(CLIENT, VIP, 40000, 80, ACK, "data".getBytes());
        final byte[][][] innerAndTunnelled = {
            { syn, gue(syn, IPV4_INSIDE, REAL, PORT, 0, SECONDARY) },
            { ack, gue(ack, IPV4_INSIDE, REAL, PORT, 1, SECONDARY) },    // next_hop == hop_count: no loops
            { ack, gue(ack, IPV4_INSIDE, REAL, PORT, 0) },               // second chance off: no hops
        };
        final long before = program.count(DecapVerdict.GUE_DECAPSULATED);
        final long sentOn = program.count(DecapVerdict.SENT_ON);
        for (final byte[][] pair : innerAndTunnelled)
        {
            final TestRunResult result = program.program().testRunWithOutput(pair[1]);
            assertThat(result.action()).isEqualTo(LoadedProgram.XDP_PASS);
            assertThat(result.packet()).isEqualTo(pair[0]);
        }
        assertThat(program.count(DecapVerdict.GUE_DECAPSULATED) - before).isEqualTo(innerAndTunnelled.length);
        assertThat(program.count(DecapVerdict.SENT_ON) - sentOn).isZero();
    }

    @Test
    void udpToAnotherPortAndGueThisProgramDoesNotKnowPassUntouched()
    {
        final byte[] inner = EthernetFrames.udp(DST_MAC, SRC_MAC, CLIENT, VIP, 40000, 53, new byte[8]);
        final byte[] version1 = gue(inner, IPV4_INSIDE, REAL, PORT, 0);
        version1[14 + 28] |= 0x40;
        final byte[] withFlags = gue(inner, IPV4_INSIDE, REAL, PORT, 0);
        withFlags[14 + 28 + 2] = (byte)0x80;
        final byte[][] passed = {
            gue(inner, IPV4_INSIDE, REAL, PORT + 1, 0),     // not the GUE port
            gue(inner, 47, REAL, PORT, 0),                  // GRE inside
            version1,
            withFlags,
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
    void shortOrInconsistentGueIsMalformedAndUntouched()
    {
        final byte[] ack = tcp(CLIENT, VIP, 40000, 80, ACK, new byte[0]);
        final byte[] tunnelled = gue(ack, IPV4_INSIDE, REAL, PORT, 0, SECONDARY);
        final byte[] hopCountBeyondHlen = tunnelled.clone();
        hopCountBeyondHlen[GueFrames.NEXT_HOP_OFFSET + 1] = 2;
        final byte[][] malformed = {
            Arrays.copyOf(tunnelled, 14 + 20 + 8 + 2),          // inside the GUE header
            Arrays.copyOf(tunnelled, 14 + 20 + 8 + 4 + 6),      // inside the private words
            Arrays.copyOf(tunnelled, tunnelled.length - 21),    // inside the inner IPv4 header
            hopCountBeyondHlen,
        };
        final long before = program.count(DecapVerdict.MALFORMED);
        for (final byte[] frame : malformed)
        {
            final TestRunResult result = program.program().testRunWithOutput(frame);
            assertThat(result.action()).isEqualTo(LoadedProgram.XDP_PASS);
            assertThat(result.packet()).isEqualTo(frame);
        }
        assertThat(program.count(DecapVerdict.MALFORMED) - before).isEqualTo(malformed.length);
    }

    @Test
    void aPortThatIsNoPortIsRefused()
    {
        for (final int port : new int[]{ 0, 65536, -1 })
        {
            assertThatThrownBy(() -> DecapProgram.load(port))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a port");
        }
    }
}
