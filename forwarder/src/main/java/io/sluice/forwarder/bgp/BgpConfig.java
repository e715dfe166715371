package io.sluice.forwarder.bgp;

import io.sluice.forwarder.config.IpAddress;

import java.util.List;
import java.util.Set;

/**
 * A forwarder's BGP settings, checked by {@link BgpConfigReader}: the same file on every
 * forwarder gives identical announcements (origin IGP, next hop self, the same communities), or
 * the router would not merge their paths into one ECMP route.
 *
 * @param localAs     this forwarder's AS number.
 * @param routerId    BIRD's router id, an IPv4 address (usually the forwarder's own), also with IPv6 sessions.
 * @param neighbors   the routers to announce to, over IPv4 or IPv6: each is told the VIPs of its own IP version.
 * @param holdS       the BGP hold time proposed, seconds.
 * @param keepaliveS  the keepalive interval, seconds.
 * @param bfd         BFD settings, or null for no BFD.
 * @param communities standard communities added to every announcement.
 * @param announce    the VIP addresses to announce, or null for every VIP with a neighbor of its IP version.
 */
public record BgpConfig(
    long localAs,
    IpAddress routerId,
    List<Neighbor> neighbors,
    int holdS,
    int keepaliveS,
    Bfd bfd,
    List<Community> communities,
    Set<IpAddress> announce)
{
    public static final int DEFAULT_HOLD_S = 9;

    /** @param password the TCP MD5 password, or null. */
    public record Neighbor(IpAddress address, long as, String password)
    {
    }

    /** @param intervalMs BFD's transmit and receive interval; @param multiplier missed packets that mean down. */
    public record Bfd(int intervalMs, int multiplier)
    {
    }

    /** A standard community {@code high:low}. */
    public record Community(int high, int low)
    {
        @Override
        public String toString()
        {
            return high + ":" + low;
        }
    }

    public BgpConfig
    {
        neighbors = List.copyOf(neighbors);
        communities = List.copyOf(communities);
        announce = announce == null ? null : Set.copyOf(announce);
    }

    /** @return whether the file asks to announce this VIP address and some neighbor speaks its IP version. */
    public boolean announces(final IpAddress vip)
    {
        return (announce == null || announce.contains(vip)) &&
            neighbors.stream().anyMatch((neighbor) -> neighbor.address().isIpv4() == vip.isIpv4());
    }
}
