/**
 * {@code sluice l7} assembled: {@link io.sluice.l7.server.L7Server} runs a configuration's
 * proxy with its health checks, metrics, access log and admin endpoint, reloads a new
 * configuration without dropping a connection and drains without cutting an exchange.
 * {@link io.sluice.l7.server.ConfiguredRouter} answers the proxy's routing questions from one
 * configuration's routes and pool balancers, and {@code ReloadableRouter}
 * swaps it on reload with one volatile write. This is the one package that ties the L7 tier's
 * others together; the CLI's {@code l7} command starts it.
 */
package io.sluice.l7.server;
