package io.sluice.forwarder.dataplane;

import io.sluice.forwarder.packet.EthernetFlyweight;
import org.agrona.MutableDirectBuffer;

/**
 * Answers an ICMP or ICMPv6 echo request ("ping", RFC 792 and RFC 4443 4.1) to a VIP address in
 * the frame it came in, as the host owning the address would: MACs and addresses swapped, a
 * fresh hop limit, the reply's type, the identifier, sequence number and data kept, the
 * checksums computed again (ICMPv6's covers the pseudo-header, so it is checked and computed
 * with the addresses). The forwarder owns the VIP for the network in front of it; a ping to a
 * VIP that silently vanished would look like an outage to anyone who checks with ping. Nothing
 * here allocates.
 */
final class IcmpEchoResponder
{
    static final int ECHO_REQUEST = 8;
    static final int ECHO_REPLY = 0;
    static final int ECHOV6_REQUEST = 128;
    static final int ECHOV6_REPLY = 129;
    /** The hop limit Linux gives its own packets (net.ipv4.ip_default_ttl, net.ipv6.conf.*.hop_limit). */
    static final int REPLY_HOP_LIMIT = 64;

    private IcmpEchoResponder()
    {
    }

    /**
     * Turns a parsed echo request into its reply, in place.
     *
     * @return 0 when the frame is now the reply, or the {@link DropReason} code of why it is not answered.
     */
    static int answer(final MutableDirectBuffer buffer, final ParsedFlow flow, final long localMac)
    {
        final int l4Offset = flow.l4Offset();
        final boolean ipv6 = flow.ipv6();
        if ((buffer.getByte(l4Offset) & 0xFF) != (ipv6 ? ECHOV6_REQUEST : ECHO_REQUEST) || buffer.getByte(l4Offset + 1) != 0)
        {
            return DropReason.ICMP_OTHER.code();
        }
        if (!L4Checksums.icmpValid(buffer, flow))
        {
            return DropReason.BAD_CHECKSUM.code();
        }
        final EthernetFlyweight ethernet = flow.ethernet();
        ethernet.destinationMac(ethernet.sourceMac()).sourceMac(localMac);
        flow.turnAround(REPLY_HOP_LIMIT);
        buffer.putByte(l4Offset, (byte)(ipv6 ? ECHOV6_REPLY : ECHO_REPLY));
        L4Checksums.writeIcmp(buffer, flow);
        return 0;
    }
}
