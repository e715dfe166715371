package io.sluice.linux.xdp;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A ring user space writes: fill (frame addresses for the kernel to receive into; 8 bytes) or TX
 * ({@code struct xdp_desc}; 16 bytes). {@code reserve}, write descriptors {@code 0..n-1}, then
 * {@code submit(n)}.
 */
public final class ProducerRing extends XdpRing
{
    private final int descriptorLength;
    private int cachedProducer;
    /** The kernel's consumer index plus the ring size: the producer may run up to here. */
    private int cachedLimit;

    ProducerRing(final MemorySegment ring, final XdpRingOffsets offsets, final int size, final int descriptorLength)
    {
        super(ring, offsets, size);
        this.descriptorLength = descriptorLength;
        this.cachedProducer = acquireProducer();
        this.cachedLimit = acquireConsumer() + size;
    }

    /** @return how many slots, at most {@code wanted}, are free to write. */
    public int reserve(final int wanted)
    {
        int free = cachedLimit - cachedProducer;
        if (free < wanted)
        {
            cachedLimit = acquireConsumer() + size;
            free = cachedLimit - cachedProducer;
        }
        return Math.min(free, wanted);
    }

    /** Writes a fill-ring slot. */
    public void setAddress(final int i, final long address)
    {
        ring.set(JAVA_LONG, slot(i), address);
    }

    /** Writes a TX slot: the frame's address (its first byte) and length. */
    public void setDescriptor(final int i, final long address, final int length)
    {
        final long slot = slot(i);
        ring.set(JAVA_LONG, slot, address);
        ring.set(JAVA_INT, slot + 8, length);
        ring.set(JAVA_INT, slot + 12, 0);
    }

    /** Publishes {@code n} written slots to the kernel. */
    public void submit(final int n)
    {
        cachedProducer += n;
        releaseProducer(cachedProducer);
    }

    /** @return slots written and not yet taken by the kernel (a refreshed count). */
    public int outstanding()
    {
        return cachedProducer - acquireConsumer();
    }

    private long slot(final int i)
    {
        return descriptorsOffset + (long)((cachedProducer + i) & mask) * descriptorLength;
    }
}
