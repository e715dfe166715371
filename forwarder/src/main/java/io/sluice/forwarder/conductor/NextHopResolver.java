package io.sluice.forwarder.conductor;

import io.sluice.forwarder.config.IpAddress;

/**
 * Finds the MAC address a real's packets must be sent to: the real's own when it is on-link,
 * its gateway's otherwise. Called by the conductor only, off the data path: when a real is
 * added and on every refresh (about once a second).
 */
@FunctionalInterface
public interface NextHopResolver
{
    /**
     * @param address the real's address, IPv4 or IPv6.
     * @return the next hop's MAC in the low 48 bits, most significant byte first as on the wire,
     *         or 0 when it is not known yet. An implementation that answers 0 starts the
     *         resolution itself (e.g. asks the kernel to send an ARP request or an IPv6
     *         neighbour solicitation) so that a later
     *         call can succeed; it must not block waiting for it.
     */
    long resolveMac(IpAddress address);
}
