package io.sluice.forwarder.packet;

import java.nio.ByteOrder;

/**
 * A TCP header read and written in place. The caller checks that at least
 * {@link PacketConstants#TCP_MIN_HEADER_LENGTH} bytes of it are present before reading.
 */
public final class TcpFlyweight extends TransportFlyweight<TcpFlyweight>
{
    public static final int SEQUENCE_OFFSET = 4;
    public static final int ACKNOWLEDGMENT_OFFSET = 8;
    public static final int DATA_OFFSET_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int WINDOW_OFFSET = 14;
    public static final int CHECKSUM_OFFSET = 16;
    public static final int URGENT_POINTER_OFFSET = 18;

    @Override
    protected TcpFlyweight self()
    {
        return this;
    }

    public int sequenceNumber()
    {
        return buffer().getInt(offset() + SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public int acknowledgmentNumber()
    {
        return buffer().getInt(offset() + ACKNOWLEDGMENT_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /** @return the header length in bytes (data offset * 4), options included. */
    public int headerLength()
    {
        return ((buffer().getByte(offset() + DATA_OFFSET_OFFSET) >>> 4) & 0x0F) << 2;
    }

    /** @return the eight flag bits (CWR..FIN), see {@link PacketConstants#TCP_SYN} and friends. */
    public int flags()
    {
        return buffer().getByte(offset() + FLAGS_OFFSET) & 0xFF;
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
}
