/**
 * The forwarder's configuration as one declarative YAML file ({@code sluice apply}, {@code sluice
 * export}): its VIPs with mode, scheduler and health check and their reals with weights, in the
 * words of the {@code vip add} and {@code real add} commands. {@link
 * io.sluice.control.declarative.ForwarderYaml} reads a file into a {@link
 * io.sluice.forwarder.config.ForwarderConfig} through the same rules as the CLI, every error one
 * line naming file, line and field, and writes a configuration back in the same form, with a
 * {@code bgp:} section of the forwarder's BGP settings when it runs BGP ({@link
 * io.sluice.control.declarative.BgpYaml}, checked by the forwarder's own BGP file reader); {@link
 * io.sluice.control.declarative.ConfigDiff} lists what would change, one line per change. The
 * change itself travels to the forwarder as one whole configuration and is applied there at once;
 * changed BGP settings follow as one command, which reconfigures BIRD.
 */
package io.sluice.control.declarative;
