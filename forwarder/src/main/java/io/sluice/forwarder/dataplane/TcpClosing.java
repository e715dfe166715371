package io.sluice.forwarder.dataplane;

import java.util.concurrent.TimeUnit;

/**
 * A NAT flow's closing state, kept in high bits of its flow-table values: once a FIN or RST has
 * been seen the flow is remembered for a short time only, as IPVS does, instead of the idle
 * timeout of an open connection, so closed connections do not fill the table. A new SYN on a
 * closing flow's 5-tuple (a client reusing the port) starts a new flow.
 */
final class TcpClosing
{
    static final long FIN_SEEN = 1L << 62;
    static final long RST_SEEN = 1L << 61;
    static final long FLAGS = FIN_SEEN | RST_SEEN;
    /** After a FIN: long enough for the other side's data and FIN (IPVS's FIN_WAIT is 2 minutes). */
    static final long FIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);
    /** After a RST: the connection is gone; a few stray packets may follow. */
    static final long RST_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private static final int TCP_FIN = 0x01;
    private static final int TCP_SYN = 0x02;
    private static final int TCP_RST = 0x04;
    private static final int TCP_ACK = 0x10;

    private TcpClosing()
    {
    }

    /** @return the closing flags a TCP segment with these flags sets. */
    static long of(final int tcpFlags)
    {
        return ((tcpFlags & TCP_FIN) != 0 ? FIN_SEEN : 0L) | ((tcpFlags & TCP_RST) != 0 ? RST_SEEN : 0L);
    }

    /** @return whether the segment opens a connection (SYN without ACK). */
    static boolean opens(final int tcpFlags)
    {
        return (tcpFlags & (TCP_SYN | TCP_ACK)) == TCP_SYN;
    }

    /** @return how long a flow with these flags is remembered after its last packet. */
    static long timeoutNs(final long flags, final long idleTimeoutNs)
    {
        if ((flags & RST_SEEN) != 0)
        {
            return Math.min(RST_TIMEOUT_NS, idleTimeoutNs);
        }
        if ((flags & FIN_SEEN) != 0)
        {
            return Math.min(FIN_TIMEOUT_NS, idleTimeoutNs);
        }
        return idleTimeoutNs;
    }
}
