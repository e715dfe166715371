package io.sluice.forwarder.worker;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.config.VipSpec;
import io.sluice.forwarder.counters.CounterTypes;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.dataplane.DropReason;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.golden.PacketBuilder;
import io.sluice.forwarder.maglev.MaglevTable;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.ForwardingTablePublisher;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;
import io.sluice.linux.packet.ClassicBpfProgram;
import io.sluice.linux.packet.PacketBatchSender;
import io.sluice.linux.packet.PacketSocket;
import io.sluice.linux.packet.PacketSocketOptions;
import io.sluice.linux.testing.Privileges;
import io.sluice.linux.testing.VethLab;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One {@link PacketWorkerAgent} forwarding real packets between two namespaces:
 *
 * <pre>
 *  namespace a: the forwarder                     namespace b: client and real at once
 *  veth-a 198.18.250.1  ring ─ worker ─ sendmmsg ── veth-b 198.18.250.2  (route 198.18.251.0/24 via a)
 *         witness socket (same filter, own copy)           capture socket (VIP filter)
 * </pre>
 *
 * Side b sends to the VIPs (hand-built frames, or its kernel's own UDP and TCP); the worker in a
 * rewrites each frame for the one real, whose MAC is veth-b's, and sends it back out of veth-a,
 * where b's capture socket reads what really went over the wire. A witness socket in a reads its
 * own copy of each incoming frame, showing what the worker was given (stripped VLAN tag, a
 * checksum still to be completed).
 *
 * <p>The tests drive {@link PacketWorkerAgent#doWork()} from the test thread: the sockets were
 * made in their namespaces and keep them. Waiting loops wait for the kernel, with a fail-safe
 * for a broken setup; nothing asserts on time.
 */
@Tag("lab")
class PacketWorkerAgentLabTest
{
    private static final String VIP_TEXT = "198.18.251.1";
    private static final int VIP = 0xC612_FB01;
    private static final int NOT_VIP = 0xC612_FB02;      // 198.18.251.2, routed to a as well
    private static final String CLIENT_TEXT = "198.18.250.2";
    private static final int UDP_PORT = 53;
    private static final int TCP_PORT = 80;
    private static final int IP_PROTOCOL_TCP = 6;
    private static final int IP_PROTOCOL_UDP = 17;
    private static final int ETHERNET_HEADER = 14;
    private static final int VLAN_TCI = (5 << 13) | 100; // priority 5, VLAN 100
    private static final int RING_BLOCK = 64 * 1024;
    private static final int RING_BLOCKS = 16;
    private static final long GIVE_UP_NS = 10_000_000_000L;

    private VethLab lab;
    private PacketSocket socketA;
    private PacketBatchSender senderA;
    private PacketSocket witnessA;
    private PacketSocket captureB;
    private PacketBatchSender senderB;
    private FlowTable flows;
    private WorkerCounters counters;
    private PacketWorkerAgent worker;
    private VipEntry udpVip;
    private VipEntry tcpVip;
    private RealEntry udpReal;
    private final List<Frame> witnessed = new ArrayList<>();

    /** A frame copied out of a ring with the metadata the kernel gave it. */
    private record Frame(byte[] bytes, boolean vlanValid, int vlanTci, boolean checksumNotReady)
    {
    }

    @AfterEach
    void tearDown()
    {
        if (worker != null)
        {
            worker.onClose();
        }
        CloseHelper.quietCloseAll(senderB, captureB, witnessA, senderA, socketA, flows, lab);
    }

    @Test
    void untaggedUdpComesBackRewrittenForTheReal()
    {
        Privileges.requireRootAndIp();
        startForwarder();
        final PacketBuilder sent = PacketBuilder.ethernet(VethLab.MAC_A, VethLab.MAC_B)
            .ipv4(CLIENT_TEXT, VIP_TEXT).ttl(64).udp(40_001, UDP_PORT).payload("query-untagged");

        sendRawFromB(sent.build());
        final List<Frame> back = forwardUntilCaptured(1);

        assertThat(back).hasSize(1);
        final byte[] frame = back.getFirst().bytes();
        assertThat(back.getFirst().vlanValid()).isFalse();
        assertThat(WireFrames.mac(frame, 0)).as("destination MAC: the real's").isEqualTo(VethLab.MAC_B);
        assertThat(WireFrames.mac(frame, 6)).as("source MAC: the forwarder's").isEqualTo(VethLab.MAC_A);
        assertThat(frame[ETHERNET_HEADER + 8] & 0xFF).as("TTL").isEqualTo(63);
        assertThat(ipv4HeaderChecksumValid(frame, ETHERNET_HEADER)).as("IPv4 header checksum").isTrue();
        assertThat(udpPayload(frame)).isEqualTo("query-untagged");
        assertThat(frame).as("the whole frame").isEqualTo(sent.copy().macs(VethLab.MAC_B, VethLab.MAC_A).ttl(63).build());

        assertThat(counters.rxPackets.get()).as("rx").isEqualTo(1);
        assertThat(counters.txPackets.get()).as("tx").isEqualTo(1);
        assertThat(counters.txErrors.get()).as("tx errors").isZero();
        assertThat(counters.flowsCreated.get()).as("flows created").isEqualTo(1);
        assertThat(udpVip.packetsByWorker()[0].get()).as("VIP packets").isEqualTo(1);
        assertThat(udpReal.packetsByWorker()[0].get()).as("real packets").isEqualTo(1);
        assertThat(tcpVip.packetsByWorker()[0].get()).as("other VIP's packets").isZero();
        assertThat(totalDrops()).as("drops").isZero();
    }

    @Test
    void theSelfTestReportsEveryVipPassedAndSendsNothing()
    {
        Privileges.requireRootAndIp();
        startForwarder();
        worker.doWork();
        worker.doWork();

        for (final VipEntry vip : List.of(udpVip, tcpVip))
        {
            final long report = vip.selfTestByWorker()[0].get();
            assertThat(SelfTestResult.describe(SelfTestResult.outcome(report))).as("%s", vip.spec().key()).isEqualTo("passed");
            assertThat(SelfTestResult.tableVersion(report)).isEqualTo(1);
            assertThat(vip.packetsByWorker()[0].get()).isZero();
        }
        assertThat(counters.txPackets.get()).as("tx").isZero();
        assertThat(counters.flowsCreated.get()).as("flows created").isZero();
        assertThat(flows.countLive(System.nanoTime())).as("flows remembered").isZero();
        final List<Frame> onTheWire = new ArrayList<>();
        if (captureB.awaitBlock(200) == 1)
        {
            drainBlock(captureB, onTheWire);
        }
        assertThat(onTheWire).as("no frame from the self-test's client 192.0.0.8 reached b")
            .noneMatch((frame) -> frame.bytes().length >= ETHERNET_HEADER + 20 &&
                ByteBuffer.wrap(frame.bytes()).getInt(ETHERNET_HEADER + 12) == SelfTest.IPV4_CLIENT);
    }

    @Test
    void vlanTagStrippedByTheKernelIsPutBackOnTheWayOut()
    {
        Privileges.requireRootAndIp();
        startForwarder();
        final PacketBuilder sent = PacketBuilder.ethernet(VethLab.MAC_A, VethLab.MAC_B).tag(0x8100, VLAN_TCI)
            .ipv4(CLIENT_TEXT, VIP_TEXT).ttl(64).udp(40_002, UDP_PORT).payload("query-tagged");

        sendRawFromB(sent.build());
        final List<Frame> back = forwardUntilCaptured(1);

        // What the worker was given: the frame without its tag, the tag in the ring's metadata.
        drainWitness(1);
        assertThat(witnessed).hasSize(1);
        assertThat(witnessed.getFirst().vlanValid()).as("tag stripped into metadata at a").isTrue();
        assertThat(witnessed.getFirst().vlanTci()).isEqualTo(VLAN_TCI);
        assertThat(ethertype(witnessed.getFirst().bytes())).as("ethertype after the MACs at a").isEqualTo(0x0800);

        // What went over the wire back to b: b's kernel strips the tag again, so its metadata
        // is the proof that the tag was on the wire; put it back to compare the whole frame.
        assertThat(back).hasSize(1);
        final Frame frame = back.getFirst();
        assertThat(frame.vlanValid()).as("frame left a tagged").isTrue();
        assertThat(frame.vlanTci()).as("same TCI").isEqualTo(VLAN_TCI);
        assertThat(WireFrames.mac(frame.bytes(), 0)).isEqualTo(VethLab.MAC_B);
        assertThat(WireFrames.mac(frame.bytes(), 6)).isEqualTo(VethLab.MAC_A);
        assertThat(frame.bytes()[ETHERNET_HEADER + 8] & 0xFF).as("TTL").isEqualTo(63);
        assertThat(ipv4HeaderChecksumValid(frame.bytes(), ETHERNET_HEADER)).isTrue();
        assertThat(withTag(frame.bytes(), 0x8100, frame.vlanTci()))
            .isEqualTo(sent.copy().macs(VethLab.MAC_B, VethLab.MAC_A).ttl(63).build());
        assertThat(counters.rxPackets.get()).isEqualTo(1);
        assertThat(counters.txPackets.get()).isEqualTo(1);
        assertThat(udpVip.packetsByWorker()[0].get()).isEqualTo(1);
    }

    @Test
    void udpChecksumOffloadedByTheSendersKernelIsCompleted() throws Exception
    {
        Privileges.requireRootAndIp();
        startForwarder();
        VethLab.inNamespace(lab.namespaceB(), () ->
        {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(40_003)))
            {
                final byte[] payload = "kernel-udp-datagram".getBytes(StandardCharsets.US_ASCII);
                udp.send(new DatagramPacket(payload, payload.length, InetAddress.getByName(VIP_TEXT), UDP_PORT));
            }
            return null;
        });

        final List<Frame> back = forwardUntilCaptured(1);
        drainWitness(1);

        assertThat(witnessed).hasSize(1);
        final Frame input = witnessed.getFirst();
        assertThat(input.checksumNotReady()).as("ring status TP_STATUS_CSUMNOTREADY at a").isTrue();
        assertThat(transportChecksumValid(input.bytes(), ETHERNET_HEADER))
            .as("UDP checksum as it arrived (only the pseudo-header sum)").isFalse();

        assertThat(back).hasSize(1);
        final byte[] output = back.getFirst().bytes();
        assertThat(output[ETHERNET_HEADER + 9] & 0xFF).isEqualTo(IP_PROTOCOL_UDP);
        assertThat(udpPayload(output)).isEqualTo("kernel-udp-datagram");
        assertThat(WireFrames.mac(output, 0)).isEqualTo(VethLab.MAC_B);
        assertThat(transportChecksumField(output, ETHERNET_HEADER)).as("a UDP checksum is present").isNotZero();
        assertThat(transportChecksumValid(output, ETHERNET_HEADER)).as("UDP checksum as it left a").isTrue();
        assertThat(ipv4HeaderChecksumValid(output, ETHERNET_HEADER)).isTrue();
    }

    @Test
    void tcpChecksumOffloadedByTheSendersKernelIsCompleted() throws Exception
    {
        Privileges.requireRootAndIp();
        startForwarder();
        // A non-blocking connect sends the SYN at once; the SYN comes back to b (which does not
        // own the VIP and drops it), so the connection never completes and is closed below.
        final SocketChannel client = VethLab.inNamespace(lab.namespaceB(), () ->
        {
            final SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.connect(new InetSocketAddress(InetAddress.getByName(VIP_TEXT), TCP_PORT));
            return channel;
        });
        try
        {
            final List<Frame> back = forwardUntilCaptured(1);
            drainWitness(1);

            assertThat(witnessed).isNotEmpty();
            final Frame input = witnessed.getFirst();
            assertThat(input.checksumNotReady()).as("ring status TP_STATUS_CSUMNOTREADY at a").isTrue();
            assertThat(transportChecksumValid(input.bytes(), ETHERNET_HEADER))
                .as("TCP checksum as it arrived (only the pseudo-header sum)").isFalse();

            assertThat(back).isNotEmpty();
            final byte[] output = back.getFirst().bytes();
            final int tcp = ETHERNET_HEADER + 20;
            assertThat(output[ETHERNET_HEADER + 9] & 0xFF).isEqualTo(IP_PROTOCOL_TCP);
            assertThat(output[tcp + 13] & 0x3F).as("TCP flags: a bare SYN").isEqualTo(0x02);
            assertThat(port(output, tcp + 2)).isEqualTo(TCP_PORT);
            assertThat(WireFrames.mac(output, 0)).isEqualTo(VethLab.MAC_B);
            assertThat(output[ETHERNET_HEADER + 8] & 0xFF).as("TTL").isEqualTo((input.bytes()[ETHERNET_HEADER + 8] & 0xFF) - 1);
            assertThat(transportChecksumValid(output, ETHERNET_HEADER)).as("TCP checksum as it left a").isTrue();
            assertThat(ipv4HeaderChecksumValid(output, ETHERNET_HEADER)).isTrue();
            assertThat(tcpVip.packetsByWorker()[0].get()).isPositive();
            assertThat(totalDrops()).isZero();
        }
        finally
        {
            client.close();
        }
    }

    @Test
    void nonVipAddressNeverReachesTheWorkerAndWrongPortIsANotAVipDrop()
    {
        Privileges.requireRootAndIp();
        startForwarder();
        final PacketBuilder client = PacketBuilder.ethernet(VethLab.MAC_A, VethLab.MAC_B);
        sendRawFromB(
            client.copy().ipv4(CLIENT_TEXT, "198.18.251.2").udp(40_004, UDP_PORT).payload("not-a-vip-address").build(),
            client.copy().ipv4(CLIENT_TEXT, VIP_TEXT).udp(40_004, UDP_PORT + 1).payload("vip-wrong-port").build(),
            client.copy().ipv4(CLIENT_TEXT, VIP_TEXT).udp(40_004, TCP_PORT).payload("vip-tcp-port-over-udp").build(),
            client.copy().ipv4(CLIENT_TEXT, VIP_TEXT).udp(40_004, UDP_PORT).payload("vip-right-port").build());

        // The four frames cross the veth in order; once the last one is back at b, the worker
        // has handled everything sent before it.
        final List<Frame> back = forwardUntilCaptured(1);

        assertThat(back).extracting(frame -> udpPayload(frame.bytes())).containsExactly("vip-right-port");
        assertThat(counters.rxPackets.get()).as("rx: the filter kept the non-VIP address out of the ring").isEqualTo(3);
        assertThat(counters.drops(DropReason.NOT_A_VIP).get()).as("not-a-vip drops").isEqualTo(2);
        assertThat(totalDrops()).as("all drops").isEqualTo(2);
        assertThat(counters.txPackets.get()).as("tx").isEqualTo(1);
        assertThat(udpVip.packetsByWorker()[0].get()).isEqualTo(1);
        assertThat(tcpVip.packetsByWorker()[0].get()).isZero();
    }

    private void startForwarder()
    {
        lab = VethLab.create("wk");
        lab.ipIn(lab.namespaceB(), "route", "add", "198.18.251.0/24", "via", VethLab.ipv4(VethLab.ADDRESS_A));

        final PacketSocketOptions vipOnly = PacketSocketOptions.defaults().withRing(RING_BLOCK, RING_BLOCKS)
            .withFilter(ClassicBpfProgram.ipv4DestinationFilter(new int[]{VIP}));
        socketA = VethLab.inNamespace(lab.namespaceA(), () -> PacketSocket.open(VethLab.INTERFACE_A, vipOnly));
        witnessA = VethLab.inNamespace(lab.namespaceA(), () -> PacketSocket.open(VethLab.INTERFACE_A, vipOnly));
        senderA = PacketBatchSender.over(socketA, PacketBatchSender.DEFAULT_CAPACITY);
        captureB = VethLab.inNamespace(lab.namespaceB(), () -> PacketSocket.open(VethLab.INTERFACE_B,
            PacketSocketOptions.defaults().withRing(RING_BLOCK, RING_BLOCKS)
                .withFilter(ClassicBpfProgram.ipv4DestinationFilter(new int[]{VIP, NOT_VIP}))));
        senderB = VethLab.inNamespace(lab.namespaceB(), () -> PacketBatchSender.open(VethLab.INTERFACE_B, 8));

        final CountersManager countersManager = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(1024 * CountersReader.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(1024 * CountersReader.COUNTER_LENGTH)));
        counters = new WorkerCounters(countersManager, 0);
        flows = new FlowTable(1024);
        final PacketProcessor processor = new PacketProcessor(0, flows, counters);
        assertThat(socketA.macAddress()).isEqualTo(VethLab.MAC_A);
        processor.localMac(socketA.macAddress());

        udpReal = real(countersManager, 1);
        udpVip = vip(countersManager, VIP_TEXT + ":" + UDP_PORT + "/udp", udpReal);
        tcpVip = vip(countersManager, VIP_TEXT + ":" + TCP_PORT + "/tcp", real(countersManager, 2));
        final ForwardingTablePublisher tables = new ForwardingTablePublisher();
        tables.publish(new ForwardingTable(new VipEntry[]{udpVip, tcpVip}, 1));

        worker = new PacketWorkerAgent(0, socketA, senderA, processor, tables, counters, SystemNanoClock.INSTANCE, -1);
    }

    /** The real is side b itself: the rewritten frame goes back out of veth-a to veth-b's MAC. */
    private static RealEntry real(final CountersManager countersManager, final int id)
    {
        return new RealEntry(id, IpAddress.ipv4(VethLab.ADDRESS_B), 0, 100, VethLab.MAC_B,
            new AtomicCounter[]{WorkerCounters.allocate(countersManager, CounterTypes.REAL_PACKETS, 0, id, "real packets")},
            new AtomicCounter[]{WorkerCounters.allocate(countersManager, CounterTypes.REAL_BYTES, 0, id, "real bytes")});
    }

    private static VipEntry vip(final CountersManager countersManager, final String key, final RealEntry real)
    {
        final VipKey vipKey = VipKey.parse(key);
        final int[] maglev = MaglevTable.build(
            new long[]{MaglevTable.endpointKey(real.address(), vipKey.port())}, new int[]{real.weight()}, MaglevTable.DEFAULT_SIZE);
        return new VipEntry(VipEntry.NO_ID, new VipSpec(vipKey, ForwardingMode.DSR, SchedulerKind.MAGLEV), new RealEntry[]{real},
            maglev, null, null, null,
            new AtomicCounter[]{WorkerCounters.allocate(countersManager, CounterTypes.VIP_PACKETS, 0, 0, "vip packets")},
            new AtomicCounter[]{WorkerCounters.allocate(countersManager, CounterTypes.VIP_BYTES, 0, 0, "vip bytes")},
            new AtomicCounter[]{WorkerCounters.allocate(countersManager, CounterTypes.VIP_SELF_TEST, 0, 0, "vip self-test")});
    }

    /** Runs the worker and reads b's capture until {@code expected} frames came back (or the fail-safe passes). */
    private List<Frame> forwardUntilCaptured(final int expected)
    {
        final List<Frame> captured = new ArrayList<>();
        final long deadline = System.nanoTime() + GIVE_UP_NS;
        while (captured.size() < expected && System.nanoTime() < deadline)
        {
            socketA.awaitBlock(5);
            worker.doWork();
            if (captureB.awaitBlock(5) == 1)
            {
                drainBlock(captureB, captured);
            }
        }
        return captured;
    }

    private void drainWitness(final int expected)
    {
        final long deadline = System.nanoTime() + GIVE_UP_NS;
        while (witnessed.size() < expected && System.nanoTime() < deadline)
        {
            if (witnessA.awaitBlock(20) == 1)
            {
                drainBlock(witnessA, witnessed);
            }
        }
    }

    private static void drainBlock(final PacketSocket socket, final List<Frame> into)
    {
        final MemorySegment ring = socket.ring();
        int frame = socket.firstFrameOffset();
        for (int i = 0, n = socket.blockPacketCount(); i < n; i++)
        {
            final byte[] bytes = new byte[socket.snapLength(frame)];
            MemorySegment.copy(ring, JAVA_BYTE, socket.macOffset(frame), bytes, 0, bytes.length);
            into.add(new Frame(bytes, socket.vlanValid(frame), socket.vlanTci(frame), socket.checksumNotReady(frame)));
            frame = socket.nextFrameOffset(frame);
        }
        socket.releaseBlock();
    }

    private void sendRawFromB(final byte[]... frames)
    {
        try (Arena arena = Arena.ofConfined())
        {
            for (final byte[] frame : frames)
            {
                assertThat(senderB.add(arena.allocateFrom(JAVA_BYTE, frame).address(), frame.length)).isTrue();
            }
            assertThat(senderB.flush()).as("frames sent from b").isEqualTo(frames.length);
        }
    }

    private long totalDrops()
    {
        long drops = 0;
        for (final DropReason reason : DropReason.values())
        {
            drops += counters.drops(reason).get();
        }
        return drops;
    }

    private static byte[] withTag(final byte[] untagged, final int tpid, final int tci)
    {
        final byte[] tagged = new byte[untagged.length + 4];
        System.arraycopy(untagged, 0, tagged, 0, 12);
        tagged[12] = (byte)(tpid >>> 8);
        tagged[13] = (byte)tpid;
        tagged[14] = (byte)(tci >>> 8);
        tagged[15] = (byte)tci;
        System.arraycopy(untagged, 12, tagged, 16, untagged.length - 12);
        return tagged;
    }


    private static int ethertype(final byte[] frame)
    {
        return port(frame, 12);
    }

    private static int port(final byte[] bytes, final int at)
    {
        return ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
    }

    private static String udpPayload(final byte[] frame)
    {
        final int udp = ETHERNET_HEADER + (frame[ETHERNET_HEADER] & 0x0F) * 4;
        final int length = port(frame, udp + 4) - 8;
        return new String(Arrays.copyOfRange(frame, udp + 8, udp + 8 + length), StandardCharsets.US_ASCII);
    }

    /** The 16-bit one's complement sum of {@code length} bytes, added to {@code initial}, not yet folded. */
    private static long sum(final byte[] bytes, final int from, final int length, final long initial)
    {
        long sum = initial;
        for (int i = 0; i + 1 < length; i += 2)
        {
            sum += port(bytes, from + i);
        }
        if ((length & 1) != 0)
        {
            sum += (bytes[from + length - 1] & 0xFF) << 8;
        }
        return sum;
    }

    private static int fold(final long sum)
    {
        long folded = sum;
        while ((folded >>> 16) != 0)
        {
            folded = (folded & 0xFFFF) + (folded >>> 16);
        }
        return (int)folded;
    }

    private static boolean ipv4HeaderChecksumValid(final byte[] frame, final int ip)
    {
        return fold(sum(frame, ip, (frame[ip] & 0x0F) * 4, 0)) == 0xFFFF;
    }

    private static int transportChecksumField(final byte[] frame, final int ip)
    {
        final int l4 = ip + (frame[ip] & 0x0F) * 4;
        return port(frame, l4 + ((frame[ip + 9] & 0xFF) == IP_PROTOCOL_TCP ? 16 : 6));
    }

    /**
     * Verifies a TCP or UDP checksum from scratch: the sum over the pseudo-header (addresses,
     * protocol, segment length) and the whole segment, checksum field included, is all ones.
     */
    private static boolean transportChecksumValid(final byte[] frame, final int ip)
    {
        final int headerLength = (frame[ip] & 0x0F) * 4;
        final int segmentLength = port(frame, ip + 2) - headerLength;
        long pseudo = sum(frame, ip + 12, 8, 0);
        pseudo += frame[ip + 9] & 0xFF;
        pseudo += segmentLength;
        return fold(sum(frame, ip + headerLength, segmentLength, pseudo)) == 0xFFFF;
    }
}
