package io.sluice.forwarder.packet;

import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * An IPv6 fixed header (RFC 8200 section 3) read and written in place. Wrapping checks nothing:
 * the caller checks {@link #length()} against {@link PacketConstants#IPV6_HEADER_LENGTH} first.
 * An address is two longs, its first and last 8 bytes read big-endian, as
 * {@code io.sluice.forwarder.config.IpAddress} holds it. There is no header checksum: the
 * transport checksums cover the addresses through their pseudo-header.
 */
public final class Ipv6Flyweight
{
    public static final int VERSION_OFFSET = 0;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int NEXT_HEADER_OFFSET = 6;
    public static final int HOP_LIMIT_OFFSET = 7;
    public static final int SOURCE_OFFSET = 8;
    public static final int DESTINATION_OFFSET = 24;

    private MutableDirectBuffer buffer;
    private int offset;
    private int length;

    /** @param length the bytes present in the buffer from {@code offset} (to the end of the frame). */
    public Ipv6Flyweight wrap(final MutableDirectBuffer buffer, final int offset, final int length)
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

    /** @return the bytes available from the start of the header to the end of the frame. */
    public int length()
    {
        return length;
    }

    public int version()
    {
        return (buffer.getByte(offset + VERSION_OFFSET) >>> 4) & 0x0F;
    }

    /** @return the bytes after the fixed header: extension headers and the upper-layer packet. */
    public int payloadLength()
    {
        return buffer.getShort(offset + PAYLOAD_LENGTH_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public int nextHeader()
    {
        return buffer.getByte(offset + NEXT_HEADER_OFFSET) & 0xFF;
    }

    public int hopLimit()
    {
        return buffer.getByte(offset + HOP_LIMIT_OFFSET) & 0xFF;
    }

    public Ipv6Flyweight hopLimit(final int hopLimit)
    {
        buffer.putByte(offset + HOP_LIMIT_OFFSET, (byte)hopLimit);
        return this;
    }

    /** One less hop; no checksum to patch in IPv6. */
    public Ipv6Flyweight decrementHopLimit()
    {
        return hopLimit(hopLimit() - 1);
    }

    public long sourceHigh()
    {
        return buffer.getLong(offset + SOURCE_OFFSET, BIG_ENDIAN);
    }

    public long sourceLow()
    {
        return buffer.getLong(offset + SOURCE_OFFSET + 8, BIG_ENDIAN);
    }

    public long destinationHigh()
    {
        return buffer.getLong(offset + DESTINATION_OFFSET, BIG_ENDIAN);
    }

    public long destinationLow()
    {
        return buffer.getLong(offset + DESTINATION_OFFSET + 8, BIG_ENDIAN);
    }

    public Ipv6Flyweight source(final long high, final long low)
    {
        buffer.putLong(offset + SOURCE_OFFSET, high, BIG_ENDIAN);
        buffer.putLong(offset + SOURCE_OFFSET + 8, low, BIG_ENDIAN);
        return this;
    }

    public Ipv6Flyweight destination(final long high, final long low)
    {
        buffer.putLong(offset + DESTINATION_OFFSET, high, BIG_ENDIAN);
        buffer.putLong(offset + DESTINATION_OFFSET + 8, low, BIG_ENDIAN);
        return this;
    }

    /**
     * The sum of the upper-layer pseudo-header (RFC 8200 section 8.1): both addresses, the
     * upper-layer length and next header; not folded, to continue with {@link Checksums#sum}.
     */
    public long pseudoHeaderSum(final int upperLayerLength, final int nextHeader)
    {
        return Checksums.sum(buffer, offset + SOURCE_OFFSET, 32, 0) + upperLayerLength + nextHeader;
    }
}
