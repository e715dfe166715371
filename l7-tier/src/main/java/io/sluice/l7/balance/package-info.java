/**
 * Load balancing inside a pool: a {@link io.sluice.l7.balance.PoolBalancer} per configured pool
 * picks an {@link io.sluice.l7.balance.Upstream} per request (smooth weighted round-robin, least
 * request by two random choices, or a consistent-hash ring), honours sticky cookies, and skips
 * servers the health checks took out; it counts each server's and the pool's requests in flight
 * against their {@code max_requests}, and queues the requests that find no room in the pool's
 * {@link io.sluice.l7.balance.PoolQueue} (HAProxy's {@code maxconn} and queue). One balancer
 * serves every event loop: its state is atomics and immutable snapshots, and picking and taking
 * a free slot take no lock; only the queue has one.
 */
package io.sluice.l7.balance;
