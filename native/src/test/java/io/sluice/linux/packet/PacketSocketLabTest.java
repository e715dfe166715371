package io.sluice.linux.packet;

import io.sluice.linux.LinuxException;
import io.sluice.linux.bpf.Ipv6Frames;
import io.sluice.linux.bpf.Ipv6Frames.Address;
import io.sluice.linux.testing.EthernetFrames;
import io.sluice.linux.testing.Privileges;
import io.sluice.linux.testing.VethLab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real frames through a real ring: namespace b sends UDP through veth to addresses routed via
 * namespace a, where a PacketSocket with the VIP filter reads them.
 */
@Tag("lab")
class PacketSocketLabTest
{
    private static final int VIP = 0xC612_FB0A;        // 198.18.251.10
    private static final int NOT_VIP = 0xC612_FB14;    // 198.18.251.20
    private static final int VLAN_VIP = 0xC612_F80A;   // 198.18.248.10, sent tagged
    private static final int VLAN_ID = 10;
    private static final int QINQ_ID = 20;
    private static final int PORT = 7000;
    /**
     * The tests send slowly and read afterwards, and at that pace every frame gets a block of its
     * own (the block timeout retires it): many small blocks, so nothing is dropped for lack of room.
     */
    private static final int SMALL_BLOCK = 16 * 1024;
    private static final int BLOCKS = 64;

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
    void vipFilterLetsOnlyVipFramesIntoTheRing()
    {
        try (PacketSocket socket = open(PacketSocketOptions.defaults()
            .withRing(SMALL_BLOCK, BLOCKS).withFilter(ClassicBpfProgram.ipv4DestinationFilter(new int[]{VIP}))))
        {
            sendFromB(NOT_VIP, PORT, "other-0", "other-1", "other-2");
            sendFromB(VIP, PORT, "vip-0", "vip-1", "vip-2", "vip-3");

            final List<RingFrames.Frame> frames = RingFrames.collect(socket, 4);

            assertThat(frames).extracting(f -> RingFrames.ipv4Destination(f.bytes())).containsOnly(VIP);
            assertThat(frames).extracting(f -> RingFrames.udpPayload(f.bytes()))
                .containsExactly("vip-0", "vip-1", "vip-2", "vip-3");
            assertThat(frames).allSatisfy(f ->
            {
                assertThat(RingFrames.destinationMac(f.bytes())).isEqualTo(VethLab.MAC_A);
                assertThat(RingFrames.sourceMac(f.bytes())).isEqualTo(VethLab.MAC_B);
                assertThat(f.wireLength()).isEqualTo(f.bytes().length);
                assertThat(f.vlanValid()).isFalse();
                assertThat(f.headroom()).isGreaterThanOrEqualTo(PacketSocketOptions.DEFAULT_HEADROOM_BYTES);
            });
            final PacketStatistics statistics = new PacketStatistics();
            socket.readStatistics(statistics);
            assertThat(statistics.packets()).isEqualTo(4);
            assertThat(statistics.drops()).isZero();
        }
    }

    /** The kernel takes the filter with both families (its own checker runs at attach) and runs it as the interpreter does. */
    @Test
    void vipFilterWithIpv6LetsIpv6VipFramesIntoTheRing()
    {
        final Address vip6 = Address.of("2001:2::fb:a");
        final Address other6 = Address.of("2001:2::fb:14");
        final Address client6 = Address.of("2001:2::fb:1");
        final ClassicBpfProgram filter = ClassicBpfProgram.vipFilter(
            new int[]{VIP}, new int[0], new int[0], new long[]{ vip6.high(), vip6.low() }, new long[0], new long[0]);
        try (PacketSocket socket = open(PacketSocketOptions.defaults().withRing(SMALL_BLOCK, BLOCKS).withFilter(filter)))
        {
            sendRawFromB(
                ipv6Frame(client6, other6, "v6-other"),
                ipv6Frame(client6, vip6, "v6-vip-0"),
                ipv6Frame(client6, vip6, "v6-vip-1"));
            sendFromB(VIP, PORT, "v4-vip");

            final List<RingFrames.Frame> frames = RingFrames.collect(socket, 3);

            assertThat(frames).extracting(f -> RingFrames.ethertype(f.bytes())).containsExactly(0x86DD, 0x86DD, 0x0800);
            assertThat(frames.subList(0, 2)).allSatisfy(f ->
                assertThat(Arrays.copyOfRange(f.bytes(), 38, 54)).isEqualTo(Arrays.copyOfRange(ipv6Frame(client6, vip6, ""), 38, 54)));
            assertThat(RingFrames.udpPayload(frames.get(2).bytes())).isEqualTo("v4-vip");
        }
    }

    @Test
    void replacingTheFilterChangesWhatArrives()
    {
        try (PacketSocket socket = open(PacketSocketOptions.defaults().withRing(SMALL_BLOCK, BLOCKS)))
        {
            sendFromB(VIP, PORT, "dropped-by-reject-all");
            socket.attachFilter(ClassicBpfProgram.ipv4DestinationFilter(new int[]{NOT_VIP}));
            sendFromB(VIP, PORT, "vip-not-anymore");
            sendFromB(NOT_VIP, PORT, "new-vip-0", "new-vip-1");

            final List<RingFrames.Frame> frames = RingFrames.collect(socket, 2);

            assertThat(frames).extracting(f -> RingFrames.udpPayload(f.bytes())).containsExactly("new-vip-0", "new-vip-1");
        }
    }

    /**
     * The lab kernel has no 802.1Q module, so namespace b sends tagged frames it built itself;
     * on receive the kernel moves the tag into metadata before packet sockets see the frame.
     */
    @Test
    void strippedVlanTagIsReportedWithItsTciAndTpid()
    {
        try (PacketSocket socket = open(PacketSocketOptions.defaults()
            .withRing(SMALL_BLOCK, BLOCKS).withFilter(ClassicBpfProgram.ipv4DestinationFilter(new int[]{VLAN_VIP}))))
        {
            sendRawFromB(
                EthernetFrames.udp(VethLab.MAC_A, VethLab.MAC_B, 0x8100, (5 << 13) | VLAN_ID,
                    VethLab.ADDRESS_B, VLAN_VIP, PORT, PORT, "dot1q".getBytes(StandardCharsets.US_ASCII)),
                EthernetFrames.udp(VethLab.MAC_A, VethLab.MAC_B, 0x88a8, QINQ_ID,
                    VethLab.ADDRESS_B, VLAN_VIP, PORT, PORT, "dot1ad".getBytes(StandardCharsets.US_ASCII)));

            final List<RingFrames.Frame> frames = RingFrames.collect(socket, 2);

            assertThat(frames).hasSize(2);
            final RingFrames.Frame dot1q = frames.get(0);
            assertThat(dot1q.vlanValid()).isTrue();
            assertThat(dot1q.vlanTci()).isEqualTo((5 << 13) | VLAN_ID);
            assertThat(dot1q.vlanTpid()).isEqualTo(0x8100);
            assertThat(RingFrames.ethertype(dot1q.bytes())).isEqualTo(0x0800);
            assertThat(RingFrames.ipv4Destination(dot1q.bytes())).isEqualTo(VLAN_VIP);
            assertThat(RingFrames.udpPayload(dot1q.bytes())).isEqualTo("dot1q");
            final RingFrames.Frame dot1ad = frames.get(1);
            assertThat(dot1ad.vlanValid()).isTrue();
            assertThat(dot1ad.vlanTci()).isEqualTo(QINQ_ID);
            assertThat(dot1ad.vlanTpid()).isEqualTo(0x88a8);
            assertThat(RingFrames.udpPayload(dot1ad.bytes())).isEqualTo("dot1ad");
        }
    }

    @Test
    void fanoutKeepsEachFlowOnOneSocket()
    {
        final PacketSocketOptions options = PacketSocketOptions.defaults().withRing(SMALL_BLOCK, BLOCKS)
            .withFilter(ClassicBpfProgram.ipv4DestinationFilter(new int[]{VIP})).withFanoutGroupId(4242);
        try (PacketSocket first = open(options); PacketSocket second = open(options))
        {
            final int flows = 16;
            for (int round = 0; round < 2; round++)
            {
                for (int flow = 0; flow < flows; flow++)
                {
                    sendFromB(VIP, PORT + flow, "flow-" + flow);
                }
            }

            final Map<String, Integer> socketOfPayload = new HashMap<>();
            final Map<String, Integer> copies = new HashMap<>();
            int received = 0;
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (received < 2 * flows && System.nanoTime() < deadline)
            {
                received += drainInto(first, 1, socketOfPayload, copies);
                received += drainInto(second, 2, socketOfPayload, copies);
            }

            assertThat(received).as("frames received, copies per payload %s", copies).isEqualTo(2 * flows);
            assertThat(copies).hasSize(flows).allSatisfy((payload, count) -> assertThat(count).isEqualTo(2));
        }
    }

    @Test
    void unknownInterfaceIsANamedError()
    {
        assertThatThrownBy(() -> VethLab.inNamespace(lab.namespaceA(), () -> PacketSocket.open("sluice-nope0")))
            .isInstanceOf(LinuxException.class)
            .hasMessage("ioctl(SIOCGIFINDEX, sluice-nope0): No such device (errno 19)");
    }

    @Test
    void reportsTheInterfacesIdentity()
    {
        try (PacketSocket socket = open(PacketSocketOptions.defaults().withRing(16 * 1024, 2)))
        {
            assertThat(socket.ifIndex()).isPositive();
            assertThat(socket.macAddress()).isEqualTo(VethLab.MAC_A);
            assertThat(socket.mtu()).isEqualTo(1500);
            assertThat(socket.ringLength()).isEqualTo(32 * 1024);
            assertThat(socket.ring().address()).isEqualTo(socket.ringAddress());
            assertThat(socket.nextBlockReady()).isFalse();
        }
    }

    /** Counts frames, remembering which socket each payload landed on; fails if one flow landed on both. */
    private static int drainInto(
        final PacketSocket socket, final int socketId, final Map<String, Integer> socketOfPayload, final Map<String, Integer> copies)
    {
        final List<RingFrames.Frame> frames = new java.util.ArrayList<>();
        if (socket.awaitBlock(20) == 1)
        {
            RingFrames.drainBlock(socket, frames);
        }
        for (final RingFrames.Frame frame : frames)
        {
            final String payload = RingFrames.udpPayload(frame.bytes());
            final Integer previous = socketOfPayload.putIfAbsent(payload, socketId);
            assertThat(previous == null ? socketId : previous).as("socket of flow %s", payload).isEqualTo(socketId);
            copies.merge(payload, 1, Integer::sum);
        }
        return frames.size();
    }

    private static PacketSocket open(final PacketSocketOptions options)
    {
        return VethLab.inNamespace(lab.namespaceA(), () -> PacketSocket.open(VethLab.INTERFACE_A, options));
    }

    /** An IPv6 UDP frame from b's MAC to a's. */
    private static byte[] ipv6Frame(final Address source, final Address destination, final String payload)
    {
        final byte[] frame = Ipv6Frames.udp(source, destination, PORT, PORT, payload.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 6; i++)
        {
            frame[i] = (byte)(VethLab.MAC_A >>> (40 - 8 * i));
            frame[6 + i] = (byte)(VethLab.MAC_B >>> (40 - 8 * i));
        }
        return frame;
    }

    private static void sendRawFromB(final byte[]... frames)
    {
        VethLab.inNamespace(lab.namespaceB(), () ->
        {
            try (PacketBatchSender sender = PacketBatchSender.open(VethLab.INTERFACE_B, 8); Arena arena = Arena.ofConfined())
            {
                for (final byte[] frame : frames)
                {
                    final MemorySegment copy = arena.allocateFrom(JAVA_BYTE, frame);
                    assertThat(sender.add(copy.address(), frame.length)).isTrue();
                }
                assertThat(sender.flush()).isEqualTo(frames.length);
            }
            return null;
        });
    }

    private static void sendFromB(final int destination, final int port, final String... payloads)
    {
        VethLab.inNamespace(lab.namespaceB(), () ->
        {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(port)))
            {
                final InetAddress address = InetAddress.getByName(VethLab.ipv4(destination));
                for (final String payload : payloads)
                {
                    final byte[] bytes = payload.getBytes(StandardCharsets.US_ASCII);
                    udp.send(new DatagramPacket(bytes, bytes.length, address, port));
                }
            }
            return null;
        });
    }
}
