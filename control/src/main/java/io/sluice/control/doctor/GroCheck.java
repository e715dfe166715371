package io.sluice.control.doctor;

/**
 * Whether receive coalescing reaches the XDP program: hardware GRO merges in the NIC (drivers
 * refuse native XDP beside it), and software GRO runs before generic XDP (not before native), so
 * on an interface with generic XDP only, the program sees merged packets larger than the MTU.
 */
public final class GroCheck extends OffloadCheck
{
    static final String NAME = "gro";

    public GroCheck(final String iface)
    {
        super(NAME, iface);
    }

    @Override
    Finding judge(final EthtoolFeatures features, final Host host)
    {
        if (features.on(EthtoolFeatures.HW_GRO))
        {
            return Finding.warn(NAME, "rx-gro-hw on " + iface + ": the NIC merges segments, and its driver may refuse native XDP",
                "ethtool -K " + iface + " rx-gro-hw off");
        }
        final boolean gro = features.on(EthtoolFeatures.GRO);
        if (gro && "generic".equals(host.kernel().xdpAttach(iface).xdpMode()))
        {
            return Finding.warn(NAME, "generic-receive-offload on " + iface + ", which has generic XDP only: the program sees " +
                "merged packets larger than the MTU", "ethtool -K " + iface + " gro off");
        }
        return Finding.pass(NAME, "generic-receive-offload " + (gro ? "on (after native XDP)" : "off") +
            ", rx-gro-hw off on " + iface);
    }
}
