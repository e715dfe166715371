package io.sluice.lab;

import java.nio.file.Path;

/**
 * The {@code sluice l7} configuration of the lab's two-tier topology, written for one proxy:
 * it listens on the VIP (held on its lo, reached by DSR from the forwarder), in cleartext and,
 * when asked, over TLS too; sends {@code /api/} to the api pool (round-robin) and
 * {@code /static/} to the static pool (sticky cookie), names itself in X-Served-Via so a client
 * can count requests per proxy, and serves its metrics on an admin endpoint on its own loopback.
 * Asked, it also limits a path under {@code /api/} per client address with a global rate limit,
 * counted in a Redis every proxy shares.
 */
public final class TwoTierConfig
{
    /** The names of the four backends, as they answer in X-Served-By. */
    public static final String API1 = "api1";
    public static final String API2 = "api2";
    public static final String STATIC1 = "static1";
    public static final String STATIC2 = "static2";
    public static final String STICKY_COOKIE = "SLUICE_STATIC";
    /** Each proxy's admin endpoint ({@code GET /metrics}), on the loopback of the proxy's own namespace. */
    public static final String ADMIN = "127.0.0.1:9901";

    /**
     * An HTTPS listener on the VIP: every proxy serves the same certificate and reads the same
     * ticket key file, so a client's session is resumed by whichever proxy the forwarder picks.
     */
    public record Https(int port, Path cert, Path key, Path ticketKeys)
    {
    }

    /**
     * A route to the api pool for the paths under {@code prefix}, limited per client address by a
     * global rate limit (GCRA: {@code burst + 1} at once, then {@code rate}) counted in the Redis at
     * {@code redis} ({@code address:port}), which every proxy given the same limit shares.
     */
    public record GlobalLimit(String prefix, String rate, int burst, String redis)
    {
        /** The route's name, as its metrics label it ({@code route="limited"}). */
        public static final String ROUTE = "limited";
    }

    private TwoTierConfig()
    {
    }

    /**
     * @param proxyName   this proxy's name in X-Served-Via.
     * @param api         the api backends' address and ports ({@code host:port} each).
     * @param statics     the static backends'.
     */
    public static String yaml(final String vip, final int port, final String proxyName, final String[] api, final String[] statics)
    {
        return yaml(vip, port, "", "", "", proxyName, api, statics);
    }

    /**
     * As {@link #yaml(String, int, String, String[], String[])}, with an HTTPS listener on the VIP
     * and a route limited by a global rate limit as well.
     */
    public static String yaml(final String vip, final int port, final Https https, final GlobalLimit limit,
        final String proxyName, final String[] api, final String[] statics)
    {
        final String listener = """
              - name: vip-https
                address: %s:%d
                tls:
                  certificates:
                    - { cert: "%s", key: "%s" }
                  ticket_keys: "%s"
            """.formatted(vip, https.port(), https.cert(), https.key(), https.ticketKeys());
        final String redis = "redis: { address: \"%s\", timeout: 200ms }\n".formatted(limit.redis());
        // First, as routes match in order and the limited paths are under /api/ too.
        final String limitedRoute = """
              - name: %s
                match: { path: { prefix: %s } }
                response_headers: { set: { X-Served-Via: %s } }
                rate_limit: [{ key: client-address, rate: %s, burst: %d, global: true }]
                to: api
            """.formatted(GlobalLimit.ROUTE, limit.prefix(), proxyName, limit.rate(), limit.burst());
        return yaml(vip, port, listener, redis, limitedRoute, proxyName, api, statics);
    }

    /**
     * @param redis      the top-level {@code redis:} key, or "".
     * @param firstRoute a route before the api and static ones, or "".
     */
    private static String yaml(final String vip, final int port, final String moreListeners, final String redis,
        final String firstRoute, final String proxyName, final String[] api, final String[] statics)
    {
        return """
            # sluice l7 for the two-tier lab: written by sluice (TwoTierConfig)
            listeners:
              - name: vip
                address: %s:%d
            %sadmin:
              address: %s
            %sroutes:
            %s  - name: api
                match: { path: { prefix: /api/ } }
                response_headers: { set: { X-Served-Via: %s } }
                to: api
              - name: static
                match: { path: { prefix: /static/ } }
                response_headers: { set: { X-Served-Via: %s } }
                to: static
            pools:
              api:
                servers:
                  - { name: %s, address: "%s" }
                  - { name: %s, address: "%s" }
              static:
                sticky: { cookie: %s }
                servers:
                  - { name: %s, address: "%s" }
                  - { name: %s, address: "%s" }
            """.formatted(vip, port, moreListeners, ADMIN, redis, firstRoute, proxyName, proxyName, API1, api[0], API2, api[1],
            STICKY_COOKIE, STATIC1, statics[0], STATIC2, statics[1]);
    }
}
