/**
 * What a forwarder is configured to do, as immutable values: a
 * {@link io.sluice.forwarder.config.ForwarderConfig} of VIPs, each with its mode, scheduler,
 * health check and reals, and the addresses, keys and parsers these are made of. Every change goes
 * through {@link io.sluice.forwarder.config.ForwarderConfig}'s methods and either returns a new
 * configuration or throws a {@link io.sluice.forwarder.config.ConfigException} with a one-line
 * message for the user, so the CLI, the conductor and the saved file obey the same rules.
 * {@link io.sluice.forwarder.config.ConfigText} is the saved file's format, one CLI-like statement
 * a line. The package depends on nothing but the JDK; the rest of the forwarder, the CLI and the
 * daemon build on it, and the data path reads its addresses as primitives without allocating.
 */
package io.sluice.forwarder.config;
