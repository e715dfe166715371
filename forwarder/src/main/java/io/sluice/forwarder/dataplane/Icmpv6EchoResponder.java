package io.sluice.forwarder.dataplane;

import io.sluice.forwarder.packet.Checksums;
import io.sluice.forwarder.packet.EthernetFlyweight;
import io.sluice.forwarder.packet.Ipv6Flyweight;
import org.agrona.MutableDirectBuffer;

import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_ICMPV6;
import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * {@link IcmpEchoResponder} for IPv6 (RFC 4443 4.1 and 4.2): an echo request to a VIP address is
 * answered in the frame it came in, MACs and addresses swapped, a fresh hop limit, type 129, the
 * identifier, sequence number and data kept. The ICMPv6 checksum covers the pseudo-header, so
 * it is checked and computed with the addresses. Nothing here allocates.
 */
final class Icmpv6EchoResponder
{
    static final int ECHO_REQUEST = 128;
    static final int ECHO_REPLY = 129;
    /** The hop limit Linux gives its own packets (net.ipv6.conf.*.hop_limit). */
    static final int REPLY_HOP_LIMIT = 64;
    static final int CHECKSUM_OFFSET = 2;

    private Icmpv6EchoResponder()
    {
    }

    /**
     * @return 0 when the frame is now the reply, or the {@link DropReason} code of why it is not answered.
     */
    static int answer(final EthernetFlyweight ethernet, final Ipv6Flyweight ipv6, final long localMac,
        final MutableDirectBuffer buffer, final int l4Offset, final int l4Length)
    {
        if ((buffer.getByte(l4Offset) & 0xFF) != ECHO_REQUEST || buffer.getByte(l4Offset + 1) != 0)
        {
            return DropReason.ICMP_OTHER.code();
        }
        if (!checksumValid(ipv6, buffer, l4Offset, l4Length))
        {
            return DropReason.BAD_CHECKSUM.code();
        }
        ethernet.destinationMac(ethernet.sourceMac()).sourceMac(localMac);
        final long clientHigh = ipv6.sourceHigh();
        final long clientLow = ipv6.sourceLow();
        ipv6.source(ipv6.destinationHigh(), ipv6.destinationLow()).destination(clientHigh, clientLow).hopLimit(REPLY_HOP_LIMIT);
        buffer.putByte(l4Offset, (byte)ECHO_REPLY);
        writeChecksum(ipv6, buffer, l4Offset, l4Length);
        return 0;
    }

    static boolean checksumValid(final Ipv6Flyweight ipv6, final MutableDirectBuffer buffer, final int l4Offset, final int l4Length)
    {
        return Checksums.fold(Checksums.sum(buffer, l4Offset, l4Length, ipv6.pseudoHeaderSum(l4Length, IP_PROTOCOL_ICMPV6))) == 0xFFFF;
    }

    /** Computes the ICMPv6 checksum of the message at {@code l4Offset} over the header's current addresses. */
    static void writeChecksum(final Ipv6Flyweight ipv6, final MutableDirectBuffer buffer, final int l4Offset, final int l4Length)
    {
        buffer.putShort(l4Offset + CHECKSUM_OFFSET, (short)0);
        buffer.putShort(l4Offset + CHECKSUM_OFFSET,
            (short)Checksums.finish(Checksums.sum(buffer, l4Offset, l4Length, ipv6.pseudoHeaderSum(l4Length, IP_PROTOCOL_ICMPV6))),
            BIG_ENDIAN);
    }
}
