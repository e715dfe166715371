package io.sluice.control.declarative;

import io.sluice.forwarder.bgp.BgpConfig;
import io.sluice.forwarder.config.ForwarderConfig;

/**
 * Everything a declarative file states about a forwarder.
 *
 * @param config its VIPs and reals.
 * @param bgp    its BGP settings (the file's {@code bgp:} section), or null when the file has none:
 *               then {@code sluice apply} leaves the forwarder's BGP settings as they are.
 */
public record DeclaredConfig(ForwarderConfig config, BgpConfig bgp)
{
}
