package io.sluice.linux.packet;

import io.sluice.linux.testing.EthernetFrames;
import io.sluice.linux.testing.Privileges;
import io.sluice.linux.testing.VethLab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;

/** Frames sent with sendmmsg from namespace a arrive at a plain UDP socket in namespace b. */
@Tag("lab")
class PacketBatchSenderLabTest
{
    private static final int VIP = 0xC612_FB0A;        // 198.18.251.10, routed from b via a
    private static final int RECEIVER_PORT = 9200;
    private static final int RECEIVE_TIMEOUT_MS = 10_000;

    private static VethLab lab;

    @BeforeAll
    static void createLab()
    {
        Privileges.requireRootAndIp();
        lab = VethLab.create("nt");
        lab.ipIn(lab.namespaceB(), "route", "add", "198.18.251.0/24", "via", VethLab.ipv4(VethLab.ADDRESS_A));
    }

    @AfterAll
    static void deleteLab()
    {
        if (lab != null)
        {
            lab.close();
        }
    }

    @Test
    void oneFlushSendsEveryQueuedFrame() throws IOException
    {
        try (DatagramSocket receiver = receiverInB())
        {
            final int sent = VethLab.inNamespace(lab.namespaceA(), () ->
            {
                try (PacketBatchSender sender = PacketBatchSender.open(VethLab.INTERFACE_A, 8); Arena arena = Arena.ofConfined())
                {
                    for (int i = 0; i < 5; i++)
                    {
                        final byte[] frame = EthernetFrames.udp(VethLab.MAC_B, VethLab.MAC_A, VethLab.ADDRESS_A,
                            VethLab.ADDRESS_B, 5555, RECEIVER_PORT, ("batch-" + i).getBytes(StandardCharsets.US_ASCII));
                        final MemorySegment copy = arena.allocateFrom(JAVA_BYTE, frame);
                        assertThat(sender.add(copy.address(), frame.length)).isTrue();
                    }
                    assertThat(sender.pending()).isEqualTo(5);
                    final int count = sender.flush();
                    assertThat(sender.pending()).isZero();
                    assertThat(sender.failedTotal()).isZero();
                    return count;
                }
            });

            assertThat(sent).isEqualTo(5);
            assertThat(receive(receiver, 5)).containsExactly("batch-0", "batch-1", "batch-2", "batch-3", "batch-4");
        }
    }

    @Test
    void aFullBatchRefusesMoreUntilFlushed()
    {
        VethLab.inNamespace(lab.namespaceA(), () ->
        {
            try (PacketBatchSender sender = PacketBatchSender.open(VethLab.INTERFACE_A, 2); Arena arena = Arena.ofConfined())
            {
                final byte[] frame = EthernetFrames.udp(VethLab.MAC_B, VethLab.MAC_A, VethLab.ADDRESS_A,
                    VethLab.ADDRESS_B, 5555, 9, new byte[4]);
                final MemorySegment copy = arena.allocateFrom(JAVA_BYTE, frame);
                assertThat(sender.add(copy.address(), frame.length)).isTrue();
                assertThat(sender.add(copy.address(), frame.length)).isTrue();
                assertThat(sender.add(copy.address(), frame.length)).isFalse();
                assertThat(sender.pending()).isEqualTo(2);
                assertThat(sender.flush()).isEqualTo(2);
                assertThat(sender.add(copy.address(), frame.length)).isTrue();
            }
            return null;
        });
    }

    @Test
    void aFrameTheKernelRefusesIsCountedAndTheRestAreSent() throws IOException
    {
        try (DatagramSocket receiver = receiverInB())
        {
            final int[] result = VethLab.inNamespace(lab.namespaceA(), () ->
            {
                try (PacketBatchSender sender = PacketBatchSender.open(VethLab.INTERFACE_A, 8); Arena arena = Arena.ofConfined())
                {
                    final byte[] good = EthernetFrames.udp(VethLab.MAC_B, VethLab.MAC_A, VethLab.ADDRESS_A,
                        VethLab.ADDRESS_B, 5555, RECEIVER_PORT, "after-the-bad-one".getBytes(StandardCharsets.US_ASCII));
                    final MemorySegment tooLong = arena.allocate(9000);
                    final MemorySegment goodCopy = arena.allocateFrom(JAVA_BYTE, good);
                    sender.add(tooLong.address(), (int)tooLong.byteSize());
                    sender.add(goodCopy.address(), good.length);
                    return new int[]{sender.flush(), sender.lastErrno(), (int)sender.failedTotal()};
                }
            });

            assertThat(result[0]).as("sent").isEqualTo(1);
            assertThat(result[1]).as("errno").isEqualTo(io.sluice.linux.Errno.EMSGSIZE);
            assertThat(result[2]).as("failed").isEqualTo(1);
            assertThat(receive(receiver, 1)).containsExactly("after-the-bad-one");
        }
    }

    /** The forwarder's pattern: rewrite a frame in the RX ring, send it from there, then release the block. */
    @Test
    void forwardsFramesStraightFromTheRing() throws IOException
    {
        try (DatagramSocket receiver = receiverInB();
             PacketSocket socket = VethLab.inNamespace(lab.namespaceA(), () -> PacketSocket.open(VethLab.INTERFACE_A,
                 PacketSocketOptions.defaults().withRing(16 * 1024, 16)
                     .withFilter(ClassicBpfProgram.ipv4DestinationFilter(new int[]{VIP}))));
             PacketBatchSender sender = PacketBatchSender.over(socket, 16))
        {
            sendFromB(VIP, "ring-0", "ring-1", "ring-2");

            int forwarded = 0;
            final long deadline = System.nanoTime() + RECEIVE_TIMEOUT_MS * 1_000_000L;
            while (forwarded < 3 && System.nanoTime() < deadline)
            {
                if (socket.awaitBlock(50) == 0)
                {
                    continue;
                }
                int frame = socket.firstFrameOffset();
                for (int i = 0, n = socket.blockPacketCount(); i < n; i++)
                {
                    final int mac = socket.macOffset(frame);
                    rewriteTowardsB(socket.ring(), mac);
                    assertThat(sender.add(socket.ringAddress() + mac, socket.snapLength(frame))).isTrue();
                    frame = socket.nextFrameOffset(frame);
                }
                forwarded += sender.flush();
                socket.releaseBlock();
            }

            assertThat(forwarded).isEqualTo(3);
            assertThat(receive(receiver, 3)).containsExactly("ring-0", "ring-1", "ring-2");
        }
    }

    /** DSR-like MAC rewrite plus new addresses (a → b) so b's stack accepts it; fixes the IP checksum, zeroes UDP's. */
    private static void rewriteTowardsB(final MemorySegment ring, final int mac)
    {
        final java.lang.foreign.ValueLayout.OfInt networkInt = JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN).withByteAlignment(1);
        final java.lang.foreign.ValueLayout.OfShort networkShort = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN).withByteAlignment(1);
        ring.set(networkInt, mac, (int)(VethLab.MAC_B >>> 16));
        ring.set(networkShort, mac + 4, (short)VethLab.MAC_B);
        ring.set(networkShort, mac + 6, (short)(VethLab.MAC_A >>> 32));
        ring.set(networkInt, mac + 8, (int)VethLab.MAC_A);
        final int ip = mac + 14;
        ring.set(networkInt, ip + 12, VethLab.ADDRESS_A);
        ring.set(networkInt, ip + 16, VethLab.ADDRESS_B);
        ring.set(networkShort, ip + 10, (short)0);
        int sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            sum += ring.get(networkShort, ip + i) & 0xFFFF;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        ring.set(networkShort, ip + 10, (short)~sum);
        ring.set(networkShort, ip + 20 + 6, (short)0);
    }

    private static DatagramSocket receiverInB()
    {
        return VethLab.inNamespace(lab.namespaceB(), () ->
        {
            final DatagramSocket socket = new DatagramSocket(
                new InetSocketAddress(InetAddress.getByName(VethLab.ipv4(VethLab.ADDRESS_B)), RECEIVER_PORT));
            socket.setSoTimeout(RECEIVE_TIMEOUT_MS);
            return socket;
        });
    }

    private static List<String> receive(final DatagramSocket socket, final int count) throws IOException
    {
        final List<String> payloads = new ArrayList<>();
        final byte[] buffer = new byte[2048];
        for (int i = 0; i < count; i++)
        {
            final DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            socket.receive(packet);
            payloads.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII));
        }
        return payloads;
    }

    private static void sendFromB(final int destination, final String... payloads)
    {
        VethLab.inNamespace(lab.namespaceB(), () ->
        {
            try (DatagramSocket udp = new DatagramSocket())
            {
                final InetAddress address = InetAddress.getByName(VethLab.ipv4(destination));
                for (final String payload : payloads)
                {
                    final byte[] bytes = payload.getBytes(StandardCharsets.US_ASCII);
                    udp.send(new DatagramPacket(bytes, bytes.length, address, RECEIVER_PORT));
                }
            }
            return null;
        });
    }
}
