package io.sluice.l7.admin;

import io.sluice.l7.balance.PoolBalancer;
import io.sluice.l7.config.L7Config;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /status} shows: the configuration serving now and its live parts.
 *
 * @param config         the configuration in use.
 * @param boundListeners the addresses its listeners are bound to, in {@link L7Config#listeners()}' order.
 * @param pools          the pools' balancers by name (servers' health flags and in-flight counts).
 * @param draining       whether a drain has begun.
 */
public record ServingState(L7Config config, List<InetSocketAddress> boundListeners, Map<String, PoolBalancer> pools, boolean draining)
{
    public ServingState
    {
        boundListeners = List.copyOf(boundListeners);
        pools = Map.copyOf(pools);
    }
}
