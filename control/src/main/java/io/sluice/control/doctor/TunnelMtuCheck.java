package io.sluice.control.doctor;

import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.VipConfig;

import java.util.List;
import java.util.OptionalInt;

/**
 * Whether the interface's MTU leaves room for the tunnel header (20 bytes of IPv4, 40 of IPv6)
 * around a client's full 1500-byte packet. Without it every full-size packet of a tunnel-mode
 * VIP gets "fragmentation needed" back, and connections hang where ICMP is filtered.
 */
public final class TunnelMtuCheck implements Check
{
    static final String NAME = "tunnel-mtu";
    static final int CLIENT_MTU = 1500;
    static final int IPV4_HEADER = 20;
    static final int IPV6_HEADER = 40;

    private final String iface;
    private final List<VipConfig> vips;

    public TunnelMtuCheck(final String iface, final List<VipConfig> vips)
    {
        this.iface = iface;
        this.vips = vips;
    }

    @Override
    public Finding run(final Host host)
    {
        final OptionalInt mtu = host.files().readInt("/sys/class/net/" + iface + "/mtu");
        if (mtu.isEmpty())
        {
            return Finding.warn(NAME, "no MTU for " + iface, "ip link show dev " + iface);
        }
        final List<VipConfig> tunnelled = vips.stream().filter((vip) -> vip.spec().mode() == ForwardingMode.TUNNEL).toList();
        final boolean ipv6 = tunnelled.stream().anyMatch((vip) -> !vip.key().isIpv4());
        final int needed = CLIENT_MTU + (ipv6 ? IPV6_HEADER : IPV4_HEADER);
        if (mtu.getAsInt() >= needed)
        {
            return Finding.pass(NAME, iface + " MTU " + mtu.getAsInt() + " fits a 1500-byte packet and a tunnel header");
        }
        final String fix = "ip link set dev " + iface + " mtu " + needed + " (and every link on the way to the reals)";
        if (tunnelled.isEmpty())
        {
            return Finding.warn(NAME, iface + " MTU " + mtu.getAsInt() + " < " + needed +
                ": enough until a tunnel-mode VIP is added", fix);
        }
        return Finding.fail(NAME, iface + " MTU " + mtu.getAsInt() + " < " + needed + ": full-size packets of tunnel VIP " +
            tunnelled.getFirst().key() + " get 'fragmentation needed' back", fix);
    }
}
