package io.sluice.forwarder.packet;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * A TCP header read and written in place. The caller checks that at least
 * {@link PacketConstants#TCP_MIN_HEADER_LENGTH} bytes of it are present before reading.
 */
public final class TcpFlyweight
{
    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int SEQUENCE_OFFSET = 4;
    public static final int ACKNOWLEDGMENT_OFFSET = 8;
    public static final int DATA_OFFSET_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int WINDOW_OFFSET = 14;
    public static final int CHECKSUM_OFFSET = 16;
    public static final int URGENT_POINTER_OFFSET = 18;

    private MutableDirectBuffer buffer;
    private int offset;
    private int length;

    /** @param length the bytes of the segment (header and payload) from {@code offset}. */
    public TcpFlyweight wrap(final MutableDirectBuffer buffer, final int offset, final int length)
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

    public TcpFlyweight sourcePort(final int port)
    {
        return writeU16(SOURCE_PORT_OFFSET, port);
    }

    public int destinationPort()
    {
        return readU16(DESTINATION_PORT_OFFSET);
    }

    public TcpFlyweight destinationPort(final int port)
    {
        return writeU16(DESTINATION_PORT_OFFSET, port);
    }

    public int sequenceNumber()
    {
        return buffer.getInt(offset + SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public int acknowledgmentNumber()
    {
        return buffer.getInt(offset + ACKNOWLEDGMENT_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /** @return the header length in bytes (data offset * 4), options included. */
    public int headerLength()
    {
        return ((buffer.getByte(offset + DATA_OFFSET_OFFSET) >>> 4) & 0x0F) << 2;
    }

    /** @return the eight flag bits (CWR..FIN), see {@link PacketConstants#TCP_SYN} and friends. */
    public int flags()
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    /** @return true when every flag in {@code mask} is set. */
    public boolean hasFlags(final int mask)
    {
        return (flags() & mask) == mask;
    }

    public int window()
    {
        return readU16(WINDOW_OFFSET);
    }

    public int checksum()
    {
        return readU16(CHECKSUM_OFFSET);
    }

    public TcpFlyweight checksum(final int checksum)
    {
        return writeU16(CHECKSUM_OFFSET, checksum);
    }

    public int urgentPointer()
    {
        return readU16(URGENT_POINTER_OFFSET);
    }

    private int readU16(final int relativeOffset)
    {
        return buffer.getShort(offset + relativeOffset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    private TcpFlyweight writeU16(final int relativeOffset, final int value)
    {
        buffer.putShort(offset + relativeOffset, (short)value, ByteOrder.BIG_ENDIAN);
        return this;
    }
}
