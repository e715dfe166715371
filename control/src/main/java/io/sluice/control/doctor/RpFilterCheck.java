package io.sluice.control.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Reverse-path filtering (net.ipv4.conf.*.rp_filter, the larger of {@code all} and the
 * interface's). On a real it must be off: a VIP packet comes from a client this host may route
 * elsewhere (or from a tunnel device with no route back at all), and strict filtering drops it
 * silently, loose filtering when there is no route to the client at all. On the forwarder's
 * host XDP takes VIP packets before the filter, but strict filtering drops what the kernel gets
 * from clients routed elsewhere (with {@code --io packet}, health-check answers on an egress interface).
 */
public final class RpFilterCheck implements Check
{
    static final String NAME = "rp-filter";
    private static final int STRICT = 1;

    private final String iface;
    private final boolean onReal;

    /**
     * @param iface  the interface to look at, or null for every interface.
     * @param onReal whether this host is a real (off required) or the forwarder's (loose is fine).
     */
    public RpFilterCheck(final String iface, final boolean onReal)
    {
        this.iface = iface;
        this.onReal = onReal;
    }

    @Override
    public Finding run(final Host host)
    {
        final List<String> strict = new ArrayList<>();
        final List<String> loose = new ArrayList<>();
        final List<String> interfaces = Ipv4ConfSysctls.interfaces(host.files(), iface);
        for (final String name : interfaces)
        {
            final OptionalInt value = Ipv4ConfSysctls.effective(host.files(), name, "rp_filter");
            if (value.isPresent() && value.getAsInt() == STRICT)
            {
                strict.add(name);
            }
            else if (value.isPresent() && value.getAsInt() > STRICT)
            {
                loose.add(name);
            }
        }
        final String off = onReal ? "0" : "2";
        if (!strict.isEmpty())
        {
            final String detail = "strict on " + String.join(", ", strict) + ": " + (onReal ?
                "VIP packets from clients this host routes elsewhere are dropped silently" :
                "packets from clients routed elsewhere are dropped by the kernel");
            final String fix = "sysctl -w net.ipv4.conf.all.rp_filter=" + off + " " + perInterface(strict, off);
            return onReal ? Finding.fail(NAME, detail, fix) : Finding.warn(NAME, detail, fix);
        }
        if (onReal && !loose.isEmpty())
        {
            return Finding.warn(NAME, "loose on " + String.join(", ", loose) +
                ": VIP packets from clients this host has no route back to are dropped",
                "sysctl -w net.ipv4.conf.all.rp_filter=0 " + perInterface(loose, "0"));
        }
        return Finding.pass(NAME, (loose.isEmpty() ? "off" : "loose") + " on " +
            (interfaces.isEmpty() ? "every interface" : String.join(", ", interfaces)));
    }

    private static String perInterface(final List<String> interfaces, final String value)
    {
        final StringBuilder settings = new StringBuilder();
        for (final String name : interfaces)
        {
            settings.append(settings.isEmpty() ? "" : " ")
                .append("net.ipv4.conf.").append(name).append(".rp_filter=").append(value);
        }
        return settings.toString();
    }
}
