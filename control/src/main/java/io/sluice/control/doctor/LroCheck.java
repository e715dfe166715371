package io.sluice.control.doctor;

/**
 * Whether the NIC merges TCP segments before XDP sees them (LRO): a merged frame is larger than
 * the MTU, so the forwarder cannot send it on, and native XDP refuses to attach beside it.
 */
public final class LroCheck extends OffloadCheck
{
    static final String NAME = "lro";

    public LroCheck(final String iface)
    {
        super(NAME, iface);
    }

    @Override
    Finding judge(final EthtoolFeatures features, final Host host)
    {
        if (features.on(EthtoolFeatures.LRO))
        {
            return Finding.fail(NAME, "large-receive-offload on " + iface +
                ": merged frames larger than the MTU cannot be forwarded", "ethtool -K " + iface + " lro off");
        }
        return Finding.pass(NAME, "large-receive-offload off on " + iface);
    }
}
