package io.sluice.l7.admin;

import io.sluice.l7.balance.PoolBalancer;
import io.sluice.l7.config.L7Config;
import io.sluice.l7.tls.ServedCertificate;

import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /status} shows: the configuration serving now and its live parts.
 *
 * @param config          the configuration in use.
 * @param boundListeners  the addresses its listeners are bound to, in {@link L7Config#listeners()}' order.
 * @param pools           the pools' balancers by name (servers' health flags and in-flight counts).
 * @param draining        whether a drain has begun.
 * @param refusedRequests requests refused so far, by reason's label, in the reasons' order
 *                        ({@link io.sluice.l7.metrics.L7Metrics#refusedRequests()}); zeros may be included.
 * @param certificates    the certificates the TLS listeners serve now (as last read from their files).
 */
public record ServingState(L7Config config, List<InetSocketAddress> boundListeners, Map<String, PoolBalancer> pools, boolean draining,
    Map<String, Long> refusedRequests, List<ServedCertificate> certificates)
{
    public ServingState
    {
        boundListeners = List.copyOf(boundListeners);
        pools = Map.copyOf(pools);
        refusedRequests = Collections.unmodifiableMap(new LinkedHashMap<>(refusedRequests)); // Map.copyOf would lose the order
        certificates = List.copyOf(certificates);
    }

    /** Without TLS listeners. */
    public ServingState(final L7Config config, final List<InetSocketAddress> boundListeners, final Map<String, PoolBalancer> pools,
        final boolean draining, final Map<String, Long> refusedRequests)
    {
        this(config, boundListeners, pools, draining, refusedRequests, List.of());
    }
}
