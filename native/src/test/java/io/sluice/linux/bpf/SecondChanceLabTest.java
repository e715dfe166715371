package io.sluice.linux.bpf;

import io.sluice.linux.bpf.DecapProgram.DecapVerdict;
import io.sluice.linux.bpf.Ipv6Frames.Address;
import io.sluice.linux.testing.Privileges;
import io.sluice.linux.testing.VethLab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static io.sluice.linux.bpf.GueFrames.ACK;
import static io.sluice.linux.bpf.GueFrames.IPV4_INSIDE;
import static io.sluice.linux.bpf.GueFrames.IPV6_INSIDE;
import static io.sluice.linux.bpf.GueFrames.gue;
import static io.sluice.linux.bpf.GueFrames.tcp;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The second chance decided by the kernel's sockets and FIB: BPF_PROG_TEST_RUN in veth-b's
 * namespace (the test run's packet arrives on that namespace's loopback, so the socket lookup and
 * the FIB are the namespace's). A TCP packet without SYN that no socket there owns, or that only
 * a listener would take, is sent on to the hop (to veth-b, where the hop's neighbour entry is):
 * outer destination, next_hop, outer checksum and MACs rewritten, nothing else; to a hop with no
 * neighbour entry yet it goes to the kernel re-addressed, its MACs as they were. One that an
 * established connection there owns, or whose hop the FIB cannot place, is decapsulated here.
 */
final class SecondChanceLabTest
{
    private static final int CLIENT = 0xC613_0007;
    private static final int VIP = 0xC612_0101;
    /** On veth-b's subnet, with a permanent neighbour entry. */
    private static final int HOP = VethLab.ADDRESS_B + 7;
    private static final long HOP_MAC = 0x0200_c612_fa09L;
    /** On veth-b's subnet, with no neighbour entry. */
    private static final int HOP_WITHOUT_NEIGHBOUR = VethLab.ADDRESS_B + 8;
    /** No route to it in the namespace. */
    private static final int UNROUTABLE_HOP = 0x0A63_0001;
    private static final int PORT = DecapProgram.DEFAULT_GUE_PORT;

    private static VethLab lab;
    private static DecapProgram program;

    @BeforeAll
    static void up()
    {
        Privileges.requireRootAndIp();
        lab = VethLab.create("second-chance");
        lab.ipIn(lab.namespaceB(), "neigh", "add", VethLab.ipv4(HOP), "lladdr", VethLab.mac(HOP_MAC), "dev", VethLab.INTERFACE_B,
            "nud", "permanent");
        // bpf_fib_lookup places packets only for an interface that forwards; the test run's is loopback.
        VethLab.run("ip", "netns", "exec", lab.namespaceB(), "sysctl", "-qw", "net.ipv4.conf.all.forwarding=1",
            "net.ipv4.conf.lo.forwarding=1");
        program = DecapProgram.load();
    }

    @AfterAll
    static void down()
    {
        if (program != null)
        {
            program.close();
        }
        if (lab != null)
        {
            lab.close();
        }
    }

    @Test
    void packetsNoSocketOwnsAreSentOnToTheHopWithOnlyTheirOuterHeaderAndMacsChanged()
    {
        final byte[] ack6 = Ipv6Frames.tcp(Address.of("2001:2:7::7"), Address.of("2001:2::1:1"), 40000, 80);
        ack6[14 + 40 + 13] = ACK;
        final byte[][] tunnelled = {
            gue(tcp(CLIENT, VIP, 40000, 80, ACK, "data".getBytes()), IPV4_INSIDE, VethLab.ADDRESS_B, PORT, 0, HOP),
            gue(ack6, IPV6_INSIDE, VethLab.ADDRESS_B, PORT, 0, HOP),
        };
        final long before = program.count(DecapVerdict.SENT_ON);
        for (final byte[] frame : tunnelled)
        {
            final TestRunResult result = testRunInB(frame);

            assertThat(result.action()).as("to veth-b, not the interface it came in on").isEqualTo(LoadedProgram.XDP_REDIRECT);
            assertSentOn(frame, result.packet());
        }
        assertThat(program.count(DecapVerdict.SENT_ON) - before).isEqualTo(tunnelled.length);
    }

    @Test
    void aPacketOnlyAListenerWouldTakeIsSentOnAndOneAConnectionOwnsIsTakenHere() throws Exception
    {
        final InetAddress address = InetAddress.getByName(VethLab.ipv4(VethLab.ADDRESS_B));
        try (ServerSocket listener = VethLab.inNamespace(lab.namespaceB(), () -> new ServerSocket(0, 8, address));
             Socket client = VethLab.inNamespace(lab.namespaceB(), () -> new Socket(address, listener.getLocalPort()));
             Socket accepted = listener.accept())
        {
            assertThat(accepted.isConnected()).isTrue();
            final int server = listener.getLocalPort();
            final byte[] owned = tcp(VethLab.ADDRESS_B, VethLab.ADDRESS_B, client.getLocalPort(), server, ACK, "data".getBytes());
            final byte[] listenerOnly = tcp(VethLab.ADDRESS_B, VethLab.ADDRESS_B, client.getLocalPort() ^ 1, server, ACK,
                new byte[0]);
            final long taken = program.count(DecapVerdict.GUE_DECAPSULATED);
            final long sentOn = program.count(DecapVerdict.SENT_ON);

            final TestRunResult local = testRunInB(gue(owned, IPV4_INSIDE, VethLab.ADDRESS_B, PORT, 0, HOP));
            final byte[] toListener = gue(listenerOnly, IPV4_INSIDE, VethLab.ADDRESS_B, PORT, 0, HOP);
            final TestRunResult onward = testRunInB(toListener);

            assertThat(local.action()).isEqualTo(LoadedProgram.XDP_PASS);
            assertThat(local.packet()).as("the established connection's packet, decapsulated").isEqualTo(owned);
            assertThat(program.count(DecapVerdict.GUE_DECAPSULATED) - taken).isOne();
            assertThat(onward.action()).isEqualTo(LoadedProgram.XDP_REDIRECT);
            assertSentOn(toListener, onward.packet());
            assertThat(program.count(DecapVerdict.SENT_ON) - sentOn).isOne();
        }
    }

    @Test
    void aHopWithNoNeighbourEntryYetIsLeftToTheKernelToForwardReaddressed()
    {
        final byte[] tunnelled = gue(tcp(CLIENT, VIP, 40000, 80, ACK, new byte[0]), IPV4_INSIDE, VethLab.ADDRESS_B, PORT, 0,
            HOP_WITHOUT_NEIGHBOUR);
        final long before = program.count(DecapVerdict.SENT_ON_BY_KERNEL);

        final TestRunResult result = testRunInB(tunnelled);

        assertThat(result.action()).isEqualTo(LoadedProgram.XDP_PASS);
        final ByteBuffer frame = ByteBuffer.wrap(tunnelled);
        assertSentOn(tunnelled, result.packet(), HOP_WITHOUT_NEIGHBOUR, frame.getLong(0) >>> 16, frame.getLong(6) >>> 16);
        assertThat(program.count(DecapVerdict.SENT_ON_BY_KERNEL) - before).isOne();
    }

    @Test
    void aHopTheFibCannotPlaceIsAMissAndTheInnerPacketIsTakenHere()
    {
        final byte[] inner = tcp(CLIENT, VIP, 40000, 80, ACK, new byte[0]);
        final long before = program.count(DecapVerdict.FIB_MISS);

        final TestRunResult result = testRunInB(gue(inner, IPV4_INSIDE, VethLab.ADDRESS_B, PORT, 0, UNROUTABLE_HOP));

        assertThat(result.action()).isEqualTo(LoadedProgram.XDP_PASS);
        assertThat(result.packet()).isEqualTo(inner);
        assertThat(program.count(DecapVerdict.FIB_MISS) - before).isOne();
    }

    private static TestRunResult testRunInB(final byte[] frame)
    {
        return VethLab.inNamespace(lab.namespaceB(), () -> program.program().testRunWithOutput(frame));
    }

    /** The frame as sent on: to the hop's MAC from veth-b's, outer destination the hop, next_hop 1, a valid checksum. */
    private static void assertSentOn(final byte[] tunnelled, final byte[] out)
    {
        assertSentOn(tunnelled, out, HOP, HOP_MAC, VethLab.MAC_B);
    }

    private static void assertSentOn(final byte[] tunnelled, final byte[] out, final int hop, final long destinationMac,
        final long sourceMac)
    {
        assertThat(out).hasSameSizeAs(tunnelled);
        final ByteBuffer frame = ByteBuffer.wrap(out);
        assertThat(frame.getLong(0) >>> 16).as("destination MAC").isEqualTo(destinationMac);
        assertThat(frame.getLong(6) >>> 16).as("source MAC").isEqualTo(sourceMac);
        assertThat(frame.getInt(GueFrames.OUTER_DESTINATION_OFFSET)).as("outer destination").isEqualTo(hop);
        assertThat(out[GueFrames.NEXT_HOP_OFFSET]).as("next_hop").isEqualTo((byte)1);
        assertThat(frame.getShort(GueFrames.OUTER_CHECKSUM_OFFSET)).as("outer checksum").isEqualTo(GueFrames.ipv4Checksum(out));
        final byte[] expected = tunnelled.clone();
        System.arraycopy(out, 0, expected, 0, 12);
        System.arraycopy(out, GueFrames.OUTER_DESTINATION_OFFSET, expected, GueFrames.OUTER_DESTINATION_OFFSET, 4);
        System.arraycopy(out, GueFrames.OUTER_CHECKSUM_OFFSET, expected, GueFrames.OUTER_CHECKSUM_OFFSET, 2);
        expected[GueFrames.NEXT_HOP_OFFSET] = 1;
        assertThat(out).as("nothing else changed").isEqualTo(expected);
        assertThat(Arrays.equals(tunnelled, out)).isFalse();
    }
}
