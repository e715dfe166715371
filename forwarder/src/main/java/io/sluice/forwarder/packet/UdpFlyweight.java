package io.sluice.forwarder.packet;

/**
 * A UDP header read and written in place. The caller checks that
 * {@link PacketConstants#UDP_HEADER_LENGTH} bytes are present before reading.
 */
public final class UdpFlyweight extends TransportFlyweight<UdpFlyweight>
{
    public static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;

    @Override
    protected UdpFlyweight self()
    {
        return this;
    }

    /** @return the length field: header and payload in bytes, as the datagram announces it. */
    public int datagramLength()
    {
        return readU16(LENGTH_OFFSET);
    }

    /** @return the checksum field; 0 means the sender computed none. */
    public int checksum()
    {
        return readU16(CHECKSUM_OFFSET);
    }

    public UdpFlyweight checksum(final int checksum)
    {
        return writeU16(CHECKSUM_OFFSET, checksum);
    }
}
