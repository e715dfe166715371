package io.sluice.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The C library functions sluice calls, each linked once (lazily, in its own holder class) and
 * called with {@code invokeExact}.
 *
 * <p>Every function here returns the raw result, or {@code -errno} when the call failed, in the
 * manner of Netty's native transport: hot paths compare with zero and never see an exception;
 * everything else wraps the result in {@link LinuxException#check(String, int)}, naming the call
 * the way a reader would look for it ({@code "setsockopt(SOL_PACKET, PACKET_RX_RING)"}).
 *
 * <p>errno is captured with {@code Linker.Option.captureCallState("errno")} into a segment the
 * caller passes in: {@link #errnoState()} gives the calling thread its own (slow paths), and an
 * owner of a hot loop allocates one once with {@link #allocateErrnoState(Arena)}. errno is read
 * only when the call returned a negative value: on success the slot holds a stale value.
 */
public final class Libc
{
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int AF_PACKET = 17;

    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;

    public static final int SOL_SOCKET = 1;
    public static final int SOL_PACKET = 263;
    public static final int SOL_NETLINK = 270;

    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_RCVTIMEO = 20;
    public static final int SO_ATTACH_FILTER = 26;
    public static final int SO_BINDTOIFINDEX = 62;

    public static final int MSG_PEEK = 0x2;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;

    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x1;
    public static final int MAP_PRIVATE = 0x2;
    public static final int MAP_ANONYMOUS = 0x20;

    public static final int MADV_HUGEPAGE = 14;

    public static final short POLLIN = 0x1;
    public static final short POLLERR = 0x8;

    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 0x80000;

    public static final long SIOCGIFMTU = 0x8921;
    public static final long SIOCGIFHWADDR = 0x8927;

    public static final int CLONE_NEWNET = 0x40000000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup C = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final ThreadLocal<MemorySegment> THREAD_ERRNO_STATE =
        ThreadLocal.withInitial(() -> allocateErrnoState(Arena.ofAuto()));

    private Libc()
    {
    }

    /** @return the calling thread's errno capture segment (one per thread, made on first use). */
    public static MemorySegment errnoState()
    {
        return THREAD_ERRNO_STATE.get();
    }

    /** @return a new errno capture segment, for an owner that calls from one thread at a time. */
    public static MemorySegment allocateErrnoState(final Arena arena)
    {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    public static int socket(final MemorySegment errno, final int domain, final int type, final int protocol)
    {
        try
        {
            return result(errno, (int)Socket.HANDLE.invokeExact(errno, domain, type, protocol));
        }
        catch (final Throwable t)
        {
            throw unexpected("socket", t);
        }
    }

    public static int bind(final MemorySegment errno, final int fd, final MemorySegment address, final int length)
    {
        try
        {
            return result(errno, (int)Bind.HANDLE.invokeExact(errno, fd, address, length));
        }
        catch (final Throwable t)
        {
            throw unexpected("bind", t);
        }
    }

    public static int setsockopt(
        final MemorySegment errno, final int fd, final int level, final int name, final MemorySegment value, final int length)
    {
        try
        {
            return result(errno, (int)SetSockOpt.HANDLE.invokeExact(errno, fd, level, name, value, length));
        }
        catch (final Throwable t)
        {
            throw unexpected("setsockopt", t);
        }
    }

    /** Sets an int-valued option; uses a confined temporary, so not for hot paths. */
    public static int setsockopt(final MemorySegment errno, final int fd, final int level, final int name, final int value)
    {
        try (Arena arena = Arena.ofConfined())
        {
            return setsockopt(errno, fd, level, name, arena.allocateFrom(JAVA_INT, value), Integer.BYTES);
        }
    }

    /** @param length in: the size of {@code value}; out: the size the kernel wrote (a socklen_t). */
    public static int getsockopt(
        final MemorySegment errno, final int fd, final int level, final int name, final MemorySegment value, final MemorySegment length)
    {
        try
        {
            return result(errno, (int)GetSockOpt.HANDLE.invokeExact(errno, fd, level, name, value, length));
        }
        catch (final Throwable t)
        {
            throw unexpected("getsockopt", t);
        }
    }

    /** @return the mapped address, or {@code -errno} (user-space addresses are positive on 64-bit Linux). */
    public static long mmap(
        final MemorySegment errno, final long length, final int protection, final int flags, final int fd, final long offset)
    {
        try
        {
            final MemorySegment mapped = (MemorySegment)Mmap.HANDLE.invokeExact(
                errno, MemorySegment.NULL, length, protection, flags, fd, offset);
            final long address = mapped.address();
            return address == -1L ? -errno(errno) : address;
        }
        catch (final Throwable t)
        {
            throw unexpected("mmap", t);
        }
    }

    public static int munmap(final MemorySegment errno, final long address, final long length)
    {
        try
        {
            return result(errno, (int)Munmap.HANDLE.invokeExact(errno, MemorySegment.ofAddress(address), length));
        }
        catch (final Throwable t)
        {
            throw unexpected("munmap", t);
        }
    }

    public static int madvise(final MemorySegment errno, final long address, final long length, final int advice)
    {
        try
        {
            return result(errno, (int)Madvise.HANDLE.invokeExact(errno, MemorySegment.ofAddress(address), length, advice));
        }
        catch (final Throwable t)
        {
            throw unexpected("madvise", t);
        }
    }

    public static int poll(final MemorySegment errno, final MemorySegment pollFds, final long count, final int timeoutMs)
    {
        try
        {
            return result(errno, (int)Poll.HANDLE.invokeExact(errno, pollFds, count, timeoutMs));
        }
        catch (final Throwable t)
        {
            throw unexpected("poll", t);
        }
    }

    public static int close(final MemorySegment errno, final int fd)
    {
        try
        {
            return result(errno, (int)Close.HANDLE.invokeExact(errno, fd));
        }
        catch (final Throwable t)
        {
            throw unexpected("close", t);
        }
    }

    /** @return how many messages were sent, or {@code -errno} when the first one failed. */
    public static int sendmmsg(
        final MemorySegment errno, final int fd, final MemorySegment messages, final int count, final int flags)
    {
        try
        {
            return result(errno, (int)SendMmsg.HANDLE.invokeExact(errno, fd, messages, count, flags));
        }
        catch (final Throwable t)
        {
            throw unexpected("sendmmsg", t);
        }
    }

    public static long sendto(
        final MemorySegment errno,
        final int fd,
        final MemorySegment buffer,
        final long length,
        final int flags,
        final MemorySegment address,
        final int addressLength)
    {
        try
        {
            return result(errno, (long)SendTo.HANDLE.invokeExact(errno, fd, buffer, length, flags, address, addressLength));
        }
        catch (final Throwable t)
        {
            throw unexpected("sendto", t);
        }
    }

    /** recvfrom without a source address. */
    public static long recv(final MemorySegment errno, final int fd, final MemorySegment buffer, final long length, final int flags)
    {
        try
        {
            return result(errno, (long)RecvFrom.HANDLE.invokeExact(
                errno, fd, buffer, length, flags, MemorySegment.NULL, MemorySegment.NULL));
        }
        catch (final Throwable t)
        {
            throw unexpected("recvfrom", t);
        }
    }

    /** @return the interface index, or {@code -errno} (ENODEV when there is no such interface). */
    public static int ifNameToIndex(final MemorySegment errno, final MemorySegment name)
    {
        try
        {
            final int index = (int)IfNameToIndex.HANDLE.invokeExact(errno, name);
            return index == 0 ? -errno(errno) : index;
        }
        catch (final Throwable t)
        {
            throw unexpected("if_nametoindex", t);
        }
    }

    /** ioctl with a pointer argument (struct ifreq and the like). */
    public static int ioctl(final MemorySegment errno, final int fd, final long request, final MemorySegment argument)
    {
        try
        {
            return result(errno, (int)Ioctl.HANDLE.invokeExact(errno, fd, request, argument));
        }
        catch (final Throwable t)
        {
            throw unexpected("ioctl", t);
        }
    }

    /** sched_setaffinity(pid, cpusetsize, mask): pid 0 is the calling thread. */
    public static int schedSetAffinity(final MemorySegment errno, final int pid, final long maskBytes, final MemorySegment mask)
    {
        try
        {
            return result(errno, (int)SchedSetAffinity.HANDLE.invokeExact(errno, pid, maskBytes, mask));
        }
        catch (final Throwable t)
        {
            throw unexpected("sched_setaffinity", t);
        }
    }

    public static int setns(final MemorySegment errno, final int fd, final int namespaceType)
    {
        try
        {
            return result(errno, (int)SetNs.HANDLE.invokeExact(errno, fd, namespaceType));
        }
        catch (final Throwable t)
        {
            throw unexpected("setns", t);
        }
    }

    public static int open(final MemorySegment errno, final MemorySegment path, final int flags)
    {
        try
        {
            return result(errno, (int)Open.HANDLE.invokeExact(errno, path, flags, 0));
        }
        catch (final Throwable t)
        {
            throw unexpected("open", t);
        }
    }

    public static int getpid()
    {
        try
        {
            return (int)GetPid.HANDLE.invokeExact();
        }
        catch (final Throwable t)
        {
            throw unexpected("getpid", t);
        }
    }

    public static int gettid()
    {
        try
        {
            return (int)GetTid.HANDLE.invokeExact();
        }
        catch (final Throwable t)
        {
            throw unexpected("gettid", t);
        }
    }

    /** @return the errno a call captured; meaningful only right after that call returned a negative value. */
    public static int errno(final MemorySegment errnoState)
    {
        return (int)ERRNO.get(errnoState, 0L);
    }

    private static int result(final MemorySegment errno, final int result)
    {
        return result < 0 ? -errno(errno) : result;
    }

    private static long result(final MemorySegment errno, final long result)
    {
        return result < 0 ? -errno(errno) : result;
    }

    private static IllegalStateException unexpected(final String function, final Throwable t)
    {
        if (t instanceof RuntimeException runtime)
        {
            throw runtime;
        }
        if (t instanceof Error error)
        {
            throw error;
        }
        return new IllegalStateException("calling " + function + " failed unexpectedly", t);
    }

    @SuppressWarnings("restricted") // the one place native code is linked; the JVM needs --enable-native-access
    private static MethodHandle link(final String name, final FunctionDescriptor descriptor, final Linker.Option... options)
    {
        final MemorySegment symbol = C.find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError("the C library has no function " + name));
        try
        {
            return LINKER.downcallHandle(symbol, descriptor, options);
        }
        catch (final IllegalCallerException ex)
        {
            throw new IllegalStateException(
                "native access is disabled: run java with --enable-native-access=ALL-UNNAMED", ex);
        }
    }

    private static final class Socket
    {
        static final MethodHandle HANDLE = link("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    }

    private static final class Bind
    {
        static final MethodHandle HANDLE = link("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    }

    private static final class SetSockOpt
    {
        static final MethodHandle HANDLE = link("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    }

    private static final class GetSockOpt
    {
        static final MethodHandle HANDLE = link("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), CAPTURE_ERRNO);
    }

    private static final class Mmap
    {
        static final MethodHandle HANDLE = link("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), CAPTURE_ERRNO);
    }

    private static final class Munmap
    {
        static final MethodHandle HANDLE = link("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    }

    private static final class Madvise
    {
        static final MethodHandle HANDLE = link("madvise",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);
    }

    private static final class Poll
    {
        static final MethodHandle HANDLE = link("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);
    }

    private static final class Close
    {
        static final MethodHandle HANDLE = link("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    }

    private static final class SendMmsg
    {
        static final MethodHandle HANDLE = link("sendmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    }

    private static final class SendTo
    {
        static final MethodHandle HANDLE = link("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    }

    private static final class RecvFrom
    {
        static final MethodHandle HANDLE = link("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS), CAPTURE_ERRNO);
    }

    private static final class IfNameToIndex
    {
        static final MethodHandle HANDLE = link("if_nametoindex",
            FunctionDescriptor.of(JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    }

    private static final class Ioctl
    {
        // int ioctl(int fd, unsigned long request, ...): the pointer is the first variadic argument.
        static final MethodHandle HANDLE = link("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    }

    private static final class SchedSetAffinity
    {
        static final MethodHandle HANDLE = link("sched_setaffinity",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), CAPTURE_ERRNO);
    }

    private static final class SetNs
    {
        static final MethodHandle HANDLE = link("setns",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    }

    private static final class Open
    {
        // int open(const char *path, int flags, ...): the mode is the first variadic argument.
        static final MethodHandle HANDLE = link("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    }

    private static final class GetPid
    {
        static final MethodHandle HANDLE = link("getpid", FunctionDescriptor.of(JAVA_INT));
    }

    private static final class GetTid
    {
        static final MethodHandle HANDLE = link("gettid", FunctionDescriptor.of(JAVA_INT));
    }
}
