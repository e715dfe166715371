package io.sluice.linux.netlink;

import io.sluice.linux.Errno;
import io.sluice.linux.Libc;
import io.sluice.linux.LinuxException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One netlink socket and the request/reply exchange over it: sequence numbers, multipart dumps
 * ending in NLMSG_DONE, NLMSG_ERROR turned into a {@link LinuxException} naming the request
 * type and carrying the kernel's extended-ack text when it gave one. Replies to other sequence
 * numbers (left over from an earlier request) are skipped. One thread at a time.
 */
final class NetlinkSocket implements AutoCloseable
{
    /** Called for each reply message; {@code offset} is where its nlmsghdr starts in {@code buffer}. */
    @FunctionalInterface
    interface Handler
    {
        void onMessage(MemorySegment buffer, int offset, int length, int type);
    }

    private static final int INITIAL_RECEIVE_BYTES = 64 * 1024;
    private static final int RECEIVE_TIMEOUT_SECONDS = 5;

    private final int fd;
    private final int protocol;
    private final Arena arena = Arena.ofShared();
    private MemorySegment receiveBuffer;
    private int sequence;
    private boolean closed;

    private NetlinkSocket(final int fd, final int protocol)
    {
        this.fd = fd;
        this.protocol = protocol;
        this.receiveBuffer = arena.allocate(INITIAL_RECEIVE_BYTES, 8);
        this.sequence = (int)(System.nanoTime() & 0x3FFF_FFFF);
    }

    /** Opens and binds a netlink socket in the calling thread's network namespace. */
    static NetlinkSocket open(final int protocol)
    {
        final MemorySegment errno = Libc.errnoState();
        final int fd = LinuxException.check("socket(AF_NETLINK)",
            Libc.socket(errno, Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol));
        try (Arena temporary = Arena.ofConfined())
        {
            final MemorySegment address = temporary.allocate(Netlink.SOCKADDR_NL);
            address.set(JAVA_SHORT, 0, (short)Libc.AF_NETLINK);
            LinuxException.check("bind(AF_NETLINK)", Libc.bind(errno, fd, address, (int)address.byteSize()));
            // Best effort: errors then carry the kernel's text and do not echo the request back.
            Libc.setsockopt(errno, fd, Libc.SOL_NETLINK, Netlink.NETLINK_EXT_ACK, 1);
            Libc.setsockopt(errno, fd, Libc.SOL_NETLINK, Netlink.NETLINK_CAP_ACK, 1);
            final MemorySegment timeout = temporary.allocate(2 * Long.BYTES, 8);
            timeout.set(JAVA_LONG, 0, RECEIVE_TIMEOUT_SECONDS);
            LinuxException.check("setsockopt(SOL_SOCKET, SO_RCVTIMEO)", Libc.setsockopt(
                errno, fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeout, (int)timeout.byteSize()));
            return new NetlinkSocket(fd, protocol);
        }
        catch (final RuntimeException ex)
        {
            Libc.close(errno, fd);
            throw ex;
        }
    }

    int protocol()
    {
        return protocol;
    }

    /**
     * Sends the request and feeds every reply to the handler until the exchange is complete: a
     * dump at NLMSG_DONE, a request with NLM_F_ACK at its acknowledgement, any other at its first
     * reply.
     *
     * @return false when the kernel flagged the dump as interrupted (the tables changed while
     *         it was being read): the caller should discard what it got and ask again.
     * @throws LinuxException on NLMSG_ERROR, named after the request type.
     */
    boolean exchange(final NetlinkRequest request, final int flags, final Handler handler)
    {
        final String name = Netlink.typeName(request.type());
        final int expected = ++sequence;
        send(name, request.finish(expected));
        final boolean dump = (flags & Netlink.NLM_F_DUMP) == Netlink.NLM_F_DUMP;
        final boolean acknowledged = (flags & Netlink.NLM_F_ACK) != 0;
        boolean consistent = true;
        while (true)
        {
            final int received = receive(name);
            int at = 0;
            while (at + Netlink.HEADER_LENGTH <= received)
            {
                final int length = receiveBuffer.get(JAVA_INT, at);
                final int type = receiveBuffer.get(JAVA_SHORT, at + 4) & 0xFFFF;
                final int messageFlags = receiveBuffer.get(JAVA_SHORT, at + 6) & 0xFFFF;
                final int messageSequence = receiveBuffer.get(JAVA_INT, at + 8);
                if (length < Netlink.HEADER_LENGTH || at + length > received)
                {
                    throw new IllegalStateException(name + ": malformed netlink reply (message length " + length + ")");
                }
                if (messageSequence == expected)
                {
                    if ((messageFlags & Netlink.NLM_F_DUMP_INTR) != 0)
                    {
                        consistent = false;
                    }
                    if (type == Netlink.NLMSG_ERROR)
                    {
                        final int error = receiveBuffer.get(JAVA_INT, at + Netlink.HEADER_LENGTH);
                        if (error != 0)
                        {
                            throw new LinuxException(name, -error, extendedAckMessage(at, length, messageFlags));
                        }
                        return consistent;
                    }
                    if (type == Netlink.NLMSG_DONE)
                    {
                        final int error = length >= Netlink.HEADER_LENGTH + Integer.BYTES ?
                            receiveBuffer.get(JAVA_INT, at + Netlink.HEADER_LENGTH) : 0;
                        if (error < 0)
                        {
                            throw new LinuxException(name, -error);
                        }
                        return consistent;
                    }
                    handler.onMessage(receiveBuffer, at, length, type);
                    if (!dump && !acknowledged && (messageFlags & Netlink.NLM_F_MULTI) == 0)
                    {
                        return consistent;
                    }
                }
                at += Netlink.align(length);
            }
        }
    }

    private void send(final String name, final byte[] message)
    {
        try (Arena temporary = Arena.ofConfined())
        {
            final MemorySegment segment = temporary.allocateFrom(JAVA_BYTE, message);
            final MemorySegment kernel = temporary.allocate(Netlink.SOCKADDR_NL);
            kernel.set(JAVA_SHORT, 0, (short)Libc.AF_NETLINK);
            final MemorySegment errno = Libc.errnoState();
            long result;
            do
            {
                result = Libc.sendto(errno, fd, segment, message.length, 0, kernel, (int)kernel.byteSize());
            }
            while (result == -Errno.EINTR);
            LinuxException.check("sendto(AF_NETLINK, " + name + ")", result);
        }
    }

    /** Reads one datagram whole, growing the buffer first when it is larger than the buffer. */
    private int receive(final String name)
    {
        final MemorySegment errno = Libc.errnoState();
        while (true)
        {
            final long size = Libc.recv(errno, fd, receiveBuffer, receiveBuffer.byteSize(), Libc.MSG_PEEK | Libc.MSG_TRUNC);
            if (size == -Errno.EINTR)
            {
                continue;
            }
            if (size == -Errno.EAGAIN)
            {
                throw new LinuxException("recv(AF_NETLINK, " + name + ")", Errno.EAGAIN,
                    "no reply from the kernel within " + RECEIVE_TIMEOUT_SECONDS + " s");
            }
            LinuxException.check("recv(AF_NETLINK, " + name + ")", size);
            if (size > receiveBuffer.byteSize())
            {
                receiveBuffer = arena.allocate(Long.highestOneBit(size) << 1, 8);
                continue;
            }
            final long read = Libc.recv(errno, fd, receiveBuffer, receiveBuffer.byteSize(), 0);
            if (read == -Errno.EINTR)
            {
                continue;
            }
            return (int)LinuxException.check("recv(AF_NETLINK, " + name + ")", read);
        }
    }

    /** NLMSGERR_ATTR_MSG from the TLVs after {@code struct nlmsgerr}, or null. */
    private String extendedAckMessage(final int at, final int length, final int flags)
    {
        if ((flags & Netlink.NLM_F_ACK_TLVS) == 0)
        {
            return null;
        }
        final int originalHeader = at + Netlink.HEADER_LENGTH + Integer.BYTES;
        final int originalLength = receiveBuffer.get(JAVA_INT, originalHeader);
        final int tlvStart = originalHeader + Netlink.align((flags & Netlink.NLM_F_CAPPED) != 0 ?
            Netlink.HEADER_LENGTH : originalLength);
        if (tlvStart >= at + length)
        {
            return null;
        }
        return NetlinkAttributes.parse(receiveBuffer, tlvStart, at + length).string(Netlink.NLMSGERR_ATTR_MSG);
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        Libc.close(Libc.errnoState(), fd);
        arena.close();
    }
}
