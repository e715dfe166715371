package io.sluice.linux.xdp;

import io.sluice.linux.LinuxException;
import io.sluice.linux.bpf.VipRedirectProgram;
import io.sluice.linux.bpf.XdpLink;
import io.sluice.linux.bpf.XdpMode;
import io.sluice.linux.testing.Privileges;
import io.sluice.linux.testing.VethLab;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An AF_XDP socket on a veth, fed by the VIP redirect program: every datagram sent to the VIP
 * arrives on the RX ring intact, goes back out of the TX ring from the same frame, and every
 * frame is accounted for afterwards, also when the socket is overrun and the handler drops.
 */
final class XdpSocketLabTest
{
    static final String VIP = "198.18.251.1";
    static final int VIP_ADDRESS = 0xC612_FB01;
    static final int PORT = 9000;
    static final int BURST = 64;
    static final long DEADLINE_NS = 10_000_000_000L;

    @ParameterizedTest
    @EnumSource(XdpMode.class)
    void datagramsToTheVipArriveIntactAndGoBackOutFromTheSameFrames(final XdpMode mode) throws Exception
    {
        Privileges.requireRootAndIp();
        try (VethLab lab = VethLab.create("xsk");
            Station station = Station.open(lab, mode, XdpSocketOptions.defaults()))
        {
            final int count = 200;
            final long rxBefore = rxPackets(lab);
            send(lab, count, 0);

            int received = 0;
            final long deadline = System.nanoTime() + DEADLINE_NS;
            final MemorySegment umem = station.umem();
            while (received < count && System.nanoTime() < deadline)
            {
                station.frames.reclaim(station.socket.completionRing(), BURST);
                station.frames.refill(station.socket.fillRing());
                final ConsumerRing rx = station.socket.rxRing();
                final int n = rx.peek(BURST);
                station.frames.received(n);
                final ProducerRing tx = station.socket.txRing();
                final int slots = tx.reserve(n);
                assertThat(slots).as("the TX ring has room for a burst").isEqualTo(n);
                for (int i = 0; i < n; i++)
                {
                    final long address = rx.address(i);
                    final int length = rx.length(i);
                    assertThat(address % 4096).as("packet starts after the headroom").isEqualTo(XdpSocketOptions.PACKET_HEADROOM);
                    assertThat(readInt(umem, address + 14 + 16)).as("destination address").isEqualTo(VIP_ADDRESS);
                    final String payload = new String(bytes(umem, address + 42, length - 42), StandardCharsets.US_ASCII);
                    assertThat(payload).isEqualTo("datagram " + (received + i));
                    swapMacs(umem, address);
                    tx.setDescriptor(i, address, length);
                }
                rx.release(n);
                tx.submit(n);
                station.frames.sent(n);
                station.socket.wakeupTx();
                received += n;
                if (n == 0)
                {
                    station.socket.awaitRx(10);
                }
            }
            assertThat(received).isEqualTo(count);
            drain(station);
            assertThat(station.frames.sendingFrames()).isZero();
            assertThat(station.frames.accountedFrames()).isEqualTo(station.frames.frameCount());
            assertThat(rxPackets(lab) - rxBefore).as("sent back to veth-a").isGreaterThanOrEqualTo(count);
        }
    }

    /**
     * In copy mode one kick sends at most the kernel's TX batch (32 frames); a worker that kicked
     * once per burst would let its TX ring fill. One {@link XdpSocket#flushTx()} sends them all.
     */
    @Test
    void oneFlushSendsEveryQueuedFrameNotOnlyTheKernelsBatch() throws Exception
    {
        Privileges.requireRootAndIp();
        try (VethLab lab = VethLab.create("xskflush");
            Station station = Station.open(lab, XdpMode.NATIVE, XdpSocketOptions.defaults()))
        {
            final int count = 200;
            send(lab, count, 0);
            final long[] addresses = new long[count];
            final int[] lengths = new int[count];
            int received = 0;
            final long deadline = System.nanoTime() + DEADLINE_NS;
            final ConsumerRing rx = station.socket.rxRing();
            while (received < count && System.nanoTime() < deadline)
            {
                final int n = rx.peek(BURST);
                station.frames.received(n);
                for (int i = 0; i < n; i++)
                {
                    addresses[received + i] = rx.address(i);
                    lengths[received + i] = rx.length(i);
                    swapMacs(station.umem(), addresses[received + i]);
                }
                rx.release(n);
                received += n;
                if (n == 0)
                {
                    station.socket.awaitRx(10);
                }
            }
            assertThat(received).isEqualTo(count);

            final long rxBefore = rxPackets(lab);
            final ProducerRing tx = station.socket.txRing();
            assertThat(tx.reserve(count)).isEqualTo(count);
            for (int i = 0; i < count; i++)
            {
                tx.setDescriptor(i, addresses[i], lengths[i]);
            }
            tx.submit(count);
            station.frames.sent(count);

            final int result = station.socket.flushTx();

            assertThat(result).as("the last kick's result").isZero();
            assertThat(tx.outstanding()).as("descriptors the kernel has not taken").isZero();
            drain(station);
            assertThat(rxPackets(lab) - rxBefore).as("arrived back on veth-a").isGreaterThanOrEqualTo(count);
            assertThat(station.frames.accountedFrames()).isEqualTo(station.frames.frameCount());
        }
    }

    @Test
    void noFrameLeaksWhenTheSocketIsOverrunAndTheHandlerDrops() throws Exception
    {
        Privileges.requireRootAndIp();
        final XdpSocketOptions small = new XdpSocketOptions(256, 4096, 128, XdpBindMode.COPY);
        try (VethLab lab = VethLab.create("xskleak");
            Station station = Station.open(lab, XdpMode.GENERIC, small))
        {
            // Nobody reads while 5000 datagrams arrive: the RX ring fills and the kernel drops.
            station.frames.refill(station.socket.fillRing());
            send(lab, 5000, 0);
            long received = 0;
            long forwarded = 0;
            long dropped = 0;
            final long deadline = System.nanoTime() + DEADLINE_NS;
            int idle = 0;
            while (idle < 50 && System.nanoTime() < deadline)
            {
                station.frames.reclaim(station.socket.completionRing(), BURST);
                station.frames.refill(station.socket.fillRing());
                final ConsumerRing rx = station.socket.rxRing();
                final int n = rx.peek(BURST);
                station.frames.received(n);
                final ProducerRing tx = station.socket.txRing();
                final int slots = tx.reserve(n);
                int queued = 0;
                for (int i = 0; i < n; i++)
                {
                    final long address = rx.address(i);
                    if ((received + i) % 3 == 0 || queued == slots)
                    {
                        station.frames.release(address);
                        dropped++;
                    }
                    else
                    {
                        tx.setDescriptor(queued++, address, rx.length(i));
                        forwarded++;
                    }
                }
                rx.release(n);
                tx.submit(queued);
                station.frames.sent(queued);
                station.socket.wakeupTx();
                received += n;
                idle = n == 0 ? idle + 1 : 0;
                if (n == 0)
                {
                    Thread.sleep(2);
                }
            }
            drain(station);

            final XdpStatistics statistics = station.socket.statistics();
            assertThat(statistics.rxRingFull() + statistics.rxFillRingEmpty() + statistics.rxDropped())
                .as("the kernel dropped for lack of room: %s", statistics).isPositive();
            assertThat(received).as("some arrived, not all").isBetween(1L, 4999L);
            assertThat(forwarded + dropped).isEqualTo(received);
            assertThat(station.frames.sendingFrames()).as("every sent frame came back").isZero();
            assertThat(station.frames.accountedFrames()).isEqualTo(small.frameCount());

            // And the frames still circulate: a later burst arrives whole.
            send(lab, 20, 0);
            int later = 0;
            final long laterDeadline = System.nanoTime() + DEADLINE_NS;
            while (later < 20 && System.nanoTime() < laterDeadline)
            {
                final ConsumerRing rx = station.socket.rxRing();
                final int n = rx.peek(BURST);
                station.frames.received(n);
                for (int i = 0; i < n; i++)
                {
                    station.frames.release(rx.address(i));
                }
                rx.release(n);
                station.frames.refill(station.socket.fillRing());
                later += n;
                if (n == 0)
                {
                    station.socket.awaitRx(10);
                }
            }
            assertThat(later).isEqualTo(20);
            assertThat(station.frames.accountedFrames()).isEqualTo(small.frameCount());
        }
    }

    @Test
    void zeroCopyOnVethIsRefusedNamingItAndAutoFallsBackToCopy()
    {
        Privileges.requireRootAndIp();
        try (VethLab lab = VethLab.create("xskzc"))
        {
            VethLab.inNamespace(lab.namespaceB(), () ->
            {
                final int ifIndex = ifIndex();
                assertThatThrownBy(() -> XdpSocket.open(VethLab.INTERFACE_B, ifIndex, 0,
                    XdpSocketOptions.defaults().withBindMode(XdpBindMode.ZERO_COPY)).close())
                    .isInstanceOf(LinuxException.class)
                    .hasMessageContaining("bind(AF_XDP, veth-b queue 0, zero-copy)");
                try (XdpSocket socket = XdpSocket.open(VethLab.INTERFACE_B, ifIndex, 0, XdpSocketOptions.defaults()))
                {
                    assertThat(socket.zeroCopy()).isFalse();
                }
                return null;
            });
        }
    }

    @Test
    void framesKeptForCopiesStayOutOfTheFillRingAndAreTakenOneByOne()
    {
        Privileges.requireRootAndIp();
        try (VethLab lab = VethLab.create("xskcp"))
        {
            VethLab.inNamespace(lab.namespaceB(), () ->
            {
                // As many ring slots as frames, so only the reserve keeps frames back.
                final XdpSocketOptions options = new XdpSocketOptions(64, 4096, 64, XdpBindMode.COPY);
                try (XdpSocket socket = XdpSocket.open(VethLab.INTERFACE_B, ifIndex(), 0, options))
                {
                    final XdpFrames frames = new XdpFrames(options);
                    frames.reserveForCopies(16);
                    assertThat(frames.refill(socket.fillRing())).isEqualTo(64 - 16);
                    assertThat(frames.freeFrames()).isEqualTo(16);
                    assertThat(frames.refill(socket.fillRing())).as("nothing more while only the reserve is free").isZero();

                    final java.util.Set<Long> taken = new java.util.HashSet<>();
                    for (int i = 0; i < 16; i++)
                    {
                        final long frame = frames.take();
                        assertThat(frame % options.frameSize()).as("a frame's first byte").isZero();
                        taken.add(frame);
                    }
                    assertThat(taken).hasSize(16);
                    assertThat(frames.take()).as("the reserve is spent").isEqualTo(-1L);
                    taken.forEach(frames::release);
                    assertThat(frames.accountedFrames()).isEqualTo(options.frameCount());
                    assertThatThrownBy(() -> frames.reserveForCopies(options.frameCount()))
                        .isInstanceOf(IllegalArgumentException.class);
                }
                return null;
            });
        }
    }

    /** Waits for every frame on the TX side to come back through the completion ring. */
    private static void drain(final Station station) throws InterruptedException
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (station.frames.sendingFrames() > 0 && System.nanoTime() < deadline)
        {
            station.socket.wakeupTx();
            station.frames.reclaim(station.socket.completionRing(), BURST);
            Thread.sleep(1);
        }
    }

    /** The B side: program, link and socket, made inside B's namespace. */
    private record Station(VipRedirectProgram program, XdpLink link, XdpSocket socket, XdpFrames frames) implements AutoCloseable
    {
        static Station open(final VethLab lab, final XdpMode mode, final XdpSocketOptions options)
        {
            lab.ipIn(lab.namespaceA(), "route", "add", VIP + "/32", "via", VethLab.ipv4(VethLab.ADDRESS_B));
            return VethLab.inNamespace(lab.namespaceB(), () ->
            {
                final VipRedirectProgram program = VipRedirectProgram.load(1);
                program.addIpv4Vip(VIP_ADDRESS, PORT, 17);
                final int ifIndex = ifIndex();
                final XdpSocket socket = XdpSocket.open(VethLab.INTERFACE_B, ifIndex, 0, options);
                program.bindQueue(0, socket.fd());
                final XdpLink link = XdpLink.attach(program.program(), ifIndex, VethLab.INTERFACE_B, mode);
                final XdpFrames frames = new XdpFrames(options);
                frames.refill(socket.fillRing());
                return new Station(program, link, socket, frames);
            });
        }

        @SuppressWarnings("restricted") // the UMEM this socket mapped, of the length it mapped
        MemorySegment umem()
        {
            return MemorySegment.ofAddress(socket.umemAddress()).reinterpret(socket.umemLength());
        }

        @Override
        public void close()
        {
            link.close();
            socket.close();
            program.close();
        }
    }

    private static void send(final VethLab lab, final int count, final int first)
    {
        VethLab.inNamespace(lab.namespaceA(), () ->
        {
            try (DatagramChannel channel = DatagramChannel.open())
            {
                final InetSocketAddress target = new InetSocketAddress(VIP, PORT);
                for (int i = 0; i < count; i++)
                {
                    channel.send(ByteBuffer.wrap(("datagram " + (first + i)).getBytes(StandardCharsets.US_ASCII)), target);
                }
            }
            return null;
        });
    }

    private static long rxPackets(final VethLab lab)
    {
        final String stats = lab.ipIn(lab.namespaceA(), "-s", "link", "show", VethLab.INTERFACE_A);
        final Matcher matcher = Pattern.compile("RX:[^\\n]*\\n\\s*(\\d+)\\s+(\\d+)").matcher(stats);
        assertThat(matcher.find()).as("RX counters in: %s", stats).isTrue();
        return Long.parseLong(matcher.group(2));
    }

    static int ifIndex()
    {
        return io.sluice.linux.bpf.BpfTestSupport.ifIndex(VethLab.INTERFACE_B);
    }

    private static int readInt(final MemorySegment umem, final long offset)
    {
        int value = 0;
        for (int i = 0; i < 4; i++)
        {
            value = value << 8 | (umem.get(JAVA_BYTE, offset + i) & 0xFF);
        }
        return value;
    }

    private static byte[] bytes(final MemorySegment umem, final long offset, final int length)
    {
        final byte[] out = new byte[length];
        MemorySegment.copy(umem, JAVA_BYTE, offset, out, 0, length);
        return out;
    }

    private static void swapMacs(final MemorySegment umem, final long address)
    {
        for (int i = 0; i < 6; i++)
        {
            final byte destination = umem.get(JAVA_BYTE, address + i);
            umem.set(JAVA_BYTE, address + i, umem.get(JAVA_BYTE, address + 6 + i));
            umem.set(JAVA_BYTE, address + 6 + i, destination);
        }
    }
}
