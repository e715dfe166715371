package io.sluice.control.cnc;

import io.sluice.forwarder.config.ForwarderConfig;

/**
 * A forwarder's configuration as read at one moment, with the version it had then: what a
 * configuration put names as its base, so the forwarder can refuse it if anything changed since.
 *
 * @param version the forwarder's configuration version when it was read.
 * @param config  the configuration.
 */
public record ConfigSnapshot(long version, ForwarderConfig config)
{
}
