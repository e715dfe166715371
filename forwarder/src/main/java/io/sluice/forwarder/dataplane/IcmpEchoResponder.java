package io.sluice.forwarder.dataplane;

import io.sluice.forwarder.packet.Checksums;
import io.sluice.forwarder.packet.EthernetFlyweight;
import io.sluice.forwarder.packet.Ipv4Flyweight;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Answers an ICMP echo request ("ping") to a VIP address in the frame it came in, as the host
 * owning the address would: MACs and addresses swapped, a fresh TTL, type 0 (echo reply), the
 * identifier, sequence number and data kept, both checksums recomputed. The forwarder owns the
 * VIP for the network in front of it; a ping to a VIP that silently vanished would look like an
 * outage to anyone who checks with ping. Nothing here allocates.
 */
final class IcmpEchoResponder
{
    static final int ICMP_HEADER_LENGTH = 8;
    static final int ECHO_REQUEST = 8;
    static final int ECHO_REPLY = 0;
    /** The TTL Linux gives its own packets (net.ipv4.ip_default_ttl). */
    static final int REPLY_TTL = 64;
    private static final int CHECKSUM_OFFSET = 2;

    private IcmpEchoResponder()
    {
    }

    /**
     * Turns a parsed echo request into its reply, in place.
     *
     * @param l4Offset where the ICMP message starts; {@code l4Length} its length (at least the header).
     * @return 0 when the frame is now the reply, or the {@link DropReason} code of why it is not answered.
     */
    static int answer(final EthernetFlyweight ethernet, final Ipv4Flyweight ipv4, final long localMac,
        final MutableDirectBuffer buffer, final int l4Offset, final int l4Length)
    {
        if ((buffer.getByte(l4Offset) & 0xFF) != ECHO_REQUEST || buffer.getByte(l4Offset + 1) != 0)
        {
            return DropReason.ICMP_OTHER.code();
        }
        if (Checksums.fold(Checksums.sum(buffer, l4Offset, l4Length, 0)) != 0xFFFF)
        {
            return DropReason.BAD_CHECKSUM.code();
        }
        ethernet.destinationMac(ethernet.sourceMac()).sourceMac(localMac);
        final int client = ipv4.sourceAddress();
        ipv4.sourceAddress(ipv4.destinationAddress()).destinationAddress(client).ttl(REPLY_TTL);
        ipv4.checksum(ipv4.computeChecksum());
        buffer.putByte(l4Offset, (byte)ECHO_REPLY);
        buffer.putShort(l4Offset + CHECKSUM_OFFSET, (short)0);
        buffer.putShort(l4Offset + CHECKSUM_OFFSET, (short)Checksums.finish(Checksums.sum(buffer, l4Offset, l4Length, 0)),
            ByteOrder.BIG_ENDIAN);
        return 0;
    }
}
