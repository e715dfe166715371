package io.sluice.forwarder.packet;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * What TCP and UDP headers have in common, read and written in place: both start with the
 * source and destination ports, so wrapping and the port accessors live here once. The type
 * parameter lets {@link #wrap} and the setters return the concrete flyweight for chaining.
 * Every method is final and the class is sealed to its two subclasses, so calls stay
 * monomorphic and allocation-free on the packet path.
 *
 * @param <F> the concrete flyweight.
 */
public abstract sealed class TransportFlyweight<F extends TransportFlyweight<F>>
    permits TcpFlyweight, UdpFlyweight
{
    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;

    private MutableDirectBuffer buffer;
    private int offset;
    private int length;

    /** @param length the bytes of the segment or datagram (header and payload) from {@code offset}. */
    public final F wrap(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return self();
    }

    public final int offset()
    {
        return offset;
    }

    public final int length()
    {
        return length;
    }

    public final int sourcePort()
    {
        return readU16(SOURCE_PORT_OFFSET);
    }

    public final F sourcePort(final int port)
    {
        return writeU16(SOURCE_PORT_OFFSET, port);
    }

    public final int destinationPort()
    {
        return readU16(DESTINATION_PORT_OFFSET);
    }

    public final F destinationPort(final int port)
    {
        return writeU16(DESTINATION_PORT_OFFSET, port);
    }

    /** @return this, typed as the concrete flyweight (avoids an unchecked cast). */
    protected abstract F self();

    protected final MutableDirectBuffer buffer()
    {
        return buffer;
    }

    protected final int readU16(final int relativeOffset)
    {
        return buffer.getShort(offset + relativeOffset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    protected final F writeU16(final int relativeOffset, final int value)
    {
        buffer.putShort(offset + relativeOffset, (short)value, ByteOrder.BIG_ENDIAN);
        return self();
    }
}
