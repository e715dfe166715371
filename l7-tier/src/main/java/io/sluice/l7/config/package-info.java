/**
 * The {@code sluice l7 --config} file: {@link io.sluice.l7.config.L7ConfigLoader} reads the YAML
 * (snakeyaml-engine, composed into {@code ConfigNode}s that keep their line
 * and field path, never bound to objects) into an immutable, validated
 * {@link io.sluice.l7.config.L7Config} of listeners, routes, pools, health checks, timeouts and
 * limits, or refuses it with one {@link io.sluice.l7.config.ConfigException} line naming file,
 * line and field. Every value is read as text and checked here (durations, sizes, IP-literal
 * addresses, header syntax, regular expressions), and the files a TLS listener names (certificate
 * chains, keys, CA bundles, ticket keys) are read and checked with it, so a bad file fails at load
 * or reload, never on a request or a handshake. The rest of the L7 tier builds its routers,
 * balancers, health checks and TLS contexts from these records, and the CLI's {@code l7} command
 * loads the file before anything is bound.
 */
package io.sluice.l7.config;
