package io.sluice.forwarder.dataplane;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.table.RealEntry;
import org.agrona.MutableDirectBuffer;

import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_IPIP;
import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_UDP;
import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * The encapsulating modes' rewrite, tunnel for either IP version and gue for IPv4: the client's
 * packet, already rewritten as for DSR, goes inside an outer header to the real (IPv4-in-IPv4,
 * {@link Ipv4Tunnel}; IPv6-in-IPv6, {@link Ipv6Tunnel}; IPv4, UDP and GUE with the flow's second
 * real, {@link GueHeader}); a packet that would no longer fit the link to the reals once encapsulated
 * is answered instead, with the ICMP error that makes its sender's path MTU discovery shrink its
 * packets. The outer source varies with the flow's hash so the receiver's RSS spreads flows over
 * its queues (as Katran does): an IPv4 prefix's host bits, or the low 32 bits of an IPv6 one and
 * the flow label. Owned by one worker thread; nothing here allocates.
 */
final class TunnelRewrite
{
    /** 100::/64, the discard-only prefix (RFC 6666): IPv6 outer sources, the flow's hash in the low 32 bits. */
    static final long DEFAULT_SOURCE_HIGH_IPV6 = 0x0100_0000_0000_0000L;

    private final Ipv4Tunnel ipv4 = new Ipv4Tunnel();
    private final Ipv6Tunnel ipv6 = new Ipv6Tunnel();
    private int mtu = PacketProcessor.DEFAULT_MTU;
    private int sourcePrefix = PacketProcessor.DEFAULT_TUNNEL_PREFIX;
    private int sourceHostMask = 0xFFFF;
    private int guePort = PacketProcessor.DEFAULT_GUE_PORT;
    private int replyOffset;
    private int replyLength;

    void mtu(final int mtu)
    {
        this.mtu = mtu;
    }

    /** IPv4 outer sources: {@code prefix}/{@code length}, the host bits the flow's hash. */
    void source(final int prefix, final int length)
    {
        this.sourceHostMask = length == 0 ? -1 : (int)((1L << (32 - length)) - 1);
        this.sourcePrefix = prefix & ~sourceHostMask;
    }

    /** gue mode's UDP destination port, the one the reals' decap listens on. */
    void guePort(final int port)
    {
        this.guePort = port;
    }

    /** Whether the flow's packet would exceed the MTU once {@code outerLength} bytes are added. */
    boolean tooBig(final ParsedFlow flow, final int outerLength)
    {
        return flow.ipLength() + outerLength > mtu;
    }

    /** How much {@link #encapsulate} adds to the flow's frame. */
    static int outerLength(final ParsedFlow flow)
    {
        return flow.ipv6() ? Ipv6Tunnel.OUTER_LENGTH : Ipv4Tunnel.OUTER_LENGTH;
    }

    /** How much {@link #encapsulateGue} adds to a frame: 36 bytes, 40 with a hop. */
    static int gueLength(final RealEntry hop)
    {
        return Ipv4Tunnel.OUTER_LENGTH + GueHeader.length(hop == null ? 0 : 1);
    }

    /**
     * Rewrites a {@link #tooBig} packet into the error for its sender, from the VIP: IPv4's
     * "fragmentation needed" when its DF flag is set, IPv6's "packet too big" always.
     *
     * @param outerLength what encapsulation would have added: the sender is told the MTU less that.
     * @return whether it was answered (at {@link #replyOffset()}, for {@link #replyLength()}
     *         bytes); else it is left as it came, to be dropped as too big.
     */
    boolean answerTooBig(
        final MutableDirectBuffer buffer, final int offset, final ParsedFlow flow, final long localMac, final int outerLength)
    {
        if (!flow.dontFragment())
        {
            return false;
        }
        final int ethernetLength = flow.ipOffset() - offset;
        final int fitting = mtu - outerLength;
        if (flow.ipv6())
        {
            replyOffset = ipv6.packetTooBig(buffer, offset, ethernetLength, flow.ipLength(), localMac, fitting);
            replyLength = ipv6.replyLength();
        }
        else
        {
            replyOffset = offset;
            replyLength = ipv4.fragmentationNeeded(buffer, offset, ethernetLength, localMac, fitting);
        }
        return true;
    }

    int replyOffset()
    {
        return replyOffset;
    }

    int replyLength()
    {
        return replyLength;
    }

    /**
     * Puts the frame at {@code offset} inside an outer header to the real, in the frame's
     * headroom.
     *
     * @return the frame's new start; its length grew by {@link #outerLength}.
     */
    int encapsulate(
        final MutableDirectBuffer buffer, final int offset, final ParsedFlow flow, final RealEntry real, final int hash)
    {
        final int ethernetLength = flow.ipOffset() - offset;
        if (flow.ipv6())
        {
            final IpAddress address = real.address();
            return Ipv6Tunnel.encapsulate(buffer, offset, ethernetLength, DEFAULT_SOURCE_HIGH_IPV6, hash & 0xFFFF_FFFFL,
                address.high(), address.low(), hash);
        }
        return Ipv4Tunnel.encapsulate(buffer, offset, ethernetLength, Ipv4Tunnel.OUTER_LENGTH, IP_PROTOCOL_IPIP,
            flow.dontFragment(), sourcePrefix | (hash & sourceHostMask), real.ipv4());
    }

    /**
     * Puts the IPv4 frame at {@code offset} inside outer IPv4, UDP and GUE headers to the real,
     * with {@code hop} as the one real to try next, or none, in the frame's headroom. The outer
     * source is tunnel mode's; DF is always set.
     *
     * @return the frame's new start; its length grew by {@link #gueLength}.
     */
    int encapsulateGue(final MutableDirectBuffer buffer, final int offset, final ParsedFlow flow, final RealEntry real,
        final RealEntry hop, final int hash)
    {
        final int ethernetLength = flow.ipOffset() - offset;
        final int start = Ipv4Tunnel.encapsulate(buffer, offset, ethernetLength, gueLength(hop), IP_PROTOCOL_UDP, true,
            sourcePrefix | (hash & sourceHostMask), real.ipv4());
        final int outer = start + ethernetLength;
        GueHeader.write(buffer, outer + Ipv4Tunnel.OUTER_LENGTH, buffer.getShort(outer + 2, BIG_ENDIAN) & 0xFFFF, guePort,
            hash, hop == null ? 0 : 1, hop == null ? 0 : hop.ipv4());
        return start;
    }
}
