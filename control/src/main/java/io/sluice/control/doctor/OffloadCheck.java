package io.sluice.control.doctor;

import java.util.Optional;

/**
 * A check of one interface's offloads: reads its features with {@code ethtool -k} once (a WARN
 * when they cannot be read) and leaves the verdict on them to the check.
 */
abstract class OffloadCheck implements Check
{
    final String iface;
    private final String name;

    OffloadCheck(final String name, final String iface)
    {
        this.name = name;
        this.iface = iface;
    }

    @Override
    public final Finding run(final Host host)
    {
        final Optional<EthtoolFeatures> features = EthtoolFeatures.of(host.commands(), iface);
        return features.isEmpty() ? EthtoolFeatures.unknown(name, iface) : judge(features.get(), host);
    }

    /** The verdict on the interface's features. */
    abstract Finding judge(EthtoolFeatures features, Host host);
}
