package io.sluice.control.doctor;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An interface's offload features as {@code ethtool -k IF} prints them ({@code name: on|off},
 * maybe followed by {@code [fixed]} when the driver does not let it change).
 */
final class EthtoolFeatures
{
    static final String LRO = "large-receive-offload";
    static final String GRO = "generic-receive-offload";
    static final String HW_GRO = "rx-gro-hw";
    static final String RX_CHECKSUM = "rx-checksumming";
    static final String TX_CHECKSUM = "tx-checksumming";

    private final Map<String, Boolean> enabled;

    private EthtoolFeatures(final Map<String, Boolean> enabled)
    {
        this.enabled = enabled;
    }

    /** @return the interface's features, empty when ethtool is missing or knows no such interface. */
    static Optional<EthtoolFeatures> of(final HostCommands commands, final String iface)
    {
        return commands.run("ethtool", "-k", iface).map(EthtoolFeatures::parse);
    }

    static EthtoolFeatures parse(final String text)
    {
        final Map<String, Boolean> enabled = new HashMap<>();
        for (final String line : text.split("\n"))
        {
            final int colon = line.indexOf(':');
            if (colon > 0)
            {
                enabled.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip().startsWith("on"));
            }
        }
        return new EthtoolFeatures(enabled);
    }

    boolean on(final String feature)
    {
        return enabled.getOrDefault(feature, false);
    }

    /** The finding when ethtool gave nothing: the offload checks cannot tell. */
    static Finding unknown(final String check, final String iface)
    {
        return Finding.warn(check, "ethtool -k " + iface + " failed: cannot tell", "apt-get install ethtool");
    }
}
