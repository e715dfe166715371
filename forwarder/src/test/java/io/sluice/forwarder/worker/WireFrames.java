package io.sluice.forwarder.worker;

/** Reading fields of frames the worker lab tests captured off the wire. */
final class WireFrames
{
    private WireFrames()
    {
    }

    /** The 48-bit MAC at {@code at} (0 destination, 6 source), most significant byte first. */
    static long mac(final byte[] frame, final int at)
    {
        long mac = 0;
        for (int i = 0; i < 6; i++)
        {
            mac = (mac << 8) | (frame[at + i] & 0xFF);
        }
        return mac;
    }
}
