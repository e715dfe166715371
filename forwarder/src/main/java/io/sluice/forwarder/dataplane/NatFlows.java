package io.sluice.forwarder.dataplane;

import io.sluice.forwarder.flow.FlowHash;
import io.sluice.forwarder.flow.FlowTable;

/**
 * NAT mode's memory of how to translate a real's replies back: for every flow this worker sent
 * to a real, the reply's 5-tuple (real to client) maps to the VIP's address and port, the
 * closing state ({@link TcpClosing}), and as payload the MAC the client's packets came from,
 * where the replies go.
 *
 * <p>The reply does not always reach the same worker as the client's packets (RSS or the fanout
 * hash sees a different 5-tuple), so a worker that does not find a reply in its own table looks
 * in the other workers' ({@link FlowTable#peek}, read-only) and keeps a copy of what it found in
 * its own, which the replies reaching it then keep alive (a server that streams to a silent UDP
 * client is not cut off when the client's side times out).
 *
 * <p>Value layout: VIP address in bits 0-31 (for an IPv6 VIP, whose address does not fit, its
 * {@link io.sluice.forwarder.table.VipEntry#id()}), VIP port in bits 32-47, the
 * {@link TcpClosing} flags above. IPv6 flows are keyed as {@link FlowHash} keys them.
 */
public final class NatFlows
{
    private static final FlowTable[] NO_PEERS = new FlowTable[0];

    private final FlowTable own;
    private FlowTable[] all = NO_PEERS;
    private final long[] peeked = new long[1];
    private long clientMac;

    /** @param own this worker's table of replies, made {@link FlowTable#withPayload}. */
    public NatFlows(final FlowTable own)
    {
        this.own = own;
    }

    public FlowTable own()
    {
        return own;
    }

    /**
     * Every worker's table, this one's included, in any order: looked in when a reply is not in
     * this worker's own. Set once, before the workers start.
     */
    public void peers(final FlowTable[] tables)
    {
        this.all = tables.clone();
    }

    static long value(final int vipAddress, final int vipPort, final long closing)
    {
        return (vipAddress & 0xFFFF_FFFFL) | ((long)(vipPort & 0xFFFF) << 32) | closing;
    }

    static int vipAddress(final long value)
    {
        return (int)value;
    }

    static int vipPort(final long value)
    {
        return (int)(value >>> 32) & 0xFFFF;
    }

    /**
     * Remembers (or refreshes) how to translate the replies of a flow just sent to a real, by the
     * reply's flow key: key0 from (real, client), key1 from (real port, client port, protocol).
     */
    void remember(
        final long key0, final long key1, final long value, final long clientMac, final long nowNs, final long timeoutNs)
    {
        own.insert(key0, key1, FlowHash.hash(key0, key1), value, clientMac, nowNs, timeoutNs);
    }

    /**
     * Finds the translation of a reply from a real, in this worker's table (refreshing it, for
     * its idle timeout or, once closing, its closing one) or another's (copying it into this one's).
     *
     * @return the value, or {@link FlowTable#MISSING}; {@link #clientMac()} is then the MAC to
     *         send the reply to.
     */
    long find(final long key0, final long key1, final long nowNs, final long idleTimeoutNs)
    {
        final int hash = FlowHash.hash(key0, key1);
        final long value = own.lookup(key0, key1, hash, nowNs, idleTimeoutNs);
        if (value != FlowTable.MISSING)
        {
            clientMac = own.payload();
            if ((value & TcpClosing.FLAGS) != 0)
            {
                own.renew(value, nowNs, TcpClosing.timeoutNs(value, idleTimeoutNs)); // a closing flow keeps its short timeout
            }
            return value;
        }
        final FlowTable[] all = this.all;
        for (int i = 0; i < all.length; i++)
        {
            final FlowTable peer = all[i];
            if (peer != own)
            {
                final long peerValue = peer.peek(key0, key1, hash, nowNs, peeked);
                if (peerValue != FlowTable.MISSING)
                {
                    // Kept in this worker's table too: the replies that keep coming here refresh it
                    // themselves, while the other worker's copy lives only as long as the client's side.
                    clientMac = peeked[0];
                    own.insert(key0, key1, hash, peerValue, clientMac, nowNs, TcpClosing.timeoutNs(peerValue, idleTimeoutNs));
                    return peerValue;
                }
            }
        }
        return FlowTable.MISSING;
    }

    /** The client-side MAC of the reply {@link #find} last found. */
    long clientMac()
    {
        return clientMac;
    }

    /**
     * Replaces the value and deadline of the reply {@link #find} last found: it is in this
     * worker's own table then, found there or copied there.
     */
    void renew(final long value, final long nowNs, final long timeoutNs)
    {
        own.renew(value, nowNs, timeoutNs);
    }
}
