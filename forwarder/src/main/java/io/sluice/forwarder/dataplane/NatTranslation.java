package io.sluice.forwarder.dataplane;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;
import org.agrona.MutableDirectBuffer;

/**
 * NAT mode's rewrite and bookkeeping, for both IP versions: a client's packet goes to the real's
 * address and port, and how to translate the replies back is remembered ({@link NatFlows}) with
 * the MAC the client's packet came from; a reply from the real is translated back to the VIP and
 * sent to that MAC. A FIN or RST marks both directions closing, which shortens how long they are
 * remembered ({@link TcpClosing}).
 *
 * <p>A NAT flow remembers its VIP by address, or for an IPv6 VIP, whose address does not fit the
 * flow's value, by {@link VipEntry#id()}: {@link #vipReference} and {@link #findVip} are the one
 * place that tells the two apart. Owned by one worker thread; nothing here allocates.
 */
final class NatTranslation
{
    private final NatFlows nat;
    private long vipHigh;
    private long vipLow;

    NatTranslation(final NatFlows nat)
    {
        this.nat = nat;
    }

    NatFlows flows()
    {
        return nat;
    }

    /**
     * Client to real: the destination becomes the real's address and port, and the reply's
     * translation back is remembered.
     *
     * @param flowValue the client flow's value in {@code clientFlows}: its closing flags.
     * @param clientMac the MAC the client's packet came from, where the replies go.
     */
    void toReal(
        final MutableDirectBuffer buffer, final ParsedFlow flow, final VipEntry vip, final RealEntry real,
        final FlowTable clientFlows, final long flowValue, final long clientMac, final long nowNs, final long idleTimeoutNs)
    {
        final long closing = (flowValue & TcpClosing.FLAGS) | TcpClosing.of(flow.tcpFlags());
        final long timeoutNs = TcpClosing.timeoutNs(closing, idleTimeoutNs);
        if (closing != 0)
        {
            clientFlows.renew((flowValue & ~TcpClosing.FLAGS) | closing, nowNs, timeoutNs);
        }
        final boolean ipv6 = flow.ipv6();
        final long clientHigh = flow.sourceHigh();
        final long clientLow = flow.sourceLow();
        final int vipReference = vipReference(flow, vip);
        final IpAddress address = real.address();
        NatRewrite.destination(buffer, flow, address.high(), address.low(), real.port());
        nat.remember(
            IpFamily.key0(ipv6, address.high(), address.low(), clientHigh, clientLow),
            IpFamily.key1(ipv6, real.port(), flow.sourcePort(), flow.protocol()),
            NatFlows.value(vipReference, flow.destinationPort(), closing), clientMac, nowNs, timeoutNs);
    }

    /**
     * Finds the translation of a reply from a NAT real (this worker's or, copied from there,
     * another worker's: {@link NatFlows#find}), refreshing it.
     *
     * @return the flow's value, or {@link FlowTable#MISSING} when no worker translated the flow
     *         (or its IPv6 VIP is gone).
     */
    long findReply(final ParsedFlow flow, final ForwardingTable table, final long nowNs, final long idleTimeoutNs)
    {
        final long value = nat.find(flow.key0(), flow.key1(), nowNs, idleTimeoutNs);
        return value != FlowTable.MISSING && findVip(flow.ipv6(), value, table) ? value : FlowTable.MISSING;
    }

    /**
     * Real to client, for a reply {@link #findReply} found: the source becomes the VIP's address
     * and port again, the MACs the client's and ours; a FIN or RST marks the flow closing.
     */
    void toClient(
        final MutableDirectBuffer buffer, final ParsedFlow flow, final long replyValue, final long localMac, final long nowNs,
        final long idleTimeoutNs)
    {
        final long closing = TcpClosing.of(flow.tcpFlags());
        if (closing != 0)
        {
            final long value = replyValue | closing;
            nat.renew(value, nowNs, TcpClosing.timeoutNs(value & TcpClosing.FLAGS, idleTimeoutNs));
        }
        flow.ethernet().destinationMac(nat.clientMac()).sourceMac(localMac);
        NatRewrite.source(buffer, flow, vipHigh, vipLow, NatFlows.vipPort(replyValue));
    }

    /**
     * For an ICMP error a NAT real sends a client about a flow: finds the translation of the
     * flow the error quotes (client to real), as {@link #findReply} does.
     *
     * @param quote the quoted packet, from the client to the real.
     */
    long findQuoted(final ParsedFlow quote, final ForwardingTable table, final long nowNs, final long idleTimeoutNs)
    {
        final boolean ipv6 = quote.ipv6();
        final long value = nat.find(
            IpFamily.key0(ipv6, quote.destinationHigh(), quote.destinationLow(), quote.sourceHigh(), quote.sourceLow()),
            IpFamily.key1(ipv6, quote.destinationPort(), quote.sourcePort(), quote.protocol()), nowNs, idleTimeoutNs);
        return value != FlowTable.MISSING && findVip(ipv6, value, table) ? value : FlowTable.MISSING;
    }

    /** The quote of the error {@link #findQuoted} found goes back to the VIP's address and port, as the client knows it. */
    void quoteToVip(final MutableDirectBuffer buffer, final ParsedFlow quote, final long value)
    {
        NatRewrite.destination(buffer, quote, vipHigh, vipLow, NatFlows.vipPort(value));
    }

    /** The VIP address of the translation last found (IPv4-mapped for IPv4). */
    long vipHigh()
    {
        return vipHigh;
    }

    long vipLow()
    {
        return vipLow;
    }

    /** The MAC the client's packets of the translation last found came from. */
    long clientMac()
    {
        return nat.clientMac();
    }

    private static int vipReference(final ParsedFlow flow, final VipEntry vip)
    {
        return flow.ipv6() ? vip.id() : (int)flow.destinationLow();
    }

    /** Sets {@link #vipHigh} and {@link #vipLow} from a flow's value; false when its IPv6 VIP is gone. */
    private boolean findVip(final boolean ipv6, final long value, final ForwardingTable table)
    {
        if (!ipv6)
        {
            vipHigh = 0L;
            vipLow = ParsedFlow.IPV4_MAPPED | (NatFlows.vipAddress(value) & 0xFFFF_FFFFL);
            return true;
        }
        final VipEntry vip = table.vipById(NatFlows.vipAddress(value));
        if (null == vip)
        {
            return false;
        }
        final IpAddress address = vip.spec().key().address();
        vipHigh = address.high();
        vipLow = address.low();
        return true;
    }
}
