package io.sluice.forwarder.dataplane;

import org.agrona.MutableDirectBuffer;

/**
 * The address and port rewrites of NAT mode, in place, for either IP version, with every
 * checksum they touch patched incrementally (RFC 1624) rather than recomputed: IPv4's header
 * checksum for the address ({@link ParsedFlow#source}), and the TCP or UDP checksum, which
 * covers both through the pseudo-header ({@link L4Checksums#rewritePort}). The same rewrite
 * translates the packet an ICMP error quotes, whose own transport checksum is patched when the
 * quote reaches it, so the quote is the packet as its sender sent it.
 */
final class NatRewrite
{
    private static final int SOURCE_PORT_OFFSET = 0;
    private static final int DESTINATION_PORT_OFFSET = 2;

    private NatRewrite()
    {
    }

    /** The destination becomes this address and port (client to real). */
    static void destination(
        final MutableDirectBuffer buffer, final ParsedFlow flow, final long high, final long low, final int port)
    {
        final long oldHigh = flow.destinationHigh();
        final long oldLow = flow.destinationLow();
        flow.destination(high, low);
        L4Checksums.rewritePort(buffer, flow, oldHigh, oldLow, high, low, DESTINATION_PORT_OFFSET, port);
    }

    /** The source becomes this address and port (real to client: the VIP's, as the client expects). */
    static void source(final MutableDirectBuffer buffer, final ParsedFlow flow, final long high, final long low, final int port)
    {
        final long oldHigh = flow.sourceHigh();
        final long oldLow = flow.sourceLow();
        flow.source(high, low);
        L4Checksums.rewritePort(buffer, flow, oldHigh, oldLow, high, low, SOURCE_PORT_OFFSET, port);
    }
}
