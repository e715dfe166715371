package io.sluice.forwarder.bgp;

import io.sluice.forwarder.config.IpAddress;

import java.util.Map;

/**
 * BIRD 2's configuration for a forwarder: one static protocol per VIP address holding a
 * blackhole route (BIRD has no kernel protocol here, so nothing reaches the forwarder's own
 * routing table), enabled while the address is announced and {@code disabled} otherwise, and one
 * BGP protocol per neighbour that exports only those routes, with origin IGP, next hop self and
 * the file's communities: the same attributes on every forwarder, so the router merges the paths.
 * The file always states what should be announced, so BIRD restarted or reconfigured from it
 * announces exactly that.
 */
public final class BirdConfigText
{
    private BirdConfigText()
    {
    }

    /** The static protocol of a VIP address: {@code vip_198_18_1_1}. */
    public static String protocolName(final IpAddress vip)
    {
        return "vip_" + vip.toString().replace('.', '_');
    }

    /** The BGP protocol of a neighbour: {@code peer_198_18_0_1}. */
    public static String protocolName(final BgpConfig.Neighbor neighbor)
    {
        return "peer_" + neighbor.address().toString().replace('.', '_');
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
                .append("ipv4; route ").append(vip.getKey()).append("/32 blackhole; }\n");
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
            text.append("  ipv4 { import none; export filter sluice_vips; next hop self; };\n}\n");
        }
        return text.toString();
    }
}
