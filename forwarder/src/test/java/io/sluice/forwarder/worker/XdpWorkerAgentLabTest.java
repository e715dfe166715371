package io.sluice.forwarder.worker;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.config.VipSpec;
import io.sluice.forwarder.counters.CounterTypes;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.maglev.MaglevTable;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.ForwardingTablePublisher;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;
import io.sluice.linux.bpf.VipRedirectProgram;
import io.sluice.linux.bpf.XdpLink;
import io.sluice.linux.bpf.XdpMode;
import io.sluice.linux.packet.ClassicBpfProgram;
import io.sluice.linux.packet.PacketSocket;
import io.sluice.linux.packet.PacketSocketOptions;
import io.sluice.linux.testing.Privileges;
import io.sluice.linux.testing.VethLab;
import io.sluice.linux.xdp.XdpFrames;
import io.sluice.linux.xdp.XdpSocket;
import io.sluice.linux.xdp.XdpSocketOptions;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@link XdpWorkerAgent} on two interfaces, forwarding real packets from one to the other:
 *
 * <pre>
 *  namespace a: the forwarder                              namespace b: client and real
 *  veth-a  198.18.250.1  XDP program, socket ─ worker ─┐   veth-b  198.18.250.2  sends to the VIP
 *  veth-a2 198.18.252.1  egress socket  <──────────────┘   veth-b2 198.18.252.2  the real (capture)
 * </pre>
 *
 * Datagrams from b to the VIP arrive on veth-a and must leave by veth-a2 with its MAC, whole,
 * whether the egress socket shares the first one's UMEM (the frame moves as it is) or has its
 * own (the frame is copied); and every UMEM frame must be accounted for afterwards.
 */
@Tag("lab")
class XdpWorkerAgentLabTest
{
    private static final String VIP_TEXT = "198.18.251.1";
    private static final int VIP = 0xC612_FB01;
    private static final int PORT = 53;
    private static final String EGRESS_A = "veth-a2";
    private static final String EGRESS_B = "veth-b2";
    private static final long MAC_A2 = 0x0200_c612_fc01L;
    private static final long MAC_B2 = 0x0200_c612_fc02L;
    private static final int REAL = 0xC612_FC02;
    private static final int DATAGRAMS = 200;
    private static final long GIVE_UP_NS = 10_000_000_000L;

    private VethLab lab;
    private VipRedirectProgram program;
    private XdpLink link;
    private XdpSocket socket;
    private XdpSocket egressSocket;
    private PacketSocket capture;
    private FlowTable flows;
    private WorkerCounters counters;

    @AfterEach
    void tearDown()
    {
        CloseHelper.quietCloseAll(capture, link, egressSocket, socket, program, flows, lab);
    }

    @ParameterizedTest(name = "shared UMEM: {0}")
    @ValueSource(booleans = { true, false })
    void packetsToTheRealLeaveByTheEgressInterfaceWholeAndNoFrameIsLost(final boolean sharedUmem)
    {
        Privileges.requireRootAndIp();
        lab = VethLab.create("xwk");
        VethLab.run("ip", "link", "add", EGRESS_A, "address", VethLab.mac(MAC_A2), "netns", lab.namespaceA(), "type", "veth",
            "peer", "name", EGRESS_B, "address", VethLab.mac(MAC_B2), "netns", lab.namespaceB());
        lab.ipIn(lab.namespaceA(), "addr", "add", "198.18.252.1/24", "dev", EGRESS_A);
        lab.ipIn(lab.namespaceB(), "addr", "add", "198.18.252.2/24", "dev", EGRESS_B);
        lab.ipIn(lab.namespaceA(), "link", "set", EGRESS_A, "up");
        lab.ipIn(lab.namespaceB(), "link", "set", EGRESS_B, "up");
        lab.ipIn(lab.namespaceB(), "route", "add", VIP_TEXT + "/32", "via", VethLab.ipv4(VethLab.ADDRESS_A));

        final XdpSocketOptions options = XdpSocketOptions.defaults();
        VethLab.inNamespace(lab.namespaceA(), () ->
        {
            program = VipRedirectProgram.load(1);
            program.addIpv4Vip(VIP, PORT, 17);
            final int ifIndex = ifIndex(VethLab.INTERFACE_A);
            socket = XdpSocket.open(VethLab.INTERFACE_A, ifIndex, 0, options);
            program.bindQueue(0, socket.fd());
            link = XdpLink.attach(program.program(), ifIndex, VethLab.INTERFACE_A, XdpMode.GENERIC);
            final int egressIndex = ifIndex(EGRESS_A);
            egressSocket = sharedUmem ?
                XdpSocket.openSharingUmem(EGRESS_A, egressIndex, 0, socket) : XdpSocket.open(EGRESS_A, egressIndex, 0, options);
            return null;
        });
        capture = VethLab.inNamespace(lab.namespaceB(), () -> PacketSocket.open(EGRESS_B,
            PacketSocketOptions.defaults().withFilter(ClassicBpfProgram.ipv4DestinationFilter(new int[]{VIP}))));
        assertThat(egressSocket.umemAddress() == socket.umemAddress()).as("one UMEM").isEqualTo(sharedUmem);

        final XdpWorkerAgent worker = worker(sharedUmem);
        send(lab);

        final List<byte[]> captured = new ArrayList<>();
        final long deadline = System.nanoTime() + GIVE_UP_NS;
        while (captured.size() < DATAGRAMS && System.nanoTime() < deadline)
        {
            socket.awaitRx(egressSocket, 5);
            worker.doWork();
            if (capture.awaitBlock(1) == 1)
            {
                drainBlock(capture, captured);
            }
        }

        assertThat(captured).as("datagrams that left by %s", EGRESS_A).hasSize(DATAGRAMS);
        for (int i = 0; i < DATAGRAMS; i++)
        {
            final byte[] frame = captured.get(i);
            assertThat(WireFrames.mac(frame, 0)).as("destination MAC: the real's").isEqualTo(MAC_B2);
            assertThat(WireFrames.mac(frame, 6)).as("source MAC: the egress interface's").isEqualTo(MAC_A2);
            assertThat(frame[14 + 8] & 0xFF).as("TTL").isEqualTo(63);
            assertThat(new String(frame, 42, frame.length - 42, StandardCharsets.US_ASCII)).isEqualTo("datagram " + i);
        }
        assertThat(counters.txPackets.get()).isEqualTo(DATAGRAMS);

        final long drained = System.nanoTime() + GIVE_UP_NS;
        while ((worker.frames().sendingFrames() > 0 || worker.egressFrames().sendingFrames() > 0) && System.nanoTime() < drained)
        {
            worker.doWork();
        }
        assertFramesAccounted(worker.frames());
        assertFramesAccounted(worker.egressFrames());
    }

    private XdpWorkerAgent worker(final boolean sharedUmem)
    {
        final CountersManager manager = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(256 * CountersReader.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(256 * CountersReader.COUNTER_LENGTH)));
        counters = new WorkerCounters(manager, 0);
        flows = new FlowTable(1024);
        final PacketProcessor processor = new PacketProcessor(0, flows, counters);
        processor.localMac(VethLab.MAC_A);
        processor.egressMac(MAC_A2);
        final RealEntry real = new RealEntry(1, IpAddress.ipv4(REAL), 0, 100, MAC_B2,
            new AtomicCounter[]{WorkerCounters.allocate(manager, CounterTypes.REAL_PACKETS, 0, 1, "real packets")},
            new AtomicCounter[]{WorkerCounters.allocate(manager, CounterTypes.REAL_BYTES, 0, 1, "real bytes")});
        final VipKey key = VipKey.parse(VIP_TEXT + ":" + PORT + "/udp");
        final VipEntry vip = new VipEntry(new VipSpec(key, ForwardingMode.DSR, SchedulerKind.MAGLEV), new RealEntry[]{real},
            MaglevTable.build(new long[]{MaglevTable.endpointKey(REAL, PORT)}, new int[]{100}, MaglevTable.DEFAULT_SIZE),
            new AtomicCounter[]{WorkerCounters.allocate(manager, CounterTypes.VIP_PACKETS, 0, 0, "vip packets")},
            new AtomicCounter[]{WorkerCounters.allocate(manager, CounterTypes.VIP_BYTES, 0, 0, "vip bytes")});
        final ForwardingTablePublisher tables = new ForwardingTablePublisher();
        tables.publish(new ForwardingTable(new VipEntry[]{vip}, 1));
        return new XdpWorkerAgent(0, socket, egressSocket, sharedUmem, processor, tables, counters, SystemNanoClock.INSTANCE, -1);
    }

    private static void assertFramesAccounted(final XdpFrames frames)
    {
        assertThat(frames.sendingFrames()).as("frames still being sent").isZero();
        assertThat(frames.accountedFrames()).as("free + receiving + sending").isEqualTo(frames.frameCount());
    }

    private static void send(final VethLab lab)
    {
        VethLab.inNamespace(lab.namespaceB(), () ->
        {
            try (DatagramChannel channel = DatagramChannel.open())
            {
                final InetSocketAddress target = new InetSocketAddress(VIP_TEXT, PORT);
                for (int i = 0; i < DATAGRAMS; i++)
                {
                    channel.send(ByteBuffer.wrap(("datagram " + i).getBytes(StandardCharsets.US_ASCII)), target);
                }
            }
            return null;
        });
    }

    private static void drainBlock(final PacketSocket socket, final List<byte[]> into)
    {
        final MemorySegment ring = socket.ring();
        int frame = socket.firstFrameOffset();
        for (int i = 0, n = socket.blockPacketCount(); i < n; i++)
        {
            final byte[] bytes = new byte[socket.snapLength(frame)];
            MemorySegment.copy(ring, JAVA_BYTE, socket.macOffset(frame), bytes, 0, bytes.length);
            into.add(bytes);
            frame = socket.nextFrameOffset(frame);
        }
        socket.releaseBlock();
    }

    /** The interface's index in the calling thread's namespace. */
    private static int ifIndex(final String name)
    {
        return io.sluice.linux.bpf.BpfTestSupport.ifIndex(name);
    }
}
