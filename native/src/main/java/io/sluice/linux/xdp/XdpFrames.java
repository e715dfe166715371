package io.sluice.linux.xdp;

/**
 * A worker's account of its socket's UMEM frames. Every frame is in exactly one place: on the
 * worker's free stack, given to the kernel to receive into (fill ring, then the kernel, then the
 * RX ring until the worker reads it), in the worker's hands while it handles the packet, or
 * given to the kernel to send (TX ring, then the kernel, then the completion ring until the
 * worker reads it back). Outside a burst, {@code free + receiving + sending == frameCount};
 * {@link #accountedFrames()} is that sum, which tests compare with the frame count.
 *
 * <p>Plain arrays and ints: nothing here allocates after construction.
 */
public final class XdpFrames
{
    private final long[] free;
    private final int frameCount;
    private final long frameMask;
    private int freeCount;
    private long receiving;
    private long sending;

    public XdpFrames(final XdpSocketOptions options)
    {
        this.frameCount = options.frameCount();
        this.frameMask = ~((long)options.frameSize() - 1);
        this.free = new long[frameCount];
        for (int i = 0; i < frameCount; i++)
        {
            free[i] = (long)i * options.frameSize();
        }
        this.freeCount = frameCount;
    }

    /** Moves free frames, as many as fit, to the fill ring. @return how many. */
    public int refill(final ProducerRing fill)
    {
        final int n = fill.reserve(freeCount);
        for (int i = 0; i < n; i++)
        {
            fill.setAddress(i, free[--freeCount]);
        }
        if (n > 0)
        {
            fill.submit(n);
            receiving += n;
        }
        return n;
    }

    /** The worker took {@code n} received packets from the RX ring: they are in its hands now. */
    public void received(final int n)
    {
        receiving -= n;
    }

    /** A packet in the worker's hands was dropped: its frame is free again. */
    public void release(final long address)
    {
        free[freeCount++] = address & frameMask;
    }

    /** {@code n} packets in the worker's hands were put on the TX ring. */
    public void sent(final int n)
    {
        sending += n;
    }

    /** Takes sent frames back from the completion ring onto the free stack. @return how many. */
    public int reclaim(final ConsumerRing completion, final int max)
    {
        final int n = completion.peek(max);
        for (int i = 0; i < n; i++)
        {
            free[freeCount++] = completion.address(i) & frameMask;
        }
        if (n > 0)
        {
            completion.release(n);
            sending -= n;
        }
        return n;
    }

    public int freeFrames()
    {
        return freeCount;
    }

    /** Frames given to the kernel to receive into and not yet read back from the RX ring. */
    public long receivingFrames()
    {
        return receiving;
    }

    /** Frames given to the kernel to send and not yet read back from the completion ring. */
    public long sendingFrames()
    {
        return sending;
    }

    /** free + receiving + sending: equals {@link #frameCount()} whenever no burst is in the worker's hands. */
    public long accountedFrames()
    {
        return freeCount + receiving + sending;
    }

    public int frameCount()
    {
        return frameCount;
    }
}
