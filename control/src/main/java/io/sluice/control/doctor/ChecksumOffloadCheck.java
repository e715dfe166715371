package io.sluice.control.doctor;

/**
 * The checksum offloads: without receive checksumming the kernel verifies every checksum in
 * software. A veth's default transmit checksumming leaves senders' TCP/UDP checksums partial;
 * that needs nothing, the workers finish them (and count them: {@code sluice stats}, CHECKSUMS).
 */
public final class ChecksumOffloadCheck extends OffloadCheck
{
    static final String NAME = "checksum-offload";

    public ChecksumOffloadCheck(final String iface)
    {
        super(NAME, iface);
    }

    @Override
    Finding judge(final EthtoolFeatures features, final Host host)
    {
        if (!features.on(EthtoolFeatures.RX_CHECKSUM))
        {
            return Finding.warn(NAME, "rx-checksumming off on " + iface + ": the kernel verifies each checksum in software",
                "ethtool -K " + iface + " rx on");
        }
        final boolean veth = host.commands().run("ethtool", "-i", iface).orElse("").contains("driver: veth");
        final boolean tx = features.on(EthtoolFeatures.TX_CHECKSUM);
        return Finding.pass(NAME, "rx-checksumming on, tx-checksumming " + (tx ? "on" : "off") + " on " + iface +
            (veth && tx ? " (veth: senders' partial checksums are finished by the workers, sluice stats CHECKSUMS)" : ""));
    }
}
