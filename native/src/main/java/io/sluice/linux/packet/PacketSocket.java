package io.sluice.linux.packet;

import io.sluice.linux.Libc;
import io.sluice.linux.LinuxException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * An AF_PACKET socket bound to one interface, receiving through a memory-mapped TPACKET_V3 ring.
 *
 * <h2>The ring</h2>
 * <pre>
 * ring() / ringAddress()            (blockCount × blockSize bytes, shared with the kernel)
 * ┌──────────────── block 0 ────────────────┬──────── block 1 ────────┬─ ... ─┐
 * │ tpacket_block_desc (48 B)               │                         │       │
 * │   block_status  TP_STATUS_KERNEL / USER │                         │       │
 * │   num_pkts, offset_to_first_pkt         │                         │       │
 * │ ┌─ frame ──────────────────────────────┐│                         │       │
 * │ │ tpacket3_hdr (48 B): tp_next_offset, ││                         │       │
 * │ │   tp_snaplen, tp_len, tp_status,     ││                         │       │
 * │ │   tp_mac, tp_net, tp_vlan_tci/tpid   ││                         │       │
 * │ │ sockaddr_ll                          ││                         │       │
 * │ │ headroom (PACKET_RESERVE, ≥ options) ││                         │       │
 * │ │ frame + tp_mac: Ethernet header ...  ││                         │       │
 * │ └──────────────────────────────────────┘│                         │       │
 * │ ┌─ frame (at frame + tp_next_offset) ──┐│                         │       │
 * │ ...                                     │                         │       │
 * └─────────────────────────────────────────┴─────────────────────────┴───────┘
 * </pre>
 * The kernel fills one block at a time and hands it over by setting {@code block_status} to
 * TP_STATUS_USER, when the block is full or after the block timeout. User space takes blocks
 * in order and gives each back by storing TP_STATUS_KERNEL. All offsets this class returns are
 * relative to the start of the ring, so a caller can wrap one buffer over {@link #ringAddress()}
 * once and index it with them.
 *
 * <h2>Receiving</h2>
 * <pre>
 * while (socket.nextBlockReady()) {
 *     int frame = socket.firstFrameOffset();
 *     for (int i = 0, n = socket.blockPacketCount(); i &lt; n; i++) {
 *         handle(socket.macOffset(frame), socket.snapLength(frame));
 *         frame = socket.nextFrameOffset(frame);
 *     }
 *     socket.releaseBlock();          // only after the block's frames are sent: see below
 * }
 * </pre>
 * <b>Ownership:</b> the frames of the current block belong to the caller until
 * {@link #releaseBlock()}; after it the kernel may overwrite them at once. A frame queued on a
 * {@link PacketBatchSender} points into the ring, so flush the sender (sendmmsg copies the data
 * into the kernel) before releasing the block.
 *
 * <p>802.1Q: the kernel strips a VLAN tag into the frame's metadata before packet sockets see the
 * frame ({@link #vlanValid(int)}, {@link #vlanTci(int)}, {@link #vlanTpid(int)}); the headroom in
 * front of the MAC header leaves room to put it back in place.
 *
 * <p>Threads: the receive methods and {@link #awaitBlock(int)} belong to one thread (the
 * worker); {@link #attachFilter(ClassicBpfProgram)} may be called from another at any time.
 * The receive methods allocate nothing.
 */
public final class PacketSocket implements AutoCloseable
{
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final ValueLayout.OfShort NETWORK_SHORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int DEFAULT_VLAN_TPID = 0x8100;

    private final String interfaceName;
    private final int fd;
    private final int ifIndex;
    private final long macAddress;
    private final int mtu;
    private final int blockSize;
    private final int blockCount;
    private final Arena ringArena;
    private final MemorySegment ring;
    private final long ringAddress;
    private final MemorySegment errno;
    private final MemorySegment pollFd;
    /** Two pollfds, this socket's and another's, for a worker that reads two interfaces. */
    private final MemorySegment pollPair;
    private final MemorySegment statistics;
    private final MemorySegment statisticsLength;

    private int blockIndex;
    private long blockOffset;
    private boolean closed;

    private PacketSocket(
        final String interfaceName,
        final int fd,
        final int ifIndex,
        final long macAddress,
        final int mtu,
        final PacketSocketOptions options,
        final Arena ringArena,
        final MemorySegment ring)
    {
        this.interfaceName = interfaceName;
        this.fd = fd;
        this.ifIndex = ifIndex;
        this.macAddress = macAddress;
        this.mtu = mtu;
        this.blockSize = options.blockSizeBytes();
        this.blockCount = options.blockCount();
        this.ringArena = ringArena;
        this.ring = ring;
        this.ringAddress = ring.address();
        this.errno = Libc.allocateErrnoState(ringArena);
        this.pollFd = ringArena.allocate(Tpacket.POLLFD);
        this.pollFd.set(JAVA_INT, 0, fd);
        this.pollFd.set(JAVA_SHORT, 4, (short)(Libc.POLLIN | Libc.POLLERR));
        this.pollPair = ringArena.allocate(Tpacket.POLLFD.byteSize() * 2, Tpacket.POLLFD.byteAlignment());
        this.pollPair.set(JAVA_INT, 0, fd);
        this.pollPair.set(JAVA_SHORT, 4, (short)(Libc.POLLIN | Libc.POLLERR));
        this.pollPair.set(JAVA_SHORT, Tpacket.POLLFD.byteSize() + 4, (short)(Libc.POLLIN | Libc.POLLERR));
        this.statistics = ringArena.allocate(Tpacket.TPACKET_STATS_V3);
        this.statisticsLength = ringArena.allocate(JAVA_INT);
    }

    /** Opens a socket on the interface with {@link PacketSocketOptions#defaults()} (which drops everything until a filter is attached). */
    public static PacketSocket open(final String interfaceName)
    {
        return open(interfaceName, PacketSocketOptions.defaults());
    }

    /**
     * Opens a socket on the interface, in the calling thread's network namespace.
     *
     * <p>The socket is created with protocol 0, so it receives nothing while it is set up; the
     * filter is attached before it is bound to ETH_P_ALL on the interface, so no unfiltered frame
     * ever reaches the ring. Then it joins the fanout group, if any.
     *
     * @throws LinuxException naming the call that failed (no such interface, not root, ...).
     */
    public static PacketSocket open(final String interfaceName, final PacketSocketOptions options)
    {
        InterfaceRequests.requireValidName(interfaceName);
        Objects.requireNonNull(options, "options");
        final MemorySegment errno = Libc.errnoState();
        final int fd = LinuxException.check("socket(AF_PACKET, SOCK_RAW)",
            Libc.socket(errno, Libc.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0));
        Arena ringArena = null;
        try
        {
            final int ifIndex = InterfaceRequests.index(fd, interfaceName);
            final long mac = InterfaceRequests.macAddress(fd, interfaceName);
            final int mtu = InterfaceRequests.mtu(fd, interfaceName);

            setPacketOption(fd, Tpacket.PACKET_VERSION, Tpacket.TPACKET_V3, "PACKET_VERSION");
            setPacketOption(fd, Tpacket.PACKET_RESERVE, options.headroomBytes(), "PACKET_RESERVE");
            requestRing(fd, options);

            ringArena = Arena.ofShared();
            final MemorySegment ring = mapRing(fd, options, ringArena);

            setPacketOption(fd, Tpacket.PACKET_QDISC_BYPASS, 1, "PACKET_QDISC_BYPASS");
            setPacketOption(fd, Tpacket.PACKET_IGNORE_OUTGOING, 1, "PACKET_IGNORE_OUTGOING");
            attachFilter(fd, options.filter());
            bind(fd, Tpacket.ETH_P_ALL, ifIndex, "bind(AF_PACKET, ETH_P_ALL, " + interfaceName + ")");
            if (options.fanoutGroupId() != 0)
            {
                setPacketOption(fd, Tpacket.PACKET_FANOUT,
                    options.fanoutGroupId() | (Tpacket.PACKET_FANOUT_HASH << 16), "PACKET_FANOUT");
            }
            return new PacketSocket(interfaceName, fd, ifIndex, mac, mtu, options, ringArena, ring);
        }
        catch (final RuntimeException ex)
        {
            if (ringArena != null)
            {
                ringArena.close();
            }
            Libc.close(errno, fd);
            throw ex;
        }
    }

    /** Replaces the socket's filter; the kernel swaps it atomically, frames already in the ring stay. */
    public void attachFilter(final ClassicBpfProgram program)
    {
        Objects.requireNonNull(program, "program");
        attachFilter(fd, program);
    }

    public String interfaceName()
    {
        return interfaceName;
    }

    public int fd()
    {
        return fd;
    }

    public int ifIndex()
    {
        return ifIndex;
    }

    /** @return the interface's MAC, 48 bits in a long, first byte on the wire in bits 47..40. */
    public long macAddress()
    {
        return macAddress;
    }

    /** @return the interface's MTU when the socket was opened. */
    public int mtu()
    {
        return mtu;
    }

    /** @return the whole mapped ring; valid until {@link #close()}. */
    public MemorySegment ring()
    {
        return ring;
    }

    public long ringAddress()
    {
        return ringAddress;
    }

    public int ringLength()
    {
        return (int)ring.byteSize();
    }

    public int blockSize()
    {
        return blockSize;
    }

    public int blockCount()
    {
        return blockCount;
    }

    /** @return whether the kernel has handed the current block to user space (an acquire load). */
    public boolean nextBlockReady()
    {
        return ((int)INT.getAcquire(ring, blockOffset + Tpacket.BLOCK_STATUS) & Tpacket.TP_STATUS_USER) != 0;
    }

    /** @return the number of frames in the current block; call after {@link #nextBlockReady()} said true. */
    public int blockPacketCount()
    {
        return ring.get(JAVA_INT, blockOffset + Tpacket.BLOCK_NUM_PKTS);
    }

    /** @return the ring offset of the current block's first frame header. */
    public int firstFrameOffset()
    {
        return (int)(blockOffset + ring.get(JAVA_INT, blockOffset + Tpacket.BLOCK_OFFSET_TO_FIRST_PKT));
    }

    /** @return the ring offset of the frame header after this one (meaningless after the block's last frame). */
    public int nextFrameOffset(final int frame)
    {
        return frame + ring.get(JAVA_INT, frame + Tpacket.FRAME_NEXT_OFFSET);
    }

    /** @return the ring offset of the frame's Ethernet header. */
    public int macOffset(final int frame)
    {
        return frame + (ring.get(JAVA_SHORT, frame + Tpacket.FRAME_MAC) & 0xFFFF);
    }

    /** @return the bytes of the frame in the ring, from the MAC header. */
    public int snapLength(final int frame)
    {
        return ring.get(JAVA_INT, frame + Tpacket.FRAME_SNAPLEN);
    }

    /** @return the frame's length on the wire; larger than {@link #snapLength(int)} when the ring truncated it. */
    public int wireLength(final int frame)
    {
        return ring.get(JAVA_INT, frame + Tpacket.FRAME_LEN);
    }

    /**
     * @return whether the frame's TCP/UDP checksum is still to be computed (TP_STATUS_CSUMNOTREADY):
     *         the sender offloaded it and the packet never crossed a NIC that would have filled it
     *         in, as with traffic from a local process or a veth peer. The field then holds only the
     *         pseudo-header sum, and whoever transmits the frame again must finish it.
     */
    public boolean checksumNotReady(final int frame)
    {
        return (ring.get(JAVA_INT, frame + Tpacket.FRAME_STATUS) & Tpacket.TP_STATUS_CSUMNOTREADY) != 0;
    }

    /** @return whether the kernel stripped a VLAN tag from this frame into its metadata. */
    public boolean vlanValid(final int frame)
    {
        return (ring.get(JAVA_INT, frame + Tpacket.FRAME_STATUS) & Tpacket.TP_STATUS_VLAN_VALID) != 0;
    }

    /** @return the stripped tag's TCI (priority, DEI, VLAN id); meaningful when {@link #vlanValid(int)}. */
    public int vlanTci(final int frame)
    {
        return ring.get(JAVA_INT, frame + Tpacket.FRAME_VLAN_TCI) & 0xFFFF;
    }

    /** @return the stripped tag's TPID (0x8100 or 0x88a8); 0x8100 when the kernel did not record it. */
    public int vlanTpid(final int frame)
    {
        if ((ring.get(JAVA_INT, frame + Tpacket.FRAME_STATUS) & Tpacket.TP_STATUS_VLAN_TPID_VALID) == 0)
        {
            return DEFAULT_VLAN_TPID;
        }
        final int tpid = ring.get(JAVA_SHORT, frame + Tpacket.FRAME_VLAN_TPID) & 0xFFFF;
        return tpid == 0 ? DEFAULT_VLAN_TPID : tpid;
    }

    /** Gives the current block back to the kernel (a release store) and moves to the next one. */
    public void releaseBlock()
    {
        INT.setRelease(ring, blockOffset + Tpacket.BLOCK_STATUS, Tpacket.TP_STATUS_KERNEL);
        blockIndex = blockIndex + 1 == blockCount ? 0 : blockIndex + 1;
        blockOffset = (long)blockIndex * blockSize;
    }

    /**
     * Sleeps in poll() until the kernel hands a block over or the timeout passes; returns at once
     * when the current block is ready. An interrupted poll counts as a timeout.
     *
     * @return 1 when the current block is ready, 0 otherwise.
     */
    public int awaitBlock(final int timeoutMs)
    {
        if (nextBlockReady())
        {
            return 1;
        }
        pollFd.set(JAVA_SHORT, 6, (short)0);
        Libc.poll(errno, pollFd, 1, timeoutMs);
        return nextBlockReady() ? 1 : 0;
    }

    /**
     * {@link #awaitBlock(int)} over this socket and {@code other} at once: a worker reading two
     * interfaces wakes for either. Same thread rules.
     *
     * @return non-zero when either has a block ready.
     */
    public int awaitBlock(final PacketSocket other, final int timeoutMs)
    {
        if (nextBlockReady() || other.nextBlockReady())
        {
            return 1;
        }
        final long second = Tpacket.POLLFD.byteSize();
        pollPair.set(JAVA_SHORT, 6, (short)0);
        pollPair.set(JAVA_INT, second, other.fd);
        pollPair.set(JAVA_SHORT, second + 6, (short)0);
        Libc.poll(errno, pollPair, 2, timeoutMs);
        return nextBlockReady() || other.nextBlockReady() ? 1 : 0;
    }

    /**
     * Adds the kernel's statistics since the last read to {@code totals} (the kernel resets them
     * when read). Allocates nothing; call from one thread at a time.
     */
    public void readStatistics(final PacketStatistics totals)
    {
        statisticsLength.set(JAVA_INT, 0, (int)Tpacket.TPACKET_STATS_V3.byteSize());
        LinuxException.check("getsockopt(SOL_PACKET, PACKET_STATISTICS)", Libc.getsockopt(
            Libc.errnoState(), fd, Libc.SOL_PACKET, Tpacket.PACKET_STATISTICS, statistics, statisticsLength));
        totals.add(statistics.get(JAVA_INT, 0), statistics.get(JAVA_INT, 4), statistics.get(JAVA_INT, 8));
    }

    /** Unmaps the ring and closes the socket. The ring and every address into it are invalid afterwards. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            ringArena.close();
        }
        finally
        {
            Libc.close(Libc.errnoState(), fd);
        }
    }

    @Override
    public String toString()
    {
        return "PacketSocket[" + interfaceName + " ifindex=" + ifIndex + " fd=" + fd + "]";
    }

    static void bind(final int fd, final short protocol, final int ifIndex, final String call)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment address = arena.allocate(Tpacket.SOCKADDR_LL);
            address.set(JAVA_SHORT, Tpacket.offset(Tpacket.SOCKADDR_LL, "sll_family"), (short)Libc.AF_PACKET);
            address.set(NETWORK_SHORT, Tpacket.offset(Tpacket.SOCKADDR_LL, "sll_protocol"), protocol);
            address.set(JAVA_INT, Tpacket.offset(Tpacket.SOCKADDR_LL, "sll_ifindex"), ifIndex);
            LinuxException.check(call, Libc.bind(Libc.errnoState(), fd, address, (int)address.byteSize()));
        }
    }

    static void setPacketOption(final int fd, final int option, final int value, final String optionName)
    {
        LinuxException.check("setsockopt(SOL_PACKET, " + optionName + ")",
            Libc.setsockopt(Libc.errnoState(), fd, Libc.SOL_PACKET, option, value));
    }

    private static void requestRing(final int fd, final PacketSocketOptions options)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment request = arena.allocate(Tpacket.TPACKET_REQ3);
            final int framesPerBlock = options.blockSizeBytes() / options.frameSizeBytes();
            request.set(JAVA_INT, Tpacket.offset(Tpacket.TPACKET_REQ3, "tp_block_size"), options.blockSizeBytes());
            request.set(JAVA_INT, Tpacket.offset(Tpacket.TPACKET_REQ3, "tp_block_nr"), options.blockCount());
            request.set(JAVA_INT, Tpacket.offset(Tpacket.TPACKET_REQ3, "tp_frame_size"), options.frameSizeBytes());
            request.set(JAVA_INT, Tpacket.offset(Tpacket.TPACKET_REQ3, "tp_frame_nr"), framesPerBlock * options.blockCount());
            request.set(JAVA_INT, Tpacket.offset(Tpacket.TPACKET_REQ3, "tp_retire_blk_tov"), options.blockTimeoutMs());
            LinuxException.check("setsockopt(SOL_PACKET, PACKET_RX_RING)", Libc.setsockopt(
                Libc.errnoState(), fd, Libc.SOL_PACKET, Tpacket.PACKET_RX_RING, request, (int)request.byteSize()));
        }
    }

    @SuppressWarnings("restricted") // gives the mmap'd ring its real size; the arena owns and unmaps it
    private static MemorySegment mapRing(final int fd, final PacketSocketOptions options, final Arena arena)
    {
        final long length = (long)options.blockSizeBytes() * options.blockCount();
        final long address = LinuxException.check("mmap(PACKET_RX_RING)", Libc.mmap(
            Libc.errnoState(), length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0));
        return MemorySegment.ofAddress(address).reinterpret(length, arena, ignored -> Libc.munmap(Libc.errnoState(), address, length));
    }

    private static void attachFilter(final int fd, final ClassicBpfProgram program)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment instructions = arena.allocate(ClassicBpfProgram.SOCK_FILTER, program.length());
            program.writeTo(instructions, 0);
            final MemorySegment fprog = arena.allocate(Tpacket.SOCK_FPROG);
            fprog.set(JAVA_SHORT, Tpacket.offset(Tpacket.SOCK_FPROG, "len"), (short)program.length());
            fprog.set(ValueLayout.ADDRESS, Tpacket.offset(Tpacket.SOCK_FPROG, "filter"), instructions);
            LinuxException.check("setsockopt(SOL_SOCKET, SO_ATTACH_FILTER)", Libc.setsockopt(
                Libc.errnoState(), fd, Libc.SOL_SOCKET, Libc.SO_ATTACH_FILTER, fprog, (int)fprog.byteSize()));
        }
    }
}
