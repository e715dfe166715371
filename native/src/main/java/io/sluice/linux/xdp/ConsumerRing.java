package io.sluice.linux.xdp;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A ring user space reads: RX ({@code struct xdp_desc}: address, length, options; 16 bytes) or
 * completion (a frame address; 8 bytes). {@code peek}, read descriptors {@code 0..n-1}, then
 * {@code release(n)}.
 */
public final class ConsumerRing extends XdpRing
{
    private final int descriptorLength;
    private int cachedProducer;
    private int cachedConsumer;

    ConsumerRing(final MemorySegment ring, final XdpRingOffsets offsets, final int size, final int descriptorLength)
    {
        super(ring, offsets, size);
        this.descriptorLength = descriptorLength;
        this.cachedConsumer = acquireConsumer();
        this.cachedProducer = acquireProducer();
    }

    /** @return how many descriptors, at most {@code max}, are ready to read. */
    public int peek(final int max)
    {
        int available = cachedProducer - cachedConsumer;
        if (available < max)
        {
            cachedProducer = acquireProducer();
            available = cachedProducer - cachedConsumer;
        }
        return Math.min(available, max);
    }

    /** The frame address of ready descriptor {@code i} (0 is the oldest). */
    public long address(final int i)
    {
        return ring.get(JAVA_LONG, slot(i));
    }

    /** The packet length of ready RX descriptor {@code i}. */
    public int length(final int i)
    {
        return ring.get(JAVA_INT, slot(i) + 8);
    }

    /** Hands {@code n} read descriptors back to the kernel. */
    public void release(final int n)
    {
        cachedConsumer += n;
        releaseConsumer(cachedConsumer);
    }

    private long slot(final int i)
    {
        return descriptorsOffset + (long)((cachedConsumer + i) & mask) * descriptorLength;
    }
}
