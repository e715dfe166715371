package io.sluice.control.doctor;

import java.util.OptionalInt;

/**
 * Whether the forwarder's host routes packets itself (IPv4 or IPv6): it must not, or every VIP
 * packet that reaches its kernel (all of them with {@code --io packet}, those of queues without
 * a socket with AF_XDP) is forwarded a second time, next to the forwarder's copy.
 */
public final class ForwardingCheck implements Check
{
    private final String name;
    private final String sysctl;
    private final String path;

    private ForwardingCheck(final String name, final String sysctl, final String path)
    {
        this.name = name;
        this.sysctl = sysctl;
        this.path = path;
    }

    public static ForwardingCheck ipv4()
    {
        return new ForwardingCheck("ip-forward", "net.ipv4.ip_forward", "/proc/sys/net/ipv4/ip_forward");
    }

    public static ForwardingCheck ipv6()
    {
        return new ForwardingCheck("ipv6-forward", "net.ipv6.conf.all.forwarding", "/proc/sys/net/ipv6/conf/all/forwarding");
    }

    @Override
    public Finding run(final Host host)
    {
        final OptionalInt forwarding = host.files().readInt(path);
        if (forwarding.isEmpty())
        {
            return Finding.warn(name, "no " + path + " (IPv6 disabled, or /proc not mounted)", "sysctl " + sysctl);
        }
        if (forwarding.getAsInt() == 0)
        {
            return Finding.pass(name, sysctl + " = 0: the kernel drops its copies of VIP packets");
        }
        return Finding.fail(name, sysctl + " = " + forwarding.getAsInt() +
            ": VIP packets that reach the kernel are routed a second time, next to the forwarder's copy",
            "sysctl -w " + sysctl + "=0");
    }
}
