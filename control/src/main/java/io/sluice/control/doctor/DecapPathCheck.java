package io.sluice.control.doctor;

import java.util.List;
import java.util.Optional;

/**
 * On a real: whether it can take tunnel-mode packets, IP-in-IP from the forwarder: {@code sluice
 * decap} attached to an interface, or an ipip (ip6tnl) device that is up. Only tunnel-mode VIPs
 * need it, so missing it is a warning.
 */
public final class DecapPathCheck implements Check
{
    static final String NAME = "decap";
    private static final String TUNNEL = "768";
    private static final String TUNNEL6 = "769";
    /** IFF_UP in /sys/class/net/IF/flags. */
    private static final int UP = 0x1;

    private final String iface;

    /** @param iface where {@code sluice decap} should run, or null (the fix then names IF). */
    public DecapPathCheck(final String iface)
    {
        this.iface = iface;
    }

    @Override
    public Finding run(final Host host)
    {
        final Optional<XdpPrograms.Attached> decap = XdpPrograms.attached(host.commands()).stream()
            .filter((program) -> "sluice_decap".equals(program.name())).findFirst();
        if (decap.isPresent())
        {
            return Finding.pass(NAME, "sluice decap runs on " + decap.get().iface());
        }
        String down = null;
        for (final String device : host.files().list("/sys/class/net"))
        {
            final String type = host.files().read("/sys/class/net/" + device + "/type").orElse("");
            if (!List.of(TUNNEL, TUNNEL6).contains(type))
            {
                continue;
            }
            final String flags = host.files().read("/sys/class/net/" + device + "/flags").orElse("0x0");
            if ((Integer.decode(flags) & UP) != 0)
            {
                return Finding.pass(NAME, (TUNNEL.equals(type) ? "ipip" : "ip6tnl") + " device " + device + " is up");
            }
            down = device;
        }
        if (down != null)
        {
            return Finding.warn(NAME, "tunnel device " + down + " is down: tunnel-mode packets are dropped",
                "ip link set dev " + down + " up");
        }
        return Finding.warn(NAME, "no decap path: fine for DSR, but tunnel-mode packets would be dropped",
            "sluice decap --iface " + (iface == null ? "IF" : iface) + " (or: modprobe ipip && ip link set dev tunl0 up)");
    }
}
