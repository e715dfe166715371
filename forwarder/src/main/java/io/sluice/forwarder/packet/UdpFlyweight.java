package io.sluice.forwarder.packet;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * A UDP header read and written in place. The caller checks that
 * {@link PacketConstants#UDP_HEADER_LENGTH} bytes are present before reading.
 */
public final class UdpFlyweight
{
    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;

    private MutableDirectBuffer buffer;
    private int offset;
    private int length;

    /** @param length the bytes of the datagram (header and payload) from {@code offset}. */
    public UdpFlyweight wrap(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public int offset()
    {
        return offset;
    }

    public int length()
    {
        return length;
    }

    public int sourcePort()
    {
        return readU16(SOURCE_PORT_OFFSET);
    }

    public UdpFlyweight sourcePort(final int port)
    {
        return writeU16(SOURCE_PORT_OFFSET, port);
    }

    public int destinationPort()
    {
        return readU16(DESTINATION_PORT_OFFSET);
    }

    public UdpFlyweight destinationPort(final int port)
    {
        return writeU16(DESTINATION_PORT_OFFSET, port);
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

    private int readU16(final int relativeOffset)
    {
        return buffer.getShort(offset + relativeOffset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    private UdpFlyweight writeU16(final int relativeOffset, final int value)
    {
        buffer.putShort(offset + relativeOffset, (short)value, ByteOrder.BIG_ENDIAN);
        return this;
    }
}
