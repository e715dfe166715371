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
    /** Frames {@link #refill} leaves on the free stack for {@link #take}. */
    private int reserve;

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

    /**
     * Keeps {@code frames} free for {@link #take} instead of giving them all to the fill ring:
     * a worker on two interfaces copies packets into the other socket's UMEM.
     */
    public void reserveForCopies(final int frames)
    {
        if (frames < 0 || frames >= frameCount)
        {
            throw new IllegalArgumentException("a reserve of " + frames + " frames out of " + frameCount);
        }
        this.reserve = frames;
    }

    /**
     * Takes a free frame for a packet the worker writes itself (a copy from another UMEM).
     *
     * @return the frame's address, or -1 when none is free; give it back with {@link #release}
     *         or put it on the TX ring and count it with {@link #sent}.
     */
    public long take()
    {
        return freeCount > 0 ? free[--freeCount] : -1L;
    }

    /** Moves free frames, as many as fit (less the reserve for copies), to the fill ring. @return how many. */
    public int refill(final ProducerRing fill)
    {
        if (freeCount <= reserve)
        {
            return 0;
        }
        final int n = fill.reserve(freeCount - reserve);
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
