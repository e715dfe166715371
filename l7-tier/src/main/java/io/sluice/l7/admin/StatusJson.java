package io.sluice.l7.admin;

import io.sluice.l7.json.JsonWriter;

import io.netty.util.NetUtil;
import io.sluice.l7.balance.PoolBalancer;
import io.sluice.l7.balance.Upstream;
import io.sluice.l7.config.HealthCheck;
import io.sluice.l7.config.Listener;
import io.sluice.l7.config.Pool;
import io.sluice.l7.config.Route;
import io.sluice.l7.config.Server;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /status} as JSON: listeners (configured and bound address), routes (their pools and
 * weights), pools (algorithm, sticky cookie, health check, and each server's address, weight,
 * health, outlier ejection and requests in flight), and the requests refused so far, in total and
 * by reason ({@code "refused_requests":{"total":4,"by_reason":{"bad_chunk_size":3,"missing_host":1}}};
 * only the reasons that happened, so an attack stands out; the metrics list them all).
 */
final class StatusJson
{
    private StatusJson()
    {
    }

    static String write(final ServingState state)
    {
        final JsonWriter json = new JsonWriter().beginObject();
        json.name("draining").value(state.draining());
        json.name("listeners").beginArray();
        final List<Listener> listeners = state.config().listeners();
        for (int i = 0; i < listeners.size(); i++)
        {
            final Listener listener = listeners.get(i);
            json.beginObject().name("name").value(listener.name()).name("address").value(address(listener.address()))
                .name("bound").value(i < state.boundListeners().size() ? address(state.boundListeners().get(i)) : null).endObject();
        }
        json.endArray();
        json.name("routes").beginArray();
        for (final Route route : state.config().routes())
        {
            json.beginObject().name("name").value(route.name()).name("to").beginArray();
            for (final Route.WeightedPool to : route.to())
            {
                json.beginObject().name("pool").value(to.pool()).name("weight").value(to.weight()).endObject();
            }
            json.endArray().endObject();
        }
        json.endArray();
        json.name("pools").beginArray();
        for (final Pool pool : state.config().pools().values())
        {
            pool(json, pool, state.pools().get(pool.name()));
        }
        json.endArray();
        refusedRequests(json, state.refusedRequests());
        return json.endObject().toString();
    }

    private static void refusedRequests(final JsonWriter json, final Map<String, Long> byReason)
    {
        long total = 0;
        for (final long count : byReason.values())
        {
            total += count;
        }
        json.name("refused_requests").beginObject().name("total").value(total).name("by_reason").beginObject();
        for (final Map.Entry<String, Long> reason : byReason.entrySet())
        {
            if (reason.getValue() != 0)
            {
                json.name(reason.getKey()).value(reason.getValue().longValue());
            }
        }
        json.endObject().endObject();
    }

    private static void pool(final JsonWriter json, final Pool pool, final PoolBalancer balancer)
    {
        json.beginObject().name("name").value(pool.name()).name("balance").value(lower(pool.balance().name()));
        json.name("hash_on");
        if (pool.hashOn() == null)
        {
            json.value((String)null);
        }
        else
        {
            json.beginObject().name("kind").value(lower(pool.hashOn().kind().name())).name("name").value(pool.hashOn().name()).endObject();
        }
        json.name("sticky_cookie").value(pool.sticky() == null ? null : pool.sticky().cookie());
        json.name("health_check");
        healthCheck(json, pool.health());
        json.name("servers").beginArray();
        for (final Server server : pool.servers())
        {
            final Upstream upstream = balancer == null ? null : balancer.upstream(server.name());
            json.beginObject().name("name").value(server.name()).name("address").value(address(server.address()))
                .name("weight").value(server.weight());
            if (upstream == null)
            {
                json.name("healthy").value((String)null).name("ejected").value((String)null)
                    .name("in_flight").value((String)null); // no balancer: no live state
            }
            else
            {
                // healthy: picked now; ejected says whether passive outlier ejection is why not (else the checks are)
                json.name("healthy").value(upstream.healthy()).name("ejected").value(upstream.ejected())
                    .name("in_flight").value(upstream.inFlight());
            }
            json.endObject();
        }
        json.endArray().endObject();
    }

    private static void healthCheck(final JsonWriter json, final HealthCheck health)
    {
        if (health == null)
        {
            json.value((String)null); // no active checks: servers stay healthy
            return;
        }
        json.beginObject().name("kind").value(health.grpc() ? "grpc" : "http");
        if (!health.grpc())
        {
            json.name("path").value(health.path()).name("status").value(health.status()).name("body").value(health.body());
        }
        json.name("interval_ms").value(health.interval().toMillis()).name("timeout_ms").value(health.timeout().toMillis())
            .name("rise").value(health.rise()).name("fall").value(health.fall()).endObject();
    }

    /** {@code 127.0.0.1:80}, {@code [::1]:80}: the address as written in a configuration. */
    static String address(final InetSocketAddress address)
    {
        return NetUtil.toSocketAddressString(address);
    }

    /** An enum constant as the configuration file spells it: {@code ROUND_ROBIN} is {@code round-robin}. */
    private static String lower(final String constant)
    {
        return constant.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
