package io.sluice.linux.netlink;

import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds one netlink request: {@code nlmsghdr}, the family header, attributes. Host byte order
 * except where the attribute is a network address. Off the data path: allocates freely.
 */
final class NetlinkRequest
{
    private static final int MAX_LENGTH = 4096;

    private final ByteBuffer buffer = ByteBuffer.allocate(MAX_LENGTH).order(ByteOrder.nativeOrder());
    private final int type;

    NetlinkRequest(final int type, final int flags)
    {
        this.type = type;
        buffer.putInt(0);
        buffer.putShort((short)type);
        buffer.putShort((short)flags);
        buffer.putInt(0);
        buffer.putInt(0);
    }

    int type()
    {
        return type;
    }

    NetlinkRequest u8(final int value)
    {
        buffer.put((byte)value);
        return this;
    }

    NetlinkRequest u16(final int value)
    {
        buffer.putShort((short)value);
        return this;
    }

    NetlinkRequest u32(final int value)
    {
        buffer.putInt(value);
        return this;
    }

    /** Pads the family header or an attribute to 4 bytes. */
    NetlinkRequest align()
    {
        while ((buffer.position() & 3) != 0)
        {
            buffer.put((byte)0);
        }
        return this;
    }

    /** An attribute holding an IPv4 address in network byte order. */
    NetlinkRequest ipv4Attribute(final int attributeType, final int address)
    {
        align();
        buffer.putShort((short)(4 + Integer.BYTES));
        buffer.putShort((short)attributeType);
        buffer.order(ByteOrder.BIG_ENDIAN).putInt(address).order(ByteOrder.nativeOrder());
        return this;
    }

    /** An attribute holding an IPv6 address, 16 bytes in network order; its scope id is not sent. */
    NetlinkRequest ipv6Attribute(final int attributeType, final Inet6Address address)
    {
        align();
        buffer.putShort((short)(4 + Addresses.IPV6_BYTES));
        buffer.putShort((short)attributeType);
        buffer.put(address.getAddress());
        return this;
    }

    /** @return the finished message with its length and sequence number filled in. */
    byte[] finish(final int sequence)
    {
        align();
        final int length = buffer.position();
        buffer.putInt(0, length);
        buffer.putInt(8, sequence);
        final byte[] message = new byte[length];
        buffer.get(0, message);
        return message;
    }
}
