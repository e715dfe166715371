package io.sluice.control.doctor;

import java.util.List;
import java.util.OptionalInt;

/**
 * The per-interface IPv4 sysctls (net.ipv4.conf.IF.*) as the kernel applies them: rp_filter,
 * arp_ignore and arp_announce take the larger of the interface's value and {@code all}'s.
 */
final class Ipv4ConfSysctls
{
    static final String CONF = "/proc/sys/net/ipv4/conf/";

    private Ipv4ConfSysctls()
    {
    }

    /** @return {@code iface} when given, else every interface but lo (and the all/default pseudo-entries). */
    static List<String> interfaces(final HostFiles files, final String iface)
    {
        if (iface != null)
        {
            return List.of(iface);
        }
        return files.list(CONF).stream().filter((name) -> !List.of("all", "default", "lo").contains(name)).toList();
    }

    /** @return the value the kernel uses on {@code iface}, empty when neither file reads as a number. */
    static OptionalInt effective(final HostFiles files, final String iface, final String sysctl)
    {
        final OptionalInt all = files.readInt(CONF + "all/" + sysctl);
        final OptionalInt own = files.readInt(CONF + iface + "/" + sysctl);
        if (all.isEmpty() && own.isEmpty())
        {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Math.max(all.orElse(0), own.orElse(0)));
    }
}
