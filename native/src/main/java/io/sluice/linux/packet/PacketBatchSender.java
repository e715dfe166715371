package io.sluice.linux.packet;

import io.sluice.linux.Errno;
import io.sluice.linux.Libc;
import io.sluice.linux.LinuxException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Sends frames in batches with one {@code sendmmsg} on an AF_PACKET socket, straight from
 * wherever they are in memory (typically the RX ring of a {@link PacketSocket}): each queued
 * frame is one {@code mmsghdr} with one {@code iovec} pointing at it, so nothing is copied in
 * user space. The kernel copies the data during the call, so once {@link #flush()} returns the
 * frames' memory may be reused.
 *
 * <p>Frames are complete Ethernet frames (SOCK_RAW); every message is addressed to this
 * sender's interface with a {@code sockaddr_ll}. The socket bypasses the qdisc layer
 * (PACKET_QDISC_BYPASS) and sends with MSG_DONTWAIT: a full device queue is a counted failure,
 * never a blocked worker.
 *
 * <p>One thread uses a sender; {@link #add(long, int)}, {@link #flush()} and {@link #pending()}
 * allocate nothing and never throw for a failed send.
 */
public final class PacketBatchSender implements AutoCloseable
{
    public static final int DEFAULT_CAPACITY = 64;

    private static final long MMSGHDR_SIZE = Tpacket.MMSGHDR.byteSize();
    private static final long IOVEC_SIZE = Tpacket.IOVEC.byteSize();
    private static final long IOV_BASE = Tpacket.offset(Tpacket.IOVEC, "iov_base");
    private static final long IOV_LEN = Tpacket.offset(Tpacket.IOVEC, "iov_len");
    private static final int MAX_EINTR_RETRIES = 3;

    private final int fd;
    private final boolean ownsSocket;
    private final int ifIndex;
    private final int capacity;
    private final Arena arena;
    private final MemorySegment messages;
    /** messages from index i on, made once so a partial send resumes without allocating a slice. */
    private final MemorySegment[] messagesFrom;
    private final MemorySegment vectors;
    private final MemorySegment errno;
    private int pending;
    private int lastErrno;
    private long failedTotal;
    private boolean closed;

    private PacketBatchSender(final int fd, final boolean ownsSocket, final int ifIndex, final int capacity)
    {
        if (capacity < 1 || capacity > 1024)
        {
            throw new IllegalArgumentException("send batch capacity must be 1..1024 frames (UIO_MAXIOV), was " + capacity);
        }
        this.fd = fd;
        this.ownsSocket = ownsSocket;
        this.ifIndex = ifIndex;
        this.capacity = capacity;
        this.arena = Arena.ofShared();
        this.messages = arena.allocate(Tpacket.MMSGHDR, capacity);
        this.vectors = arena.allocate(Tpacket.IOVEC, capacity);
        this.errno = Libc.allocateErrnoState(arena);
        final MemorySegment destination = arena.allocate(Tpacket.SOCKADDR_LL);
        destination.set(JAVA_SHORT, Tpacket.offset(Tpacket.SOCKADDR_LL, "sll_family"), (short)Libc.AF_PACKET);
        destination.set(JAVA_INT, Tpacket.offset(Tpacket.SOCKADDR_LL, "sll_ifindex"), ifIndex);
        // sll_protocol stays 0: for SOCK_RAW the kernel then reads the ethertype from the frame itself.
        for (int i = 0; i < capacity; i++)
        {
            final long message = i * MMSGHDR_SIZE;
            messages.set(JAVA_LONG, message + Tpacket.offset(Tpacket.MMSGHDR, "msg_name"), destination.address());
            messages.set(JAVA_INT, message + Tpacket.offset(Tpacket.MMSGHDR, "msg_namelen"), (int)destination.byteSize());
            messages.set(JAVA_LONG, message + Tpacket.offset(Tpacket.MMSGHDR, "msg_iov"), vectors.address() + i * IOVEC_SIZE);
            messages.set(JAVA_LONG, message + Tpacket.offset(Tpacket.MMSGHDR, "msg_iovlen"), 1L);
        }
        this.messagesFrom = new MemorySegment[capacity];
        for (int i = 0; i < capacity; i++)
        {
            messagesFrom[i] = messages.asSlice(i * MMSGHDR_SIZE);
        }
    }

    /**
     * Opens a sender with its own socket on the interface (calling thread's namespace), bound
     * with protocol 0 so it never receives anything.
     */
    public static PacketBatchSender open(final String interfaceName, final int capacity)
    {
        InterfaceRequests.requireValidName(interfaceName);
        final MemorySegment errno = Libc.errnoState();
        final int fd = LinuxException.check("socket(AF_PACKET, SOCK_RAW)",
            Libc.socket(errno, Libc.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK, 0));
        try
        {
            final int ifIndex = InterfaceRequests.index(fd, interfaceName);
            PacketSocket.setPacketOption(fd, Tpacket.PACKET_QDISC_BYPASS, 1, "PACKET_QDISC_BYPASS");
            PacketSocket.bind(fd, (short)0, ifIndex, "bind(AF_PACKET, 0, " + interfaceName + ")");
            return new PacketBatchSender(fd, true, ifIndex, capacity);
        }
        catch (final RuntimeException ex)
        {
            Libc.close(errno, fd);
            throw ex;
        }
    }

    /** A sender on the receiving socket itself (which keeps owning its descriptor). */
    public static PacketBatchSender over(final PacketSocket socket, final int capacity)
    {
        return new PacketBatchSender(socket.fd(), false, socket.ifIndex(), capacity);
    }

    /**
     * Queues a frame; its memory must stay unchanged until {@link #flush()}.
     *
     * @return false, queueing nothing, when the batch is full: flush and add again.
     */
    public boolean add(final long address, final int length)
    {
        if (pending == capacity)
        {
            return false;
        }
        final long vector = pending * IOVEC_SIZE;
        vectors.set(JAVA_LONG, vector + IOV_BASE, address);
        vectors.set(JAVA_LONG, vector + IOV_LEN, length);
        pending++;
        return true;
    }

    /** @return frames queued and not yet flushed. */
    public int pending()
    {
        return pending;
    }

    public int capacity()
    {
        return capacity;
    }

    public int ifIndex()
    {
        return ifIndex;
    }

    /**
     * Sends every queued frame and empties the batch, whatever happens.
     *
     * <p>sendmmsg stops at the first message that fails: an interrupted call is retried; a frame
     * the kernel refuses (too long, say) is skipped and the rest are sent; when the device queue
     * or socket buffer is full twice in a row (ENOBUFS/EAGAIN) the rest of the batch is given up.
     *
     * @return how many frames were sent; {@code pending() - result} before the call failed
     *         (see {@link #lastErrno()}).
     */
    public int flush()
    {
        final int count = pending;
        pending = 0;
        int next = 0;
        int sent = 0;
        int interrupts = 0;
        boolean congested = false;
        while (next < count)
        {
            final int result = Libc.sendmmsg(
                errno, fd, messagesFrom[next], count - next, Libc.MSG_DONTWAIT);
            if (result > 0)
            {
                next += result;
                sent += result;
                congested = false;
                continue;
            }
            final int error = -result;
            if (error == Errno.EINTR && ++interrupts <= MAX_EINTR_RETRIES)
            {
                continue;
            }
            lastErrno = error;
            if ((error == Errno.ENOBUFS || error == Errno.EAGAIN) && congested)
            {
                break;
            }
            congested = error == Errno.ENOBUFS || error == Errno.EAGAIN;
            next++;
        }
        failedTotal += count - sent;
        return sent;
    }

    /** @return the errno of the last failed send, 0 if none failed yet. */
    public int lastErrno()
    {
        return lastErrno;
    }

    /** @return frames that failed to send since this sender was opened. */
    public long failedTotal()
    {
        return failedTotal;
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        pending = 0;
        arena.close();
        if (ownsSocket)
        {
            Libc.close(Libc.errnoState(), fd);
        }
    }
}
