package io.sluice.linux.bpf;

import io.sluice.linux.LinuxException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A BPF map, owned by this object: closing it closes the fd (a program that uses the map keeps
 * it alive in the kernel). Control-path only; element calls make a confined arena each.
 */
public final class BpfMap implements AutoCloseable
{
    private final String name;
    private final int fd;
    private final int keySize;
    private final int valueSize;
    private boolean closed;

    private BpfMap(final String name, final int fd, final int keySize, final int valueSize)
    {
        this.name = name;
        this.fd = fd;
        this.keySize = keySize;
        this.valueSize = valueSize;
    }

    public static BpfMap createHash(final String name, final int keySize, final int valueSize, final int maxEntries)
    {
        return create(Bpf.BPF_MAP_TYPE_HASH, name, keySize, valueSize, maxEntries);
    }

    public static BpfMap createArray(final String name, final int valueSize, final int maxEntries)
    {
        return create(Bpf.BPF_MAP_TYPE_ARRAY, name, Integer.BYTES, valueSize, maxEntries);
    }

    /** One value per possible CPU per key: counters a program adds to without atomics. */
    public static BpfMap createPerCpuArray(final String name, final int valueSize, final int maxEntries)
    {
        return create(Bpf.BPF_MAP_TYPE_PERCPU_ARRAY, name, Integer.BYTES, valueSize, maxEntries);
    }

    /** Queue id to AF_XDP socket fd: where {@code bpf_redirect_map} sends a queue's packets. */
    public static BpfMap createXskMap(final String name, final int maxEntries)
    {
        return create(Bpf.BPF_MAP_TYPE_XSKMAP, name, Integer.BYTES, Integer.BYTES, maxEntries);
    }

    private static BpfMap create(final int type, final String name, final int keySize, final int valueSize, final int maxEntries)
    {
        return new BpfMap(name, Bpf.mapCreate(type, name, keySize, valueSize, maxEntries), keySize, valueSize);
    }

    public int fd()
    {
        return fd;
    }

    public String name()
    {
        return name;
    }

    public int keySize()
    {
        return keySize;
    }

    public int valueSize()
    {
        return valueSize;
    }

    public void update(final MemorySegment key, final MemorySegment value)
    {
        Bpf.check(Bpf.mapElement(Bpf.BPF_MAP_UPDATE_ELEM, fd, key, value, Bpf.BPF_ANY), "bpf(BPF_MAP_UPDATE_ELEM, " + name + ")");
    }

    /** @return false when the key was not there. */
    public boolean delete(final MemorySegment key)
    {
        final long result = Bpf.mapElement(Bpf.BPF_MAP_DELETE_ELEM, fd, key, null, 0);
        if (Bpf.isMissing(result))
        {
            return false;
        }
        Bpf.check(result, "bpf(BPF_MAP_DELETE_ELEM, " + name + ")");
        return true;
    }

    /** @return false when the key is not there ({@code valueOut} untouched). */
    public boolean lookup(final MemorySegment key, final MemorySegment valueOut)
    {
        final long result = Bpf.mapElement(Bpf.BPF_MAP_LOOKUP_ELEM, fd, key, valueOut, 0);
        if (Bpf.isMissing(result))
        {
            return false;
        }
        Bpf.check(result, "bpf(BPF_MAP_LOOKUP_ELEM, " + name + ")");
        return true;
    }

    /** For int-keyed, int-valued maps (an XSKMAP: queue id to socket fd). */
    public void updateInt(final int key, final int value)
    {
        try (Arena arena = Arena.ofConfined())
        {
            update(arena.allocateFrom(JAVA_INT, key), arena.allocateFrom(JAVA_INT, value));
        }
    }

    public boolean deleteInt(final int key)
    {
        try (Arena arena = Arena.ofConfined())
        {
            return delete(arena.allocateFrom(JAVA_INT, key));
        }
    }

    /** @return the sum over every CPU of a per-CPU array's 8-byte value at {@code key}. */
    public long sumPerCpuLong(final int key)
    {
        final int cpus = possibleCpus();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment values = arena.allocate(JAVA_LONG, cpus);
            if (!lookup(arena.allocateFrom(JAVA_INT, key), values))
            {
                throw new LinuxException("bpf(BPF_MAP_LOOKUP_ELEM, " + name + ")", io.sluice.linux.Errno.ENOENT);
            }
            long sum = 0;
            for (int cpu = 0; cpu < cpus; cpu++)
            {
                sum += values.getAtIndex(JAVA_LONG, cpu);
            }
            return sum;
        }
    }

    /** The kernel sizes per-CPU values by possible CPUs ("0-3" in /sys), not online ones. */
    static int possibleCpus()
    {
        try
        {
            int count = 0;
            for (final String range : Files.readString(Path.of("/sys/devices/system/cpu/possible")).strip().split(","))
            {
                final String[] ends = range.split("-");
                count += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
            }
            return count;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read /sys/devices/system/cpu/possible", ex);
        }
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            Bpf.close(fd);
        }
    }
}
