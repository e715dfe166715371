package io.sluice.control.declarative;

import io.sluice.forwarder.config.ForwarderConfig;
import io.sluice.forwarder.config.RealSpec;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.config.VipConfig;
import io.sluice.forwarder.config.VipSpec;

import java.util.ArrayList;
import java.util.List;

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
 * either in a file changes nothing (Maglev does not depend on it), so it is no change.
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
