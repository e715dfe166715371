package io.sluice.linux.bpf;

import io.sluice.linux.Errno;
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
    /** What a lookup writes: the value, or for a per-CPU map one 8-byte-aligned value per possible CPU. */
    private final long lookupSize;
    private boolean closed;

    private BpfMap(final String name, final int fd, final int keySize, final int valueSize, final boolean perCpu)
    {
        this.name = name;
        this.fd = fd;
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.lookupSize = perCpu ? (long)((valueSize + 7) & ~7) * possibleCpus() : valueSize;
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

    private static BpfMap create(
        final int type, final String name, final int keySize, final int valueSize, final int maxEntries)
    {
        final boolean perCpu = type == Bpf.BPF_MAP_TYPE_PERCPU_ARRAY;
        return new BpfMap(name, Bpf.mapCreate(type, name, keySize, valueSize, maxEntries), keySize, valueSize, perCpu);
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

    /** @return the bytes a lookup writes (and an update reads): for a per-CPU map, a value per possible CPU. */
    public long lookupSize()
    {
        return lookupSize;
    }

    /**
     * Sets {@code key} to {@code value} (BPF_ANY: added or replaced). For a per-CPU map the value
     * is one per possible CPU, as {@link #lookup} gives it.
     */
    public void update(final MemorySegment key, final MemorySegment value)
    {
        requireSize(key, keySize, "key");
        requireSize(value, lookupSize, "value");
        Bpf.check(Bpf.mapElement(Bpf.BPF_MAP_UPDATE_ELEM, fd, key, value, Bpf.BPF_ANY),
            "bpf(BPF_MAP_UPDATE_ELEM, " + name + ")");
    }

    /** @return false when the key was not there. */
    public boolean delete(final MemorySegment key)
    {
        requireSize(key, keySize, "key");
        final long result = Bpf.mapElement(Bpf.BPF_MAP_DELETE_ELEM, fd, key, null, 0);
        if (Bpf.isMissing(result))
        {
            return false;
        }
        Bpf.check(result, "bpf(BPF_MAP_DELETE_ELEM, " + name + ")");
        return true;
    }

    /**
     * @param valueOut at least {@link #lookupSize()} bytes: the kernel writes that many.
     * @return false when the key is not there ({@code valueOut} untouched).
     */
    public boolean lookup(final MemorySegment key, final MemorySegment valueOut)
    {
        requireSize(key, keySize, "key");
        requireSize(valueOut, lookupSize, "value");
        final long result = Bpf.mapElement(Bpf.BPF_MAP_LOOKUP_ELEM, fd, key, valueOut, 0);
        if (Bpf.isMissing(result))
        {
            return false;
        }
        Bpf.check(result, "bpf(BPF_MAP_LOOKUP_ELEM, " + name + ")");
        return true;
    }

    /**
     * Walks the keys: {@code key} null gives the first. The order is the map's own; a walk
     * while the map changes may skip or repeat keys, as the kernel documents.
     *
     * @return false when {@code key} was the last (or the map is empty).
     */
    public boolean nextKey(final MemorySegment key, final MemorySegment nextKeyOut)
    {
        if (key != null)
        {
            requireSize(key, keySize, "key");
        }
        requireSize(nextKeyOut, keySize, "next key");
        final long result = Bpf.mapElement(Bpf.BPF_MAP_GET_NEXT_KEY, fd, key == null ? MemorySegment.NULL : key,
            nextKeyOut, 0);
        if (Bpf.isMissing(result))
        {
            return false;
        }
        Bpf.check(result, "bpf(BPF_MAP_GET_NEXT_KEY, " + name + ")");
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
        if (valueSize != Long.BYTES)
        {
            throw new IllegalStateException(name + " has " + valueSize + "-byte values, not 8-byte counters");
        }
        final int cpus = possibleCpus();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment values = arena.allocate(lookupSize, Long.BYTES);
            if (!lookup(arena.allocateFrom(JAVA_INT, key), values))
            {
                throw new LinuxException("bpf(BPF_MAP_LOOKUP_ELEM, " + name + ")", Errno.ENOENT);
            }
            long sum = 0;
            for (int cpu = 0; cpu < cpus; cpu++)
            {
                sum += values.getAtIndex(JAVA_LONG, cpu);
            }
            return sum;
        }
    }

    /** The kernel copies exactly its key or value size: a shorter segment would be read or written past its end. */
    private void requireSize(final MemorySegment segment, final long size, final String what)
    {
        if (segment.byteSize() < size)
        {
            throw new IllegalArgumentException(
                name + ": a " + what + " of " + segment.byteSize() + " bytes, the map's is " + size);
        }
    }

    /** The kernel sizes per-CPU values by possible CPUs ("0-3" in /sys), not online ones. */
    static int possibleCpus()
    {
        try
        {
            int count = 0;
            final String possible = Files.readString(Path.of("/sys/devices/system/cpu/possible")).strip();
            for (final String range : possible.split(","))
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
