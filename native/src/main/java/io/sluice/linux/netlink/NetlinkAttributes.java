package io.sluice.linux.netlink;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * The attributes ({@code struct rtattr}: length, type, payload, padded to 4 bytes) of one
 * netlink message, indexed by type. Types beyond {@link #MAX_TYPE} are skipped; a truncated
 * attribute ends the scan.
 */
final class NetlinkAttributes
{
    static final int MAX_TYPE = 63;

    private static final int RTATTR_HEADER = 4;
    private static final int MAC_BYTES = 6;
    private static final ValueLayout.OfInt NETWORK_INT = JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment buffer;
    private final int[] offsets = new int[MAX_TYPE + 1];
    private final int[] lengths = new int[MAX_TYPE + 1];

    private NetlinkAttributes(final MemorySegment buffer)
    {
        this.buffer = buffer;
        Arrays.fill(offsets, -1);
    }

    /** Scans the attributes in {@code [start, end)} of the buffer. */
    static NetlinkAttributes parse(final MemorySegment buffer, final int start, final int end)
    {
        final NetlinkAttributes attributes = new NetlinkAttributes(buffer);
        int at = start;
        while (at + RTATTR_HEADER <= end)
        {
            final int length = buffer.get(JAVA_SHORT_UNALIGNED, at) & 0xFFFF;
            final int type = buffer.get(JAVA_SHORT_UNALIGNED, at + 2) & Netlink.NLA_TYPE_MASK;
            if (length < RTATTR_HEADER || at + length > end)
            {
                break;
            }
            if (type <= MAX_TYPE && attributes.offsets[type] < 0)
            {
                attributes.offsets[type] = at + RTATTR_HEADER;
                attributes.lengths[type] = length - RTATTR_HEADER;
            }
            at += Netlink.align(length);
        }
        return attributes;
    }

    boolean has(final int type)
    {
        return offsets[type] >= 0;
    }

    int payloadOffset(final int type)
    {
        return offsets[type];
    }

    int payloadLength(final int type)
    {
        return lengths[type];
    }

    /** @return a host-order u32 attribute, or {@code absent} when missing or too short. */
    int u32(final int type, final int absent)
    {
        return has(type) && lengths[type] >= Integer.BYTES ? buffer.get(JAVA_INT_UNALIGNED, offsets[type]) : absent;
    }

    /** @return an IPv4 address attribute as the int the wire carries (big-endian), or 0 when missing. */
    int ipv4(final int type)
    {
        return has(type) && lengths[type] == Integer.BYTES ? buffer.get(NETWORK_INT, offsets[type]) : 0;
    }

    /** @return a 16-byte IPv6 address attribute, without a scope, or null when missing or not 16 bytes. */
    Inet6Address ipv6(final int type)
    {
        return has(type) && lengths[type] == Addresses.IPV6_BYTES ? Addresses.ipv6(bytes(type)) : null;
    }

    byte[] bytes(final int type)
    {
        if (!has(type))
        {
            return new byte[0];
        }
        final byte[] bytes = new byte[lengths[type]];
        MemorySegment.copy(buffer, JAVA_BYTE, offsets[type], bytes, 0, bytes.length);
        return bytes;
    }

    /** @return a NUL-terminated string attribute, or null when missing. */
    String string(final int type)
    {
        if (!has(type))
        {
            return null;
        }
        int length = 0;
        while (length < lengths[type] && buffer.get(JAVA_BYTE, offsets[type] + length) != 0)
        {
            length++;
        }
        final byte[] bytes = new byte[length];
        MemorySegment.copy(buffer, JAVA_BYTE, offsets[type], bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** @return a 6-byte hardware address as 48 bits in a long (first byte in bits 47..40), else 0. */
    long mac(final int type)
    {
        if (!has(type) || lengths[type] != MAC_BYTES)
        {
            return 0L;
        }
        long mac = 0;
        for (int i = 0; i < MAC_BYTES; i++)
        {
            mac = (mac << 8) | (buffer.get(JAVA_BYTE, offsets[type] + i) & 0xFF);
        }
        return mac;
    }
}
