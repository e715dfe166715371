package io.sluice.forwarder.dataplane;

import io.sluice.forwarder.packet.Checksums;
import io.sluice.forwarder.packet.Ipv4Flyweight;
import io.sluice.forwarder.packet.Ipv6Flyweight;
import org.agrona.MutableDirectBuffer;

import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_TCP;
import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * The address and port rewrites of NAT mode, in place, with every checksum they touch patched
 * incrementally (RFC 1624) rather than recomputed: the IPv4 header's for the address, and the
 * TCP or UDP checksum, which covers both through the pseudo-header. A UDP checksum of zero
 * means the sender sent none and stays zero; a patched one that comes out zero is sent as all
 * ones (RFC 768). IPv6 has no header checksum; its transport checksum covers all 128 bits of
 * each address.
 */
final class NatRewrite
{
    private static final int TCP_CHECKSUM_OFFSET = 16;
    private static final int UDP_CHECKSUM_OFFSET = 6;
    private static final int SOURCE_PORT_OFFSET = 0;
    private static final int DESTINATION_PORT_OFFSET = 2;

    private NatRewrite()
    {
    }

    /** Client to real: the destination becomes the real's address and port. */
    static void destination(
        final MutableDirectBuffer buffer, final Ipv4Flyweight ipv4, final int l4Offset, final int protocol,
        final int address, final int port)
    {
        final int oldAddress = ipv4.destinationAddress();
        ipv4.destinationAddress(address);
        rewriteTransport(buffer, l4Offset + DESTINATION_PORT_OFFSET, l4Offset, protocol, oldAddress, address, port);
    }

    /** Real to client: the source becomes the VIP's address and port, as the client expects. */
    static void source(
        final MutableDirectBuffer buffer, final Ipv4Flyweight ipv4, final int l4Offset, final int protocol,
        final int address, final int port)
    {
        final int oldAddress = ipv4.sourceAddress();
        ipv4.sourceAddress(address);
        rewriteTransport(buffer, l4Offset + SOURCE_PORT_OFFSET, l4Offset, protocol, oldAddress, address, port);
    }

    /** {@link #destination} for IPv6: no header checksum, the transport one covers all 128 bits. */
    static void destination6(
        final MutableDirectBuffer buffer, final Ipv6Flyweight ipv6, final int l4Offset, final int protocol,
        final long high, final long low, final int port)
    {
        final long oldHigh = ipv6.destinationHigh();
        final long oldLow = ipv6.destinationLow();
        ipv6.destination(high, low);
        rewriteTransport6(buffer, l4Offset + DESTINATION_PORT_OFFSET, l4Offset, protocol, oldHigh, oldLow, high, low, port);
    }

    /** {@link #source} for IPv6. */
    static void source6(
        final MutableDirectBuffer buffer, final Ipv6Flyweight ipv6, final int l4Offset, final int protocol,
        final long high, final long low, final int port)
    {
        final long oldHigh = ipv6.sourceHigh();
        final long oldLow = ipv6.sourceLow();
        ipv6.source(high, low);
        rewriteTransport6(buffer, l4Offset + SOURCE_PORT_OFFSET, l4Offset, protocol, oldHigh, oldLow, high, low, port);
    }

    /**
     * An IPv6 UDP checksum of zero is invalid (RFC 8200 8.1), so unlike IPv4's it is patched like
     * any other; the receiver drops such a datagram either way.
     */
    private static void rewriteTransport6(
        final MutableDirectBuffer buffer, final int portOffset, final int l4Offset, final int protocol,
        final long oldHigh, final long oldLow, final long newHigh, final long newLow, final int newPort)
    {
        final int oldPort = buffer.getShort(portOffset, BIG_ENDIAN) & 0xFFFF;
        buffer.putShort(portOffset, (short)newPort, BIG_ENDIAN);
        final boolean tcp = protocol == IP_PROTOCOL_TCP;
        final int checksumOffset = l4Offset + (tcp ? TCP_CHECKSUM_OFFSET : UDP_CHECKSUM_OFFSET);
        final int checksum = buffer.getShort(checksumOffset, BIG_ENDIAN) & 0xFFFF;
        int patched = Checksums.update16(Checksums.update128(checksum, oldHigh, oldLow, newHigh, newLow), oldPort, newPort);
        if (!tcp && patched == 0)
        {
            patched = 0xFFFF;
        }
        buffer.putShort(checksumOffset, (short)patched, BIG_ENDIAN);
    }

    private static void rewriteTransport(
        final MutableDirectBuffer buffer, final int portOffset, final int l4Offset, final int protocol,
        final int oldAddress, final int newAddress, final int newPort)
    {
        final int oldPort = buffer.getShort(portOffset, BIG_ENDIAN) & 0xFFFF;
        buffer.putShort(portOffset, (short)newPort, BIG_ENDIAN);
        final boolean tcp = protocol == IP_PROTOCOL_TCP;
        final int checksumOffset = l4Offset + (tcp ? TCP_CHECKSUM_OFFSET : UDP_CHECKSUM_OFFSET);
        final int checksum = buffer.getShort(checksumOffset, BIG_ENDIAN) & 0xFFFF;
        if (!tcp && checksum == 0)
        {
            return;
        }
        int patched = Checksums.update16(Checksums.update32(checksum, oldAddress, newAddress), oldPort, newPort);
        if (!tcp && patched == 0)
        {
            patched = 0xFFFF;
        }
        buffer.putShort(checksumOffset, (short)patched, BIG_ENDIAN);
    }
}
