package io.sluice.control.doctor;

import java.util.Optional;

/**
 * The checksum offloads: without receive checksumming the kernel verifies every checksum in
 * software. A veth's default transmit checksumming leaves senders' TCP/UDP checksums partial;
 * that needs nothing, the workers finish them (and count them: {@code sluice stats}, CHECKSUMS).
 */
public final class ChecksumOffloadCheck implements Check
{
    static final String NAME = "checksum-offload";

    private final String iface;

    public ChecksumOffloadCheck(final String iface)
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
        if (!features.get().on(EthtoolFeatures.RX_CHECKSUM))
        {
            return Finding.warn(NAME, "rx-checksumming off on " + iface + ": the kernel verifies each checksum in software",
                "ethtool -K " + iface + " rx on");
        }
        final boolean veth = host.commands().run("ethtool", "-i", iface).orElse("").contains("driver: veth");
        final boolean tx = features.get().on(EthtoolFeatures.TX_CHECKSUM);
        return Finding.pass(NAME, "rx-checksumming on, tx-checksumming " + (tx ? "on" : "off") + " on " + iface +
            (veth && tx ? " (veth: senders' partial checksums are finished by the workers, sluice stats CHECKSUMS)" : ""));
    }
}
