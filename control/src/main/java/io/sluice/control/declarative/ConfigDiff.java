package io.sluice.control.declarative;

import io.sluice.forwarder.bgp.BgpConfig;
import io.sluice.forwarder.config.ForwarderConfig;
import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.RealSpec;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.config.VipConfig;
import io.sluice.forwarder.config.VipSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What changes when a forwarder running one configuration is made to run another, one line per
 * change in the CLI's words: {@code +} added, {@code -} removed, {@code ~} changed.
 * <pre>
 * + vip 198.18.1.1:80/tcp dsr
 * + real 198.18.1.1:80/tcp 198.18.0.11 weight 100
 * ~ vip 198.18.1.2:80/tcp scheduler maglev -> round-robin
 * ~ real 198.18.1.2:80/tcp 198.18.0.12 weight 100 -> 0
 * - real 198.18.1.2:80/tcp 198.18.0.13
 * - vip 198.18.1.3:53/udp
 * </pre>
 * VIPs are matched by address, port and protocol, reals by address and port; the order of
 * either in a file changes nothing (Maglev does not depend on it), so it is no change. BGP
 * settings ({@link #bgpChanges}) one line per setting, neighbours matched by address:
 * <pre>
 * ~ bgp hold 9s -> 6s
 * + bgp neighbor 198.18.0.5 as 65000
 * ~ bgp bfd off -> 100ms x 3
 * </pre>
 */
public final class ConfigDiff
{
    private ConfigDiff()
    {
    }

    /** @return the changes from {@code running} to {@code desired}; empty when they are the same. */
    public static List<String> changes(final ForwarderConfig running, final ForwarderConfig desired)
    {
        final List<String> changes = new ArrayList<>();
        for (final VipConfig vip : desired.vips())
        {
            final VipConfig before = running.find(vip.key());
            if (before == null)
            {
                changes.add("+ vip " + vip.key() + " " + added(vip.spec()));
                for (final RealSpec real : vip.reals())
                {
                    changes.add("+ real " + vip.key() + " " + real.endpoint() + " weight " + real.weight());
                }
            }
            else
            {
                vipChanges(before, vip, changes);
            }
        }
        for (final VipConfig vip : running.vips())
        {
            if (desired.find(vip.key()) == null)
            {
                changes.add("- vip " + vip.key());
            }
        }
        return changes;
    }

    /**
     * @param running the forwarder's BGP settings, or null when it runs without BGP.
     * @param desired the file's, or null when it has no {@code bgp:} section: no change.
     * @return the changes from {@code running} to {@code desired}; empty when they are the same.
     */
    public static List<String> bgpChanges(final BgpConfig running, final BgpConfig desired)
    {
        final List<String> changes = new ArrayList<>();
        if (desired == null || desired.equals(running))
        {
            return changes;
        }
        if (running == null)
        {
            changes.add("+ bgp AS " + desired.localAs() + " router id " + desired.routerId() + ", " + desired.neighbors().size() +
                " neighbor(s)");
            return changes;
        }
        change(changes, "local_as", running.localAs(), desired.localAs());
        change(changes, "router_id", running.routerId(), desired.routerId());
        for (final BgpConfig.Neighbor neighbor : running.neighbors())
        {
            if (neighbor(desired, neighbor.address()) == null)
            {
                changes.add("- bgp neighbor " + neighbor.address());
            }
        }
        for (final BgpConfig.Neighbor neighbor : desired.neighbors())
        {
            final BgpConfig.Neighbor before = neighbor(running, neighbor.address());
            if (before == null)
            {
                changes.add("+ bgp neighbor " + neighbor.address() + " as " + neighbor.as());
            }
            else
            {
                change(changes, "neighbor " + neighbor.address() + " as", before.as(), neighbor.as());
                if (!Objects.equals(before.password(), neighbor.password()))
                {
                    changes.add("~ bgp neighbor " + neighbor.address() + " password changed");
                }
            }
        }
        change(changes, "hold", running.holdS() + "s", desired.holdS() + "s");
        change(changes, "keepalive", running.keepaliveS() + "s", desired.keepaliveS() + "s");
        change(changes, "bfd", bfd(running.bfd()), bfd(desired.bfd()));
        change(changes, "communities", running.communities(), desired.communities());
        change(changes, "announce", announce(running), announce(desired));
        return changes;
    }

    private static void change(final List<String> changes, final String setting, final Object before, final Object after)
    {
        if (!before.equals(after))
        {
            changes.add("~ bgp " + setting + " " + before + " -> " + after);
        }
    }

    private static BgpConfig.Neighbor neighbor(final BgpConfig config, final IpAddress address)
    {
        return config.neighbors().stream().filter((neighbor) -> neighbor.address().equals(address)).findFirst().orElse(null);
    }

    private static String bfd(final BgpConfig.Bfd bfd)
    {
        return bfd == null ? "off" : bfd.intervalMs() + "ms x " + bfd.multiplier();
    }

    private static String announce(final BgpConfig config)
    {
        return config.announce() == null ? "all" : new TreeSet<>(config.announce()).toString();
    }

    /** The mode (gue+sc with second chance), and the scheduler and health check where they are not the defaults. */
    private static String added(final VipSpec spec)
    {
        return spec.modeLabel() +
            (spec.scheduler() == SchedulerKind.MAGLEV ? "" : " scheduler " + spec.scheduler().label()) +
            (spec.health().enabled() ? " health " + HealthWords.brief(spec.health()) : "");
    }

    private static void vipChanges(final VipConfig before, final VipConfig after, final List<String> changes)
    {
        final String vip = "~ vip " + after.key();
        if (!before.spec().modeLabel().equals(after.spec().modeLabel()))
        {
            changes.add(vip + " mode " + before.spec().modeLabel() + " -> " + after.spec().modeLabel());
        }
        if (before.spec().scheduler() != after.spec().scheduler())
        {
            changes.add(vip + " scheduler " + before.spec().scheduler().label() + " -> " + after.spec().scheduler().label());
        }
        if (!before.spec().health().equals(after.spec().health()))
        {
            changes.add(vip + " health " + HealthWords.brief(before.spec().health()) + " -> " +
                HealthWords.brief(after.spec().health()));
        }
        for (final RealSpec real : before.reals())
        {
            if (after.indexOfReal(real.address(), real.port()) < 0)
            {
                changes.add("- real " + after.key() + " " + real.endpoint());
            }
        }
        for (final RealSpec real : after.reals())
        {
            final int index = before.indexOfReal(real.address(), real.port());
            if (index < 0)
            {
                changes.add("+ real " + after.key() + " " + real.endpoint() + " weight " + real.weight());
            }
            else if (before.reals().get(index).weight() != real.weight())
            {
                changes.add("~ real " + after.key() + " " + real.endpoint() + " weight " + before.reals().get(index).weight() +
                    " -> " + real.weight());
            }
        }
    }
}
