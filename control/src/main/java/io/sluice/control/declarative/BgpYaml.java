package io.sluice.control.declarative;

import io.sluice.forwarder.bgp.BgpConfig;
import io.sluice.forwarder.bgp.BgpConfigReader;
import io.sluice.forwarder.config.IpAddress;

import java.util.stream.Collectors;

/**
 * A declarative file's {@code bgp:} section: the keys of the {@code sluice forwarder --bgp FILE}
 * file, checked by the same {@link BgpConfigReader}, whose one-line reasons are prefixed with the
 * file, the section's line and {@code bgp} ({@code fwd.yaml:7: bgp: neighbors[0].as: 'x' is not
 * an AS number (1-4294967295)}). {@link #write} gives the text {@link #read} reads back to equal settings.
 */
final class BgpYaml
{
    private BgpYaml()
    {
    }

    static BgpConfig read(final YamlNode section, final String source)
    {
        return BgpConfigReader.read(section.plain(), source + ":" + section.line() + ": bgp");
    }

    /** Every setting written out (hold and keepalive too), so the section says what the forwarder runs. */
    static void write(final BgpConfig bgp, final StringBuilder yaml)
    {
        yaml.append("bgp:\n")
            .append("  local_as: ").append(bgp.localAs()).append('\n')
            .append("  router_id: ").append(bgp.routerId()).append('\n')
            .append("  neighbors:\n");
        for (final BgpConfig.Neighbor neighbor : bgp.neighbors())
        {
            // A password has no quotes, backslashes or line breaks (the reader refuses them): quoting is enough.
            yaml.append("    - { address: ").append(neighbor.address()).append(", as: ").append(neighbor.as())
                .append(neighbor.password() == null ? "" : ", password: \"" + neighbor.password() + "\"").append(" }\n");
        }
        yaml.append("  hold: ").append(bgp.holdS()).append("s\n")
            .append("  keepalive: ").append(bgp.keepaliveS()).append("s\n");
        if (bgp.bfd() != null)
        {
            yaml.append("  bfd: { interval: ").append(bgp.bfd().intervalMs()).append("ms, multiplier: ")
                .append(bgp.bfd().multiplier()).append(" }\n");
        }
        if (!bgp.communities().isEmpty())
        {
            yaml.append("  communities: [").append(bgp.communities().stream().map((community) -> "\"" + community + "\"")
                .collect(Collectors.joining(", "))).append("]\n");
        }
        yaml.append("  announce: ").append(bgp.announce() == null ? "all" : "[" + bgp.announce().stream().sorted()
            .map(IpAddress::toString).collect(Collectors.joining(", ")) + "]").append('\n');
    }
}
