/**
 * Load balancing inside a pool: a {@link io.sluice.l7.balance.PoolBalancer} per configured pool
 * picks an {@link io.sluice.l7.balance.Upstream} per request (smooth weighted round-robin, least
 * request by two random choices, or a consistent-hash ring), honours sticky cookies, and skips
 * servers the health checks took out. One balancer serves every event loop: its state is
 * atomics and immutable snapshots, and picking takes no lock.
 */
package io.sluice.l7.balance;
