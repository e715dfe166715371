package io.sluice.linux.xdp;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * One of a socket's four single-producer single-consumer rings, mapped from the kernel: a
 * producer index, a consumer index, a flags word and a power-of-two array of descriptors.
 * Indices are free-running 32-bit counters (they wrap; only differences are used).
 *
 * <p>Both ends keep a cached copy of the other side's index and read the shared one (an acquire
 * load) only when the cache says the ring is empty or full; their own index is published with a
 * release store after the descriptors are written or read, as libxdp's {@code xsk.h} does.
 */
public abstract class XdpRing
{
    static final int XDP_RING_NEED_WAKEUP = 1;
    private static final VarHandle INT = JAVA_INT.varHandle();

    final MemorySegment ring;
    final long producerOffset;
    final long consumerOffset;
    final long flagsOffset;
    final long descriptorsOffset;
    final int size;
    final int mask;

    XdpRing(final MemorySegment ring, final XdpRingOffsets offsets, final int size)
    {
        this.ring = ring;
        this.producerOffset = offsets.producer();
        this.consumerOffset = offsets.consumer();
        this.flagsOffset = offsets.flags();
        this.descriptorsOffset = offsets.descriptors();
        this.size = size;
        this.mask = size - 1;
    }

    public int size()
    {
        return size;
    }

    /** The kernel asks to be woken (a syscall on the socket) before it looks at this ring again. */
    public boolean needsWakeup()
    {
        return ((int)INT.getAcquire(ring, flagsOffset) & XDP_RING_NEED_WAKEUP) != 0;
    }

    final int acquireProducer()
    {
        return (int)INT.getAcquire(ring, producerOffset);
    }

    final int acquireConsumer()
    {
        return (int)INT.getAcquire(ring, consumerOffset);
    }

    final void releaseProducer(final int value)
    {
        INT.setRelease(ring, producerOffset, value);
    }

    final void releaseConsumer(final int value)
    {
        INT.setRelease(ring, consumerOffset, value);
    }

    /** Where a ring's words are, from getsockopt(XDP_MMAP_OFFSETS). */
    public record XdpRingOffsets(long producer, long consumer, long descriptors, long flags)
    {
    }
}
