package io.sluice.linux.bpf;

import io.sluice.linux.packet.PacketBatchSender;
import io.sluice.linux.testing.EthernetFrames;
import io.sluice.linux.testing.Privileges;
import io.sluice.linux.testing.VethLab;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a host whose kernel has no ipip module, an IPv4-in-IPv4 datagram is lost; with the decap
 * program attached the inner datagram reaches a plain UDP socket, with the client's address.
 */
final class DecapLabTest
{
    private static final int CLIENT = 0xC612_FA07;
    private static final int PORT = 5353;

    @ParameterizedTest
    @EnumSource(XdpMode.class)
    void theInnerDatagramReachesASocketWithTheClientsAddress(final XdpMode mode) throws Exception
    {
        Privileges.requireRootAndIp();
        try (VethLab lab = VethLab.create("decap"); DecapProgram program = DecapProgram.load())
        {
            final byte[] inner = EthernetFrames.udp(VethLab.MAC_B, VethLab.MAC_A, CLIENT, VethLab.ADDRESS_B, 40000, PORT,
                "through the tunnel".getBytes(StandardCharsets.US_ASCII));
            final byte[] tunnelled = DecapProgramTest.encapsulate(inner, 0x4500, 0, VethLab.ADDRESS_B);
            final DatagramChannel socket = VethLab.inNamespace(lab.namespaceB(), () ->
            {
                final DatagramChannel channel = DatagramChannel.open();
                channel.bind(new InetSocketAddress(InetAddress.getByName(VethLab.ipv4(VethLab.ADDRESS_B)), PORT));
                channel.configureBlocking(false);
                return channel;
            });
            try (socket)
            {
                send(lab, tunnelled);
                assertThat(receive(socket, 500)).as("without decap the kernel drops it").isNull();

                final XdpLink link = VethLab.inNamespace(lab.namespaceB(), () ->
                    XdpLink.attach(program.program(), BpfTestSupport.ifIndex(VethLab.INTERFACE_B), VethLab.INTERFACE_B, mode));
                try (link)
                {
                    send(lab, tunnelled);
                    final ByteBuffer received = ByteBuffer.allocate(64);
                    final InetSocketAddress from = receiveInto(socket, received, 5_000);
                    assertThat(from).as("a datagram arrived").isNotNull();
                    assertThat(from.getAddress().getHostAddress()).as("the client's address").isEqualTo(VethLab.ipv4(CLIENT));
                    assertThat(new String(received.array(), 0, received.position(), StandardCharsets.US_ASCII))
                        .isEqualTo("through the tunnel");
                    assertThat(program.count(DecapProgram.DecapVerdict.DECAPSULATED)).isOne();
                }
            }
        }
    }

    private static void send(final VethLab lab, final byte[] frame)
    {
        VethLab.inNamespace(lab.namespaceA(), () ->
        {
            try (PacketBatchSender sender = PacketBatchSender.open(VethLab.INTERFACE_A, 8); Arena arena = Arena.ofConfined())
            {
                final MemorySegment copy = arena.allocateFrom(JAVA_BYTE, frame);
                assertThat(sender.add(copy.address(), frame.length)).isTrue();
                assertThat(sender.flush()).isOne();
            }
            return null;
        });
    }

    private static String receive(final DatagramChannel socket, final long waitMs) throws Exception
    {
        final ByteBuffer buffer = ByteBuffer.allocate(64);
        return receiveInto(socket, buffer, waitMs) == null ? null : new String(buffer.array(), 0, buffer.position());
    }

    private static InetSocketAddress receiveInto(final DatagramChannel socket, final ByteBuffer buffer, final long waitMs)
        throws Exception
    {
        final long deadline = System.nanoTime() + waitMs * 1_000_000;
        while (System.nanoTime() < deadline)
        {
            final InetSocketAddress from = (InetSocketAddress)socket.receive(buffer);
            if (from != null)
            {
                return from;
            }
            Thread.sleep(5);
        }
        return null;
    }
}
