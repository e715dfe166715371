package io.sluice.forwarder.bgp;

import io.sluice.forwarder.config.IpAddress;

import java.util.Map;

/**
 * BIRD 2's configuration for a forwarder: one static protocol per VIP address holding a
 * blackhole route (/32 in an ipv4 channel, /128 in an ipv6 one; BIRD has no kernel protocol here,
 * so nothing reaches the forwarder's own routing table), enabled while the address is announced
 * and {@code disabled} otherwise, and one BGP protocol per neighbour, over IPv4 or IPv6, whose
 * channel of its own IP version exports only those routes of that version, with origin IGP,
 * next hop self and the file's communities: the same attributes on every forwarder, so the
 * router merges the paths. BFD, when on, runs to every neighbour whatever its IP version.
 * The file always states what should be announced, so BIRD restarted or reconfigured from it
 * announces exactly that.
 */
public final class BirdConfigText
{
    private BirdConfigText()
    {
    }

    /** The static protocol of a VIP address: {@code vip_198_18_1_1}, {@code vip_2001_2_0_1__1}. */
    public static String protocolName(final IpAddress vip)
    {
        return "vip_" + symbol(vip);
    }

    /** The BGP protocol of a neighbour: {@code peer_198_18_0_1}, {@code peer_2001_2__1}. */
    public static String protocolName(final BgpConfig.Neighbor neighbor)
    {
        return "peer_" + symbol(neighbor.address());
    }

    /** An address as part of a BIRD symbol (letters, digits, underscores). */
    private static String symbol(final IpAddress address)
    {
        return address.toString().replace('.', '_').replace(':', '_');
    }

    /** The BIRD channel (and static protocol table) of an address's IP version. */
    private static String channel(final IpAddress address)
    {
        return address.isIpv4() ? "ipv4" : "ipv6";
    }

    /** @param vips every VIP address the file lets this forwarder announce, true for those to announce now. */
    public static String render(final BgpConfig config, final Map<IpAddress, Boolean> vips)
    {
        final StringBuilder text = new StringBuilder(1024)
            .append("# Written by sluice forwarder; rewritten whenever what it announces changes.\n")
            .append("router id ").append(config.routerId()).append(";\n")
            .append("log stderr { info, remote, warning, error, auth, fatal, bug };\n")
            // One token per column in `show protocols`, so BirdControl can split the lines on spaces.
            .append("timeformat protocol \"%s\";\n")
            .append("protocol device { }\n");
        if (config.bfd() != null)
        {
            text.append("protocol bfd { interface \"*\" { interval ").append(config.bfd().intervalMs())
                .append(" ms; multiplier ").append(config.bfd().multiplier()).append("; }; }\n");
        }
        for (final Map.Entry<IpAddress, Boolean> vip : vips.entrySet())
        {
            text.append("protocol static ").append(protocolName(vip.getKey())).append(" { ")
                .append(vip.getValue() ? "" : "disabled; ")
                .append(channel(vip.getKey())).append("; route ").append(vip.getKey())
                .append(vip.getKey().isIpv4() ? "/32" : "/128").append(" blackhole; }\n");
        }
        text.append("filter sluice_vips {\n  if source != RTS_STATIC then reject;\n  bgp_origin = ORIGIN_IGP;\n");
        for (final BgpConfig.Community community : config.communities())
        {
            text.append("  bgp_community.add((").append(community.high()).append(',').append(community.low()).append("));\n");
        }
        text.append("  accept;\n}\n");
        for (final BgpConfig.Neighbor neighbor : config.neighbors())
        {
            text.append("protocol bgp ").append(protocolName(neighbor)).append(" {\n")
                .append("  local as ").append(config.localAs()).append(";\n")
                .append("  neighbor ").append(neighbor.address()).append(" as ").append(neighbor.as()).append(";\n")
                .append("  hold time ").append(config.holdS())
                .append("; keepalive time ").append(config.keepaliveS()).append(";\n")
                // BIRD's defaults (5 s before the first connect) would keep a starting forwarder out for seconds.
                .append("  connect delay time 1; connect retry time 2; error wait time 1, 16;\n");
            if (neighbor.password() != null)
            {
                text.append("  password \"").append(neighbor.password()).append("\";\n");
            }
            if (config.bfd() != null)
            {
                text.append("  bfd on;\n");
            }
            text.append("  ").append(channel(neighbor.address()))
                .append(" { import none; export filter sluice_vips; next hop self; };\n}\n");
        }
        return text.toString();
    }
}
