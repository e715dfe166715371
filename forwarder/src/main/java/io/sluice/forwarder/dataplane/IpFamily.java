package io.sluice.forwarder.dataplane;

import io.sluice.forwarder.flow.FlowHash;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.VipEntry;

/**
 * What differs between IPv4 and IPv6 beyond their headers: how a pair of addresses (as
 * {@link ParsedFlow} holds them, IPv4 ones mapped) becomes a flow key and a client hash, and
 * which of the forwarding table's lookups finds a VIP. For flows that are not the parsed frame's
 * own: the ones an ICMP error quotes, the replies a NAT flow expects.
 */
final class IpFamily
{
    private IpFamily()
    {
    }

    /** The flow key's first long ({@link FlowHash#key0}, or the folded addresses of {@link FlowHash#key0Ipv6}). */
    static long key0(
        final boolean ipv6, final long sourceHigh, final long sourceLow, final long destinationHigh, final long destinationLow)
    {
        return ipv6 ? FlowHash.key0Ipv6(sourceHigh, sourceLow, destinationHigh, destinationLow) :
            FlowHash.key0((int)sourceLow, (int)destinationLow);
    }

    /** The flow key's second long, marked {@link FlowHash#IPV6} for IPv6 so the families never share a key. */
    static long key1(final boolean ipv6, final int sourcePort, final int destinationPort, final int protocol)
    {
        final long key1 = FlowHash.key1(sourcePort, destinationPort, protocol);
        return ipv6 ? key1 | FlowHash.IPV6 : key1;
    }

    /** The source-hash scheduler's key: the client address's hash. */
    static int clientHash(final boolean ipv6, final long clientHigh, final long clientLow)
    {
        return ipv6 ? FlowHash.sourceHash6(clientHigh, clientLow) : FlowHash.sourceHash((int)clientLow);
    }

    /** The VIP of this address, port and protocol, or null. */
    static VipEntry vip(
        final ForwardingTable table, final boolean ipv6, final long high, final long low, final int port, final int protocol)
    {
        return ipv6 ? table.find6(high, low, port, protocol) : table.find((int)low, port, protocol);
    }
}
