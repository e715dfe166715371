/**
 * Active health checks of the reals: {@link io.sluice.forwarder.health.HealthMonitor} runs TCP
 * connect and HTTP GET checks of {@link io.sluice.forwarder.health.HealthTarget}s on a
 * non-blocking selector, driven from the conductor's duty cycle rather than a thread of its own,
 * and reports each outcome to a listener. A real goes down after the configured number of failed
 * checks in a row and comes back after enough good ones, as the VIP's
 * {@link io.sluice.forwarder.config.HealthCheck} says. The conductor uses the outcomes to take
 * reals out of, and back into, the forwarding table; this is control-path code and allocates.
 */
package io.sluice.forwarder.health;
