package io.sluice.linux.xdp;

/**
 * The shape of one AF_XDP socket and its UMEM, validated once.
 *
 * @param frameCount  frames in the UMEM, a power of two; they circulate between the fill ring,
 *                    the kernel, the worker, the TX ring and the completion ring.
 * @param frameSize   bytes per frame, 2048 or 4096 (a page).
 * @param ringSize    slots in each of the four rings, a power of two.
 * @param bindMode    zero-copy, copy, or try zero-copy first.
 */
public record XdpSocketOptions(int frameCount, int frameSize, int ringSize, XdpBindMode bindMode)
{
    /** Room before every received packet: the kernel's XDP_PACKET_HEADROOM (the UMEM adds none). */
    public static final int PACKET_HEADROOM = 256;

    public XdpSocketOptions
    {
        if (frameSize != 2048 && frameSize != 4096)
        {
            throw new IllegalArgumentException("AF_XDP frame size " + frameSize + " must be 2048 or 4096");
        }
        if (frameCount < 2 || Integer.bitCount(frameCount) != 1 || (long)frameCount * frameSize > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("AF_XDP frame count " + frameCount + " must be a power of two, under 2 GiB of UMEM");
        }
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1 || ringSize > frameCount)
        {
            throw new IllegalArgumentException("AF_XDP ring size " + ringSize + " must be a power of two, at most the frame count");
        }
    }

    /** 4096 frames of 4 KiB (16 MiB of UMEM) and rings of 2048: a burst of 64 never waits for a slot. */
    public static XdpSocketOptions defaults()
    {
        return new XdpSocketOptions(4096, 4096, 2048, XdpBindMode.AUTO);
    }

    public XdpSocketOptions withBindMode(final XdpBindMode mode)
    {
        return new XdpSocketOptions(frameCount, frameSize, ringSize, mode);
    }

    public long umemBytes()
    {
        return (long)frameCount * frameSize;
    }
}
