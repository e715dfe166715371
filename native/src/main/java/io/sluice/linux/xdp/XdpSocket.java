package io.sluice.linux.xdp;

import io.sluice.linux.Errno;
import io.sluice.linux.Libc;
import io.sluice.linux.LinuxException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One AF_XDP socket bound to one queue of an interface, with a UMEM of its own and the four
 * rings, all mapped from the kernel and unmapped by {@link #close()}.
 *
 * <p>A received packet's descriptor address is an offset into the UMEM: the frame's start plus
 * {@link XdpSocketOptions#PACKET_HEADROOM}, so every packet has that much room in front of it for
 * headers a rewrite prepends; a TX descriptor may start anywhere inside its frame. The socket
 * binds with XDP_USE_NEED_WAKEUP: the kernel sets a ring's flag when it wants a syscall, and
 * {@link #wakeupTx()} makes one only then.
 */
public final class XdpSocket implements AutoCloseable
{
    public static final int AF_XDP = 44;
    public static final int SOL_XDP = 283;
    static final int XDP_MMAP_OFFSETS = 1;
    static final int XDP_RX_RING = 2;
    static final int XDP_TX_RING = 3;
    static final int XDP_UMEM_REG = 4;
    static final int XDP_UMEM_FILL_RING = 5;
    static final int XDP_UMEM_COMPLETION_RING = 6;
    static final int XDP_STATISTICS = 7;
    static final int XDP_OPTIONS = 8;
    static final int XDP_OPTIONS_ZEROCOPY = 1;
    static final short XDP_COPY = 1 << 1;
    static final short XDP_ZEROCOPY = 1 << 2;
    static final short XDP_USE_NEED_WAKEUP = 1 << 3;
    static final short XDP_SHARED_UMEM = 1 << 0;
    static final long XDP_PGOFF_RX_RING = 0;
    static final long XDP_PGOFF_TX_RING = 0x80000000L;
    static final long XDP_UMEM_PGOFF_FILL_RING = 0x100000000L;
    static final long XDP_UMEM_PGOFF_COMPLETION_RING = 0x180000000L;
    static final int UMEM_REG_LENGTH = 32;
    static final int SOCKADDR_XDP_LENGTH = 16;
    static final int MMAP_OFFSETS_LENGTH = 128;
    static final int RING_OFFSET_LENGTH = 32;
    static final int XDP_DESC_LENGTH = 16;
    static final int ADDRESS_LENGTH = 8;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_POPULATE = 0x8000;
    /** Kicks per {@link #flushTx()} that may make no progress before it leaves the rest for later. */
    private static final int TX_KICKS_WITHOUT_PROGRESS = 1;

    private final XdpSocketOptions options;
    private final String interfaceName;
    private final int queueId;
    private final MemorySegment errno;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment pollFd;
    private int fd = -1;
    private long umemAddress;
    /** Whether this socket mapped its UMEM (and unmaps it), or uses another socket's. */
    private boolean ownsUmem;
    private final long[] ringAddresses = new long[4];
    private final long[] ringLengths = new long[4];
    private ProducerRing fill;
    private ConsumerRing completion;
    private ConsumerRing rx;
    private ProducerRing tx;
    private boolean zeroCopy;

    private XdpSocket(final XdpSocketOptions options, final String interfaceName, final int queueId)
    {
        this.options = options;
        this.interfaceName = interfaceName;
        this.queueId = queueId;
        this.errno = Libc.allocateErrnoState(arena);
        this.pollFd = arena.allocate(16, 4); // room for two pollfds: this socket's and, for two interfaces, another's
    }

    /**
     * Opens a socket on queue {@code queueId} of the interface (in the calling thread's network
     * namespace). Packets reach it only once an XDP program redirects them to its fd.
     *
     * @throws LinuxException naming the step that failed; nothing stays open.
     */
    public static XdpSocket open(final String interfaceName, final int ifIndex, final int queueId, final XdpSocketOptions options)
    {
        final XdpSocket socket = new XdpSocket(options, interfaceName, queueId);
        try
        {
            socket.setUp(ifIndex);
            return socket;
        }
        catch (final RuntimeException ex)
        {
            socket.close();
            throw ex;
        }
    }

    /**
     * Opens a socket on queue {@code queueId} of another interface that uses {@code owner}'s
     * UMEM (XDP_SHARED_UMEM): a frame received on either socket can be sent by the other
     * without a copy. It has its own fill and completion rings, as the kernel asks of a socket
     * sharing a UMEM across devices, and the owner's bind mode; close it before the owner.
     *
     * @throws LinuxException naming the step that failed (a kernel before 5.10 refuses sharing
     *                        across devices); nothing stays open.
     */
    public static XdpSocket openSharingUmem(
        final String interfaceName, final int ifIndex, final int queueId, final XdpSocket owner)
    {
        final XdpSocket socket = new XdpSocket(owner.options, interfaceName, queueId);
        try
        {
            socket.setUpSharing(ifIndex, owner);
            return socket;
        }
        catch (final RuntimeException ex)
        {
            socket.close();
            throw ex;
        }
    }

    private void setUp(final int ifIndex)
    {
        fd = check("socket(AF_XDP)", Libc.socket(errno, AF_XDP, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0));
        final long umemBytes = options.umemBytes();
        umemAddress = LinuxException.check("mmap(UMEM, " + umemBytes + " bytes)",
            Libc.mmap(errno, umemBytes, Libc.PROT_READ | Libc.PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0));
        ownsUmem = true;
        try (Arena temporary = Arena.ofConfined())
        {
            final MemorySegment reg = temporary.allocate(UMEM_REG_LENGTH, 8);
            reg.set(JAVA_LONG, 0, umemAddress);
            reg.set(JAVA_LONG, 8, umemBytes);
            reg.set(JAVA_INT, 16, options.frameSize());
            reg.set(JAVA_INT, 20, 0); // no UMEM headroom: the kernel's own 256 bytes precede each packet
            check("setsockopt(SOL_XDP, XDP_UMEM_REG)", Libc.setsockopt(errno, fd, SOL_XDP, XDP_UMEM_REG, reg, UMEM_REG_LENGTH));
            setUpRings(temporary);
            bind(temporary, ifIndex);
        }
    }

    private void setUpSharing(final int ifIndex, final XdpSocket owner)
    {
        fd = check("socket(AF_XDP)", Libc.socket(errno, AF_XDP, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0));
        umemAddress = owner.umemAddress;
        try (Arena temporary = Arena.ofConfined())
        {
            setUpRings(temporary);
            final MemorySegment address = temporary.allocate(SOCKADDR_XDP_LENGTH, 4);
            address.set(JAVA_SHORT, 0, (short)AF_XDP);
            address.set(JAVA_SHORT, 2, XDP_SHARED_UMEM); // no other flag is allowed: the mode is the owner's
            address.set(JAVA_INT, 4, ifIndex);
            address.set(JAVA_INT, 8, queueId);
            address.set(JAVA_INT, 12, owner.fd);
            check(bindCall("sharing " + owner.interfaceName + " queue " + owner.queueId + "'s UMEM"),
                Libc.bind(errno, fd, address, SOCKADDR_XDP_LENGTH));
            zeroCopy = owner.zeroCopy;
        }
    }

    /** Creates and maps this socket's four rings: fill, completion, RX and TX. */
    private void setUpRings(final Arena temporary)
    {
        {
            final int ringSize = options.ringSize();
            check("setsockopt(SOL_XDP, XDP_UMEM_FILL_RING)", Libc.setsockopt(errno, fd, SOL_XDP, XDP_UMEM_FILL_RING, ringSize));
            check("setsockopt(SOL_XDP, XDP_UMEM_COMPLETION_RING)",
                Libc.setsockopt(errno, fd, SOL_XDP, XDP_UMEM_COMPLETION_RING, ringSize));
            check("setsockopt(SOL_XDP, XDP_RX_RING)", Libc.setsockopt(errno, fd, SOL_XDP, XDP_RX_RING, ringSize));
            check("setsockopt(SOL_XDP, XDP_TX_RING)", Libc.setsockopt(errno, fd, SOL_XDP, XDP_TX_RING, ringSize));

            final MemorySegment offsets = temporary.allocate(MMAP_OFFSETS_LENGTH, 8);
            final MemorySegment length = temporary.allocateFrom(JAVA_INT, MMAP_OFFSETS_LENGTH);
            check("getsockopt(SOL_XDP, XDP_MMAP_OFFSETS)", Libc.getsockopt(errno, fd, SOL_XDP, XDP_MMAP_OFFSETS, offsets, length));
            rx = new ConsumerRing(map(0, XDP_PGOFF_RX_RING, offsets, 0, XDP_DESC_LENGTH, "RX"),
                ringOffsets(offsets, 0), ringSize, XDP_DESC_LENGTH);
            tx = new ProducerRing(map(1, XDP_PGOFF_TX_RING, offsets, 1, XDP_DESC_LENGTH, "TX"),
                ringOffsets(offsets, 1), ringSize, XDP_DESC_LENGTH);
            fill = new ProducerRing(map(2, XDP_UMEM_PGOFF_FILL_RING, offsets, 2, ADDRESS_LENGTH, "fill"),
                ringOffsets(offsets, 2), ringSize, ADDRESS_LENGTH);
            completion = new ConsumerRing(map(3, XDP_UMEM_PGOFF_COMPLETION_RING, offsets, 3, ADDRESS_LENGTH, "completion"),
                ringOffsets(offsets, 3), ringSize, ADDRESS_LENGTH);
        }
    }

    private void bind(final Arena temporary, final int ifIndex)
    {
        final MemorySegment address = temporary.allocate(SOCKADDR_XDP_LENGTH, 4);
        address.set(JAVA_SHORT, 0, (short)AF_XDP);
        address.set(JAVA_INT, 4, ifIndex);
        address.set(JAVA_INT, 8, queueId);
        final XdpBindMode mode = options.bindMode();
        if (mode != XdpBindMode.COPY)
        {
            address.set(JAVA_SHORT, 2, (short)(XDP_USE_NEED_WAKEUP | XDP_ZEROCOPY));
            final int result = Libc.bind(errno, fd, address, SOCKADDR_XDP_LENGTH);
            if (result == 0)
            {
                zeroCopy = true;
                return;
            }
            final boolean unsupported = result == -Errno.EOPNOTSUPP || result == -Errno.EINVAL || result == -Errno.EPERM;
            if (mode == XdpBindMode.ZERO_COPY || !unsupported)
            {
                throw new LinuxException(bindCall("zero-copy"), -result,
                    unsupported ? "the driver offers no zero-copy for this queue" : null);
            }
        }
        address.set(JAVA_SHORT, 2, (short)(XDP_USE_NEED_WAKEUP | XDP_COPY));
        check(bindCall("copy"), Libc.bind(errno, fd, address, SOCKADDR_XDP_LENGTH));
        zeroCopy = false;
    }

    private String bindCall(final String mode)
    {
        return "bind(AF_XDP, " + interfaceName + " queue " + queueId + ", " + mode + ")";
    }

    @SuppressWarnings("restricted") // the kernel's ring mapping, sized by what we asked mmap for
    private MemorySegment map(final int index, final long pageOffset, final MemorySegment offsets, final int ring,
        final int descriptorLength, final String name)
    {
        final long length = offsets.get(JAVA_LONG, ring * (long)RING_OFFSET_LENGTH + 16) + (long)options.ringSize() * descriptorLength;
        final long address = LinuxException.check("mmap(AF_XDP " + name + " ring)",
            Libc.mmap(errno, length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED | MAP_POPULATE, fd, pageOffset));
        ringAddresses[index] = address;
        ringLengths[index] = length;
        return MemorySegment.ofAddress(address).reinterpret(length);
    }

    private static XdpRing.XdpRingOffsets ringOffsets(final MemorySegment offsets, final int ring)
    {
        final long base = ring * (long)RING_OFFSET_LENGTH;
        return new XdpRing.XdpRingOffsets(
            offsets.get(JAVA_LONG, base), offsets.get(JAVA_LONG, base + 8),
            offsets.get(JAVA_LONG, base + 16), offsets.get(JAVA_LONG, base + 24));
    }

    public int fd()
    {
        return fd;
    }

    public int queueId()
    {
        return queueId;
    }

    public boolean zeroCopy()
    {
        return zeroCopy;
    }

    public XdpSocketOptions options()
    {
        return options;
    }

    /** The UMEM's address in this process: wrap it (e.g. an Agrona UnsafeBuffer) to read packets. */
    public long umemAddress()
    {
        return umemAddress;
    }

    public long umemLength()
    {
        return options.umemBytes();
    }

    public ProducerRing fillRing()
    {
        return fill;
    }

    public ConsumerRing completionRing()
    {
        return completion;
    }

    public ConsumerRing rxRing()
    {
        return rx;
    }

    public ProducerRing txRing()
    {
        return tx;
    }

    /**
     * Tells the kernel there is TX work, when the TX ring asks for it.
     *
     * @return 0, or {@code -errno}: EAGAIN, EBUSY and ENOBUFS mean "try again later" and are
     *         expected under load; the frames stay in the ring.
     */
    public int wakeupTx()
    {
        if (!tx.needsWakeup())
        {
            return 0;
        }
        final long result = Libc.sendto(errno, fd, MemorySegment.NULL, 0, Libc.MSG_DONTWAIT, MemorySegment.NULL, 0);
        return result < 0 ? (int)result : 0;
    }

    /**
     * Kicks the kernel until it has taken every descriptor from the TX ring or stops making
     * progress. In copy mode one kick sends at most 32 frames (the kernel's TX batch), so a burst
     * of 64 needs two; a kick that takes nothing means the device is busy, and the rest waits for
     * the next duty cycle instead of spinning here.
     *
     * @return 0, or {@code -errno} from the last kick.
     */
    public int flushTx()
    {
        int outstanding = tx.outstanding();
        int idleKicks = 0;
        int result = 0;
        while (outstanding > 0 && tx.needsWakeup())
        {
            result = wakeupTx();
            final int left = tx.outstanding();
            if (left >= outstanding && ++idleKicks > TX_KICKS_WITHOUT_PROGRESS)
            {
                break;
            }
            if (result != 0 && result != -Errno.EAGAIN && result != -Errno.EBUSY && result != -Errno.ENOBUFS)
            {
                break;
            }
            outstanding = left;
        }
        return result;
    }

    /**
     * Sleeps in poll() until received packets are ready or the timeout passes; the poll also
     * wakes the kernel when the fill ring asked for it.
     *
     * @return non-zero when packets are ready.
     */
    public int awaitRx(final int timeoutMs)
    {
        if (rx.peek(1) > 0)
        {
            return 1;
        }
        pollFd.set(JAVA_INT, 0, fd);
        pollFd.set(JAVA_SHORT, 4, Libc.POLLIN);
        pollFd.set(JAVA_SHORT, 6, (short)0);
        Libc.poll(errno, pollFd, 1, timeoutMs);
        return rx.peek(1);
    }

    /**
     * {@link #awaitRx(int)} over this socket and {@code other} at once: a worker reading two
     * interfaces wakes for either.
     *
     * @return non-zero when either has packets ready.
     */
    public int awaitRx(final XdpSocket other, final int timeoutMs)
    {
        if (rx.peek(1) > 0 || other.rx.peek(1) > 0)
        {
            return 1;
        }
        pollFd.set(JAVA_INT, 0, fd);
        pollFd.set(JAVA_SHORT, 4, Libc.POLLIN);
        pollFd.set(JAVA_SHORT, 6, (short)0);
        pollFd.set(JAVA_INT, 8, other.fd);
        pollFd.set(JAVA_SHORT, 12, Libc.POLLIN);
        pollFd.set(JAVA_SHORT, 14, (short)0);
        Libc.poll(errno, pollFd, 2, timeoutMs);
        return rx.peek(1) + other.rx.peek(1);
    }

    /** Reads the kernel's counters for this socket (control path: allocates). */
    public XdpStatistics statistics()
    {
        try (Arena temporary = Arena.ofConfined())
        {
            final MemorySegment stats = temporary.allocate(XdpStatistics.LENGTH, 8);
            final MemorySegment length = temporary.allocateFrom(JAVA_INT, XdpStatistics.LENGTH);
            check("getsockopt(SOL_XDP, XDP_STATISTICS)", Libc.getsockopt(errno, fd, SOL_XDP, XDP_STATISTICS, stats, length));
            return new XdpStatistics(stats.get(JAVA_LONG, 0), stats.get(JAVA_LONG, 8), stats.get(JAVA_LONG, 16),
                stats.get(JAVA_LONG, 24), stats.get(JAVA_LONG, 32), stats.get(JAVA_LONG, 40));
        }
    }

    private int check(final String call, final int result)
    {
        return LinuxException.check(call, result);
    }

    @Override
    public void close()
    {
        if (fd >= 0)
        {
            Libc.close(errno, fd);
            fd = -1;
        }
        for (int i = 0; i < ringAddresses.length; i++)
        {
            if (ringAddresses[i] != 0)
            {
                Libc.munmap(errno, ringAddresses[i], ringLengths[i]);
                ringAddresses[i] = 0;
            }
        }
        if (umemAddress != 0 && ownsUmem)
        {
            Libc.munmap(errno, umemAddress, options.umemBytes());
        }
        umemAddress = 0;
        if (arena.scope().isAlive())
        {
            arena.close();
        }
    }
}
