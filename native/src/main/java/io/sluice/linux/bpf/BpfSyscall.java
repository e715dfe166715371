package io.sluice.linux.bpf;

import io.sluice.linux.Libc;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code bpf(cmd, attr, size)}: glibc has no wrapper, so it goes through the variadic
 * {@code syscall(2)}. Every argument is passed as a long (after the number, the arguments are
 * variadic and glibc reads each as a long: an int would leave the register's upper half undefined).
 */
final class BpfSyscall
{
    private static final long SYS_BPF = switch (System.getProperty("os.arch"))
    {
        case "amd64", "x86_64" -> 321L;
        case "aarch64", "arm64" -> 280L;
        default -> -1L;
    };

    private static final MethodHandle SYSCALL = link();

    @SuppressWarnings("restricted") // linking a C function is what this class is for
    private static MethodHandle link()
    {
        final Linker linker = Linker.nativeLinker();
        final MemorySegment symbol = linker.defaultLookup().find("syscall")
            .orElseThrow(() -> new UnsatisfiedLinkError("the C library has no function syscall"));
        try
        {
            return linker.downcallHandle(symbol,
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG),
                Linker.Option.firstVariadicArg(1),
                Linker.Option.captureCallState("errno"));
        }
        catch (final IllegalCallerException ex)
        {
            throw new IllegalStateException(
                "native access is disabled: run java with --enable-native-access=ALL-UNNAMED", ex);
        }
    }

    private BpfSyscall()
    {
    }

    /** @return the result (an fd or 0), or {@code -errno}. */
    static long bpf(final MemorySegment errno, final int command, final MemorySegment attr)
    {
        if (SYS_BPF < 0)
        {
            throw new UnsupportedOperationException(
                "bpf(2): unknown system call number on " + System.getProperty("os.arch"));
        }
        try
        {
            final long result = (long)SYSCALL.invokeExact(errno, SYS_BPF, (long)command, attr, attr.byteSize());
            return result < 0 ? -Libc.errno(errno) : result;
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("bpf(2) call failed unexpectedly", t);
        }
    }
}
