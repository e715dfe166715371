package io.sluice.control.doctor;

import java.util.Optional;

/**
 * Whether the NIC merges TCP segments before XDP sees them (LRO): a merged frame is larger than
 * the MTU, so the forwarder cannot send it on, and native XDP refuses to attach beside it.
 */
public final class LroCheck implements Check
{
    static final String NAME = "lro";

    private final String iface;

    public LroCheck(final String iface)
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
        if (features.get().on(EthtoolFeatures.LRO))
        {
            return Finding.fail(NAME, "large-receive-offload on " + iface +
                ": merged frames larger than the MTU cannot be forwarded", "ethtool -K " + iface + " lro off");
        }
        return Finding.pass(NAME, "large-receive-offload off on " + iface);
    }
}
