package io.sluice.linux.bpf;

import io.sluice.linux.Errno;
import io.sluice.linux.Libc;
import io.sluice.linux.LinuxException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The bpf(2) commands sluice uses, each filling the part of {@code union bpf_attr} that command
 * reads ({@link BpfAttr}, offsets from {@code linux/bpf.h}) and throwing a
 * {@link LinuxException} that names the command and the object when the kernel refuses.
 * Control-path only: every call makes a confined arena.
 */
public final class Bpf
{
    public static final int BPF_MAP_CREATE = 0;
    public static final int BPF_MAP_LOOKUP_ELEM = 1;
    public static final int BPF_MAP_UPDATE_ELEM = 2;
    public static final int BPF_MAP_DELETE_ELEM = 3;
    public static final int BPF_MAP_GET_NEXT_KEY = 4;
    public static final int BPF_PROG_LOAD = 5;
    public static final int BPF_PROG_TEST_RUN = 10;
    public static final int BPF_LINK_CREATE = 28;

    public static final int BPF_MAP_TYPE_HASH = 1;
    public static final int BPF_MAP_TYPE_ARRAY = 2;
    public static final int BPF_MAP_TYPE_PERCPU_ARRAY = 6;
    public static final int BPF_MAP_TYPE_XSKMAP = 17;
    public static final int BPF_PROG_TYPE_XDP = 6;
    public static final int BPF_XDP = 37;
    public static final int BPF_ANY = 0;
    /** BPF_OBJ_NAME_LEN: names are at most 15 bytes and a NUL. */
    public static final int OBJ_NAME_LENGTH = BpfAttr.OBJ_NAME_LENGTH;

    /** Big enough for the verifier's log of any program sluice emits. */
    static final int VERIFIER_LOG_BYTES = 1 << 20;

    private Bpf()
    {
    }

    /** @return the new map's fd. */
    public static int mapCreate(
        final int type, final String name, final int keySize, final int valueSize, final int maxEntries)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment attr = arena.allocate(BpfAttr.SIZE, 8);
            attr.set(JAVA_INT, BpfAttr.MAP_TYPE, type);
            attr.set(JAVA_INT, BpfAttr.KEY_SIZE, keySize);
            attr.set(JAVA_INT, BpfAttr.VALUE_SIZE, valueSize);
            attr.set(JAVA_INT, BpfAttr.MAX_ENTRIES, maxEntries);
            putName(attr, BpfAttr.MAP_NAME, name);
            return (int)check(BpfSyscall.bpf(Libc.errnoState(), BPF_MAP_CREATE, attr),
                "bpf(BPF_MAP_CREATE, " + name + ")");
        }
    }

    /** @return 0, or {@code -errno} (the map-element commands are also used where ENOENT is an answer). */
    static long mapElement(
        final int command, final int mapFd, final MemorySegment key, final MemorySegment value, final long flags)
    {
        try (Arena arena = Arena.ofConfined())
        {
            requireNative(key, "key");
            if (value != null)
            {
                requireNative(value, "value");
            }
            final MemorySegment attr = arena.allocate(BpfAttr.SIZE, 8);
            attr.set(JAVA_INT, BpfAttr.MAP_FD, mapFd);
            attr.set(JAVA_LONG, BpfAttr.KEY, key.address());
            attr.set(JAVA_LONG, BpfAttr.VALUE, value == null ? 0L : value.address());
            attr.set(JAVA_LONG, BpfAttr.ELEM_FLAGS, flags);
            return BpfSyscall.bpf(Libc.errnoState(), command, attr);
        }
    }

    /**
     * Loads a program; when the verifier refuses it, loads it again with the verifier's log on
     * and puts that log in the exception, since the log is the only useful answer.
     *
     * @return the program's fd.
     */
    public static int progLoad(final int type, final String name, final long[] instructions, final String license)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment insns = arena.allocate(JAVA_LONG, instructions.length);
            MemorySegment.copy(instructions, 0, insns, JAVA_LONG, 0, instructions.length);
            final MemorySegment licence = arena.allocateFrom(license, StandardCharsets.US_ASCII);
            final MemorySegment attr = arena.allocate(BpfAttr.SIZE, 8);
            attr.set(JAVA_INT, BpfAttr.PROG_TYPE, type);
            attr.set(JAVA_INT, BpfAttr.INSN_CNT, instructions.length);
            attr.set(JAVA_LONG, BpfAttr.INSNS, insns.address());
            attr.set(JAVA_LONG, BpfAttr.LICENSE, licence.address());
            putName(attr, BpfAttr.PROG_NAME, name);
            final long fd = BpfSyscall.bpf(Libc.errnoState(), BPF_PROG_LOAD, attr);
            if (fd >= 0)
            {
                return (int)fd;
            }
            final MemorySegment log = arena.allocate(VERIFIER_LOG_BYTES);
            attr.set(JAVA_INT, BpfAttr.LOG_LEVEL, 1);
            attr.set(JAVA_INT, BpfAttr.LOG_SIZE, VERIFIER_LOG_BYTES);
            attr.set(JAVA_LONG, BpfAttr.LOG_BUF, log.address());
            final long retry = BpfSyscall.bpf(Libc.errnoState(), BPF_PROG_LOAD, attr);
            if (retry >= 0)
            {
                return (int)retry; // refused without a log, accepted with one: a transient failure
            }
            final String verifierLog = log.getString(0, StandardCharsets.US_ASCII).strip();
            throw new LinuxException("bpf(BPF_PROG_LOAD, " + name + ")", (int)-fd,
                verifierLog.isEmpty() ? "no verifier log" : "verifier log:\n" + verifierLog);
        }
    }

    /**
     * Runs a program once on a copy of {@code packet} (BPF_PROG_TEST_RUN).
     *
     * @param packetOut receives the packet as the program left it; its length must be enough.
     * @return the program's return value in the low 32 bits and the output length in the high 32.
     */
    public static long testRun(final int progFd, final byte[] packet, final MemorySegment packetOut)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment in = arena.allocate(Math.max(packet.length, 1));
            MemorySegment.copy(packet, 0, in, JAVA_BYTE, 0, packet.length);
            final MemorySegment attr = arena.allocate(BpfAttr.SIZE, 8);
            attr.set(JAVA_INT, BpfAttr.TEST_PROG_FD, progFd);
            attr.set(JAVA_INT, BpfAttr.TEST_DATA_SIZE_IN, packet.length);
            attr.set(JAVA_INT, BpfAttr.TEST_DATA_SIZE_OUT, (int)packetOut.byteSize());
            attr.set(JAVA_LONG, BpfAttr.TEST_DATA_IN, in.address());
            attr.set(JAVA_LONG, BpfAttr.TEST_DATA_OUT, packetOut.address());
            attr.set(JAVA_INT, BpfAttr.TEST_REPEAT, 1);
            check(BpfSyscall.bpf(Libc.errnoState(), BPF_PROG_TEST_RUN, attr), "bpf(BPF_PROG_TEST_RUN)");
            final long retval = attr.get(JAVA_INT, BpfAttr.TEST_RETVAL) & 0xFFFF_FFFFL;
            final long lengthOut = attr.get(JAVA_INT, BpfAttr.TEST_DATA_SIZE_OUT) & 0xFFFF_FFFFL;
            return retval | (lengthOut << 32);
        }
    }

    /** @return the link's fd, or {@code -errno} (the caller names interface and mode in its message). */
    static long linkCreate(final int progFd, final int ifIndex, final int attachType, final int flags)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment attr = arena.allocate(BpfAttr.SIZE, 8);
            attr.set(JAVA_INT, BpfAttr.LINK_PROG_FD, progFd);
            attr.set(JAVA_INT, BpfAttr.LINK_TARGET_IFINDEX, ifIndex);
            attr.set(JAVA_INT, BpfAttr.LINK_ATTACH_TYPE, attachType);
            attr.set(JAVA_INT, BpfAttr.LINK_FLAGS, flags);
            return BpfSyscall.bpf(Libc.errnoState(), BPF_LINK_CREATE, attr);
        }
    }

    static long check(final long result, final String call)
    {
        if (result < 0)
        {
            throw new LinuxException(call, (int)-result);
        }
        return result;
    }

    static void close(final int fd)
    {
        if (fd >= 0)
        {
            Libc.close(Libc.errnoState(), fd);
        }
    }

    private static void putName(final MemorySegment attr, final long offset, final String name)
    {
        final byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        // The kernel accepts only [A-Za-z0-9_.] in object names.
        final int length = Math.min(bytes.length, OBJ_NAME_LENGTH - 1);
        for (int i = 0; i < length; i++)
        {
            final byte b = bytes[i];
            final boolean allowed = Character.isLetterOrDigit(b) || b == '_' || b == '.';
            attr.set(JAVA_BYTE, offset + i, allowed ? b : (byte)'_');
        }
    }

    /** The kernel reads keys and values through their addresses: a heap segment has none. */
    private static void requireNative(final MemorySegment segment, final String what)
    {
        if (!segment.isNative())
        {
            throw new IllegalArgumentException(
                "the map " + what + " must be native memory (from an Arena), not a heap array");
        }
    }

    static boolean isMissing(final long result)
    {
        return result == -Errno.ENOENT;
    }
}
