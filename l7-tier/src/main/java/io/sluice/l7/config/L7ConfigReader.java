package io.sluice.l7.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The file's top level, and the {@code timeouts} section ({@code limits} is {@link LimitsReader}'s). */
final class L7ConfigReader
{
    private L7ConfigReader()
    {
    }

    static L7Config config(final ConfigNode root)
    {
        final ConfigMapping fields = root.mapping("listeners", "admin", "timeouts", "limits", "routes", "pools", "redis", "dns");
        final ListenerReader listenerReader = new ListenerReader();
        final List<Listener> listeners = listenerReader.listeners(fields.required("listeners"));
        final ConfigNode adminNode = fields.optional("admin");
        final Admin admin = adminNode == null ? null : listenerReader.admin(adminNode);
        final ConfigNode timeoutsNode = fields.optional("timeouts");
        final Timeouts timeouts = timeoutsNode == null ? Timeouts.DEFAULTS : timeouts(timeoutsNode);
        final ConfigNode limitsNode = fields.optional("limits");
        final RequestLimits limits = limitsNode == null ? RequestLimits.DEFAULTS : LimitsReader.limits(limitsNode);
        // Before the routes: a route's global rate limit needs a redis to count in.
        final ConfigNode redisNode = fields.optional("redis");
        final RedisSettings redis = redisNode == null ? null : RedisReader.redis(redisNode);
        final Map<String, Pool> pools = PoolReader.pools(fields.required("pools"));
        final List<Route> routes = RouteReader.routes(fields.required("routes"), pools.keySet(), redis != null);
        final ConfigNode dnsNode = fields.optional("dns");
        return new L7Config(listeners, routes, pools, timeouts, admin, limits, redis,
            dnsNode == null ? DnsSettings.DEFAULTS : DnsReader.dns(dnsNode));
    }

    private static Timeouts timeouts(final ConfigNode node)
    {
        final ConfigMapping fields = node.mapping("connect", "request_header", "idle", "request", "upgraded_idle");
        final Timeouts defaults = Timeouts.DEFAULTS;
        return new Timeouts(
            duration(fields, "connect", defaults.connect()),
            duration(fields, "request_header", defaults.requestHeader()),
            duration(fields, "idle", defaults.idle()),
            duration(fields, "request", defaults.request()),
            duration(fields, "upgraded_idle", defaults.upgradedIdle()));
    }

    private static Duration duration(final ConfigMapping fields, final String key, final Duration otherwise)
    {
        final ConfigNode node = fields.optional(key);
        return node == null ? otherwise : node.parse(Durations::parse);
    }
}
