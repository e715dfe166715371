package io.sluice.control.doctor;

import java.util.Optional;

/**
 * Whether receive coalescing reaches the XDP program: hardware GRO merges in the NIC (drivers
 * refuse native XDP beside it), and software GRO runs before generic XDP (not before native), so
 * on an interface with generic XDP only, the program sees merged packets larger than the MTU.
 */
public final class GroCheck implements Check
{
    static final String NAME = "gro";

    private final String iface;

    public GroCheck(final String iface)
    {
        this.iface = iface;
    }

    @Override
    public Finding run(final Host host)
    {
        final Optional<EthtoolFeatures> features = EthtoolFeatures.of(host.commands(), iface);
        if (features.isEmpty())
        {
            return EthtoolFeatures.unknown(NAME, iface);
        }
        if (features.get().on(EthtoolFeatures.HW_GRO))
        {
            return Finding.warn(NAME, "rx-gro-hw on " + iface + ": the NIC merges segments, and its driver may refuse native XDP",
                "ethtool -K " + iface + " rx-gro-hw off");
        }
        final boolean gro = features.get().on(EthtoolFeatures.GRO);
        if (gro && "generic".equals(host.kernel().xdpAttach(iface).xdpMode()))
        {
            return Finding.warn(NAME, "generic-receive-offload on " + iface + ", which has generic XDP only: the program sees " +
                "merged packets larger than the MTU", "ethtool -K " + iface + " gro off");
        }
        return Finding.pass(NAME, "generic-receive-offload " + (gro ? "on (after native XDP)" : "off") +
            ", rx-gro-hw off on " + iface);
    }
}
