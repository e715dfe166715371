package io.sluice.linux;

import java.lang.foreign.MemorySegment;

/**
 * Zeroed memory taken from the kernel directly (a private anonymous mapping) rather than from
 * the C heap, for a large table that lives as long as its owner: the kernel supplies zero pages
 * only when they are first written, so a table sized for its peak holds in resident memory only
 * the pages its entries have reached, and a table that is never written (a NAT reply table on a
 * forwarder with no NAT VIP) costs nothing but address space.
 *
 * <p>A mapping of at least {@link #HUGE_PAGE} bytes starts on a huge-page boundary and is
 * advised {@code MADV_HUGEPAGE}, so where the kernel has transparent huge pages ({@code always}
 * or {@code madvise} in {@code /sys/kernel/mm/transparent_hugepage/enabled}) each 2 MiB of it
 * is one TLB entry instead of 512: a lookup at a random place in a table far larger than the
 * TLB's reach then costs one cache miss instead of a page walk and a cache miss. A kernel that
 * refuses the advice (built without transparent huge pages) leaves ordinary pages, which work
 * the same; {@link #hugePagesAdvised()} says which.
 *
 * <p>{@link #close()} unmaps it; nothing may read or write the memory afterwards, so the owner
 * closes it only once no thread uses it.
 */
public final class AnonymousMemory implements AutoCloseable
{
    /** The x86-64 and arm64 (4 KiB granule) transparent huge page: what a mapping is aligned to. */
    public static final long HUGE_PAGE = 2L << 20;

    private final long address;
    private final long length;
    private final boolean hugePagesAdvised;
    private boolean closed;

    private AnonymousMemory(final long address, final long length, final boolean hugePagesAdvised)
    {
        this.address = address;
        this.length = length;
        this.hugePagesAdvised = hugePagesAdvised;
    }

    /**
     * Maps {@code length} bytes of zeroed, readable and writable memory.
     *
     * @throws LinuxException naming mmap and the size when the kernel refuses (ENOMEM).
     * @throws IllegalArgumentException when {@code length} is not positive.
     */
    public static AnonymousMemory map(final long length)
    {
        if (length <= 0)
        {
            throw new IllegalArgumentException("an anonymous mapping needs a positive length, not " + length);
        }
        final MemorySegment errno = Libc.errnoState();
        final int protection = Libc.PROT_READ | Libc.PROT_WRITE;
        final int flags = Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS;
        if (length < HUGE_PAGE)
        {
            return new AnonymousMemory(check(length, Libc.mmap(errno, length, protection, flags, -1, 0)), length, false);
        }
        // mmap only promises page alignment: map a huge page more than asked and give back the
        // unaligned head and the tail, which costs nothing as none of it was ever touched.
        final long mappedLength = length + HUGE_PAGE;
        final long mapped = check(length, Libc.mmap(errno, mappedLength, protection, flags, -1, 0));
        final long aligned = (mapped + HUGE_PAGE - 1) & -HUGE_PAGE;
        unmap(errno, mapped, aligned - mapped);
        unmap(errno, aligned + length, mapped + mappedLength - (aligned + length));
        final boolean advised = Libc.madvise(errno, aligned, length, Libc.MADV_HUGEPAGE) == 0;
        return new AnonymousMemory(aligned, length, advised);
    }

    /** @return where the memory starts: page-aligned, huge-page-aligned from {@link #HUGE_PAGE} bytes on. */
    public long address()
    {
        return address;
    }

    public long length()
    {
        return length;
    }

    /** @return whether the kernel took the advice to back the memory with huge pages where it can. */
    public boolean hugePagesAdvised()
    {
        return hugePagesAdvised;
    }

    /** Unmaps the memory; a second call does nothing. */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            LinuxException.check("munmap(" + length + " bytes)", Libc.munmap(Libc.errnoState(), address, length));
        }
    }

    private static long check(final long length, final long result)
    {
        return LinuxException.check("mmap(" + length + " bytes, MAP_PRIVATE | MAP_ANONYMOUS)", result);
    }

    private static void unmap(final MemorySegment errno, final long address, final long length)
    {
        if (length > 0)
        {
            LinuxException.check("munmap(" + length + " bytes)", Libc.munmap(errno, address, length));
        }
    }
}
