package io.sluice.forwarder.dataplane;

import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.flow.FlowHash;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;
import org.agrona.MutableDirectBuffer;

/**
 * The pipeline's ICMP stage, for ICMP and ICMPv6 alike. To a VIP address: an echo request is
 * answered from the same frame ({@link IcmpEchoResponder}); an error (unreachable, packet too
 * big or fragmentation needed, time exceeded) about a VIP's flow goes on to the real that flow
 * is on, whose kernel owns the connection (path MTU discovery needs it there). From a NAT real:
 * an error to a client is translated back to the VIP. Anything else is refused with its
 * {@link DropReason}; neighbour discovery never gets here on AF_XDP (the steering program leaves
 * it to the kernel).
 *
 * <p>The packet an error quotes is parsed into a flow of its own ({@link FrameParser#parseQuote})
 * and, for NAT, translated with the same rewrite as the flows' packets ({@link NatRewrite}), its
 * IPv4 header checksum and its TCP or UDP checksum patched, so the quote is the packet as its
 * receiver knows it. Owned by one worker thread; nothing here allocates.
 */
final class IcmpRelay
{
    private static final int ICMP_NO_FLOW = DropReason.ICMP_NO_FLOW.code();
    private static final int NOT_A_VIP = DropReason.NOT_A_VIP.code();
    private static final int NO_NEXT_HOP = DropReason.NO_NEXT_HOP.code();
    private static final int TTL_EXPIRED = DropReason.TTL_EXPIRED.code();

    /** The packet the error being handled quotes. */
    private final ParsedFlow quote = new ParsedFlow();
    private final RealSelection reals;
    private final NatTranslation nat;
    /** Whether the message {@link #handle} last forwarded goes back toward the client. */
    private boolean toClient;
    /** Whether it was an echo reply; else a relayed error. */
    private boolean echoReply;

    IcmpRelay(final RealSelection reals, final NatTranslation nat)
    {
        this.reals = reals;
        this.nat = nat;
    }

    /**
     * @param egressMac the source MAC of frames to reals; {@code localMac} that of frames to clients.
     * @return {@link PacketProcessor#FORWARD} or the {@link DropReason} code, not yet counted.
     */
    int handle(
        final MutableDirectBuffer buffer, final ParsedFlow flow, final ForwardingTable table, final long localMac,
        final long egressMac, final long nowNs)
    {
        final boolean toVip = flow.toVipAddress(table);
        if (!flow.isIcmpError(buffer.getByte(flow.l4Offset()) & 0xFF))
        {
            echoReply = true;
            toClient = true;
            return toVip ? IcmpEchoResponder.answer(buffer, flow, localMac) : NOT_A_VIP;
        }
        if (!toVip && !flow.fromNatReal(table))
        {
            return NOT_A_VIP;
        }
        if (!FrameParser.parseQuote(buffer, flow, quote))
        {
            return ICMP_NO_FLOW;
        }
        echoReply = false;
        toClient = !toVip;
        return toVip ? relayError(buffer, flow, table, egressMac, nowNs) : errorFromReal(buffer, flow, table, localMac, nowNs);
    }

    /** Whether the message {@link #handle} last forwarded goes back toward the client (else to a real). */
    boolean toClient()
    {
        return toClient;
    }

    /** Whether the message {@link #handle} last forwarded is an echo reply (else a relayed error). */
    boolean echoReply()
    {
        return echoReply;
    }

    /**
     * An error about a VIP's flow, its quote parsed: the quote is the VIP's packet to the
     * client. The error goes to the real the flow is on, rewritten as the flow's packets are; for
     * NAT it goes to the real's address and its quote is translated back to what the real sent,
     * from its own address and port, by which its kernel matches the error to the connection.
     */
    private int relayError(
        final MutableDirectBuffer buffer, final ParsedFlow flow, final ForwardingTable table, final long egressMac,
        final long nowNs)
    {
        final ParsedFlow quote = this.quote;
        final boolean ipv6 = quote.ipv6();
        final VipEntry vip = IpFamily.vip(
            table, ipv6, quote.sourceHigh(), quote.sourceLow(), quote.sourcePort(), quote.protocol());
        if (null == vip)
        {
            return ICMP_NO_FLOW;
        }
        final long clientHigh = quote.destinationHigh();
        final long clientLow = quote.destinationLow();
        final long key0 = IpFamily.key0(ipv6, clientHigh, clientLow, quote.sourceHigh(), quote.sourceLow());
        final long key1 = IpFamily.key1(ipv6, quote.destinationPort(), quote.sourcePort(), quote.protocol());
        final RealEntry real = reals.placed(vip, ipv6, key0, key1, FlowHash.hash(key0, key1), clientHigh, clientLow, nowNs,
            PacketProcessor.idleTimeoutNs(quote.protocol()));
        if (null == real)
        {
            return ICMP_NO_FLOW;
        }
        if (!real.macResolved())
        {
            return NO_NEXT_HOP;
        }
        if (flow.hopLimit() <= 1)
        {
            return TTL_EXPIRED;
        }
        flow.ethernet().destinationMac(real.mac()).sourceMac(egressMac);
        if (vip.spec().mode() == ForwardingMode.NAT)
        {
            final IpAddress address = real.address();
            NatRewrite.source(buffer, quote, address.high(), address.low(), real.port());
            flow.destination(address.high(), address.low());
            L4Checksums.writeIcmp(buffer, flow);
        }
        flow.decrementHopLimit();
        return PacketProcessor.FORWARD;
    }

    /**
     * NAT, the error's quote parsed: an error a real sends a client (port unreachable, say)
     * quotes the client's packet as the real got it, to the real's address and port. The client
     * knows only the VIP, so the error leaves from the VIP with the quote translated back to it,
     * as the replies are, to the MAC the client's packets came from. An error about no translated
     * flow is refused.
     */
    private int errorFromReal(
        final MutableDirectBuffer buffer, final ParsedFlow flow, final ForwardingTable table, final long localMac,
        final long nowNs)
    {
        final ParsedFlow quote = this.quote;
        final long value = nat.findQuoted(quote, table, nowNs, PacketProcessor.idleTimeoutNs(quote.protocol()));
        if (value == FlowTable.MISSING || quote.sourceHigh() != flow.destinationHigh() ||
            quote.sourceLow() != flow.destinationLow())
        {
            return ICMP_NO_FLOW;
        }
        if (flow.hopLimit() <= 1)
        {
            return TTL_EXPIRED;
        }
        nat.quoteToVip(buffer, quote, value);
        flow.source(nat.vipHigh(), nat.vipLow());
        L4Checksums.writeIcmp(buffer, flow);
        flow.ethernet().destinationMac(nat.clientMac()).sourceMac(localMac);
        flow.decrementHopLimit();
        return PacketProcessor.FORWARD;
    }
}
