package io.sluice.l7.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The short forms and the defaults: what a key left out, or written briefly, turns into. */
class L7ConfigShorthandTest
{
    private static final String LISTENERS = "listeners: [{ name: web, address: 198.18.1.1:80 }]\n";
    private static final String POOLS = "pools: { p: { servers: [{ name: a, address: 198.18.0.21:80 }] }, q: { servers: [{ name: a, address: 198.18.0.22:80 }] } }\n";

    @Test
    void toAPoolNameIsOnePoolOfTheDefaultWeight()
    {
        final Route route = onlyRoute("routes: [{ name: r, to: p }]\n");

        assertThat(route.to()).containsExactly(new Route.WeightedPool("p", 100));
    }

    @Test
    void aSplitEntryWithoutWeightGetsTheDefault()
    {
        final Route route = onlyRoute("routes: [{ name: r, to: [{ pool: p }, { pool: q, weight: 300 }] }]\n");

        assertThat(route.to()).containsExactly(new Route.WeightedPool("p", 100), new Route.WeightedPool("q", 300));
    }

    @Test
    void anAbsentOrEmptyMatchTakesEveryRequestAndHeaderRulesDefaultToNone()
    {
        assertThat(onlyRoute("routes: [{ name: r, to: p }]\n").match()).isEqualTo(Match.ANY);
        final Route route = onlyRoute("routes: [{ name: r, match: {}, to: p }]\n");

        assertThat(route.match()).isEqualTo(Match.ANY);
        assertThat(route.rewrite()).isNull();
        assertThat(route.requestHeaders()).isEqualTo(HeaderRules.NONE);
        assertThat(route.responseHeaders()).isEqualTo(HeaderRules.NONE);
    }

    @Test
    void everyValueMatchFormForHeadersCookiesAndQuery()
    {
        final Match match = onlyRoute("""
            routes:
              - name: r
                match:
                  headers: { X-A: "1", x-b: { exact: "2" }, X-C: { regex: "v[0-9]" }, X-D: { present: true } }
                  cookies: { a: "1", b: { exact: "2" }, c: { regex: "v[0-9]" }, d: { present: true } }
                  query: { a: 1, b: { exact: "2" }, c: { regex: "v[0-9]" }, d: { present: true } }
                to: p
            """).match();

        assertThat(match.headers()).extracting(ValueMatch::name).containsExactly("x-a", "x-b", "x-c", "x-d");
        assertThat(match.cookies()).extracting(ValueMatch::name).containsExactly("a", "b", "c", "d");
        assertThat(match.query()).extracting(ValueMatch::name).containsExactly("a", "b", "c", "d");
        for (final List<ValueMatch> values : List.of(match.headers(), match.cookies(), match.query()))
        {
            assertThat(values).extracting(ValueMatch::kind).containsExactly(
                ValueMatch.Kind.EXACT, ValueMatch.Kind.EXACT, ValueMatch.Kind.REGEX, ValueMatch.Kind.PRESENT);
            assertThat(values).extracting(ValueMatch::value).containsExactly("1", "2", "v[0-9]", null);
            assertThat(values.get(2).pattern().matcher("v7").matches()).isTrue();
            assertThat(values.get(0).pattern()).isNull();
            assertThat(values.get(3).pattern()).isNull();
        }
    }

    @Test
    void methodsAreStoredUpperCaseAndHostsLowerCase()
    {
        final Match match = onlyRoute("routes: [{ name: r, match: { host: \"*.Example.COM\", methods: [get, Post, PATCH] }, to: p }]\n")
            .match();

        assertThat(match.methods()).containsExactlyInAnyOrder("GET", "POST", "PATCH");
        assertThat(match.host()).isEqualTo("*.example.com");
    }

    @Test
    void everyPathMatchForm()
    {
        final List<Route> routes = routes("""
            routes:
              - { name: e, match: { path: { exact: /healthz } }, to: p }
              - { name: p, match: { path: { prefix: /api/ } }, to: p }
              - { name: r, match: { path: { regex: "^/v[0-9]+/.*" } }, to: p }
            """);

        assertThat(routes.get(0).match().path()).isEqualTo(new PathMatch(PathMatch.Kind.EXACT, "/healthz", null));
        assertThat(routes.get(1).match().path()).isEqualTo(new PathMatch(PathMatch.Kind.PREFIX, "/api/", null));
        assertThat(routes.get(2).match().path().kind()).isEqualTo(PathMatch.Kind.REGEX);
        assertThat(routes.get(2).match().path().pattern().matcher("/v2/users").matches()).isTrue();
    }

    @Test
    void headerRulesWithOnlySetOrOnlyRemove()
    {
        final Route route = onlyRoute("""
            routes:
              - name: r
                request_headers: { set: { X-Env: prod, X-Empty: "" } }
                response_headers: { remove: [Server, X-Powered-By] }
                to: p
            """);

        assertThat(route.requestHeaders()).isEqualTo(new HeaderRules(Map.of("X-Env", "prod", "X-Empty", ""), List.of()));
        assertThat(route.requestHeaders().set().keySet()).containsExactly("X-Env", "X-Empty");
        assertThat(route.responseHeaders()).isEqualTo(new HeaderRules(Map.of(), List.of("Server", "X-Powered-By")));
    }

    @Test
    void everyHashOnForm()
    {
        final Map<String, Pool> pools = L7ConfigLoader.parse(LISTENERS + """
            routes: [{ name: r, to: ip }]
            pools:
              ip: { balance: hash, hash_on: client-address, servers: [{ name: a, address: 198.18.0.21:80 }] }
              header: { balance: hash, hash_on: { header: X-User }, servers: [{ name: a, address: 198.18.0.21:80 }] }
              cookie: { balance: hash, hash_on: { cookie: session }, servers: [{ name: a, address: 198.18.0.21:80 }] }
            """, "l7.yaml").pools();

        assertThat(pools.get("ip").hashOn()).isEqualTo(new Pool.HashOn(Pool.HashOn.Kind.CLIENT_ADDRESS, null));
        assertThat(pools.get("header").hashOn()).isEqualTo(new Pool.HashOn(Pool.HashOn.Kind.HEADER, "x-user"));
        assertThat(pools.get("cookie").hashOn()).isEqualTo(new Pool.HashOn(Pool.HashOn.Kind.COOKIE, "session"));
    }

    @Test
    void poolDefaultsAndAnEmptyHealthCheck()
    {
        final Pool pool = L7ConfigLoader.parse(LISTENERS + """
            routes: [{ name: r, to: p }]
            pools:
              p:
                servers: [{ name: a, address: 198.18.0.21:80 }]
                health: {}
            """, "l7.yaml").pools().get("p");

        assertThat(pool).isEqualTo(new Pool(
            "p", Pool.Balance.ROUND_ROBIN, null, null, List.of(new Server("a", address("198.18.0.21", 80), 100)),
            new HealthCheck("/", 200, null, Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 3, false)));
    }

    @Test
    void aPoolSpeaksHttp1UnlessToldH2cWithItsStreamCap()
    {
        final Map<String, Pool> pools = L7ConfigLoader.parse(LISTENERS + """
            routes: [{ name: r, to: [{ pool: plain }, { pool: grpc }, { pool: capped }, { pool: tls }] }]
            pools:
              plain: { protocol: http1, servers: [{ name: a, address: 198.18.0.21:80 }] }
              grpc: { protocol: h2c, servers: [{ name: a, address: 198.18.0.31:50051 }] }
              capped: { protocol: h2c, max_streams: 16, servers: [{ name: a, address: 198.18.0.32:50051 }] }
              tls: { protocol: h2, tls_server_name: API.Internal, servers: [{ name: a, address: 198.18.0.33:443 }] }
            """, "l7.yaml").pools();

        assertThat(pools.get("plain").protocol()).isEqualTo(Pool.Protocol.HTTP1);
        assertThat(pools.get("grpc").protocol()).isEqualTo(new Pool.Protocol(Pool.Protocol.Version.H2C, 100, null));
        assertThat(pools.get("capped").protocol()).isEqualTo(new Pool.Protocol(Pool.Protocol.Version.H2C, 16, null));
        assertThat(pools.get("tls").protocol()).isEqualTo(
            new Pool.Protocol(Pool.Protocol.Version.H2, 100, new Pool.Protocol.Tls("api.internal", null, null, null)));
    }

    @Test
    void aHealthPathMayCarryAQuery()
    {
        final Pool pool = L7ConfigLoader.parse(LISTENERS + """
            routes: [{ name: r, to: p }]
            pools: { p: { servers: [{ name: a, address: 198.18.0.21:80 }], health: { path: "/status?full=1" } } }
            """, "l7.yaml").pools().get("p");

        assertThat(pool.health().path()).isEqualTo("/status?full=1");
    }

    @Test
    void timeoutsLeftOutKeepTheirDefaults()
    {
        assertThat(L7ConfigLoader.parse(LISTENERS + "routes: [{ name: r, to: p }]\n" + POOLS, "l7.yaml").timeouts())
            .isEqualTo(Timeouts.DEFAULTS);
        final Timeouts timeouts = L7ConfigLoader.parse(
            LISTENERS + "timeouts: { idle: 250ms }\nroutes: [{ name: r, to: p }]\n" + POOLS, "l7.yaml").timeouts();

        assertThat(timeouts).isEqualTo(new Timeouts(
            Timeouts.DEFAULTS.connect(), Timeouts.DEFAULTS.requestHeader(), Duration.ofMillis(250), Timeouts.DEFAULTS.request(),
            Timeouts.DEFAULTS.upgradedIdle()));
    }

    @Test
    void limitsLeftOutKeepTheirDefaultsAndEachSizeTakesAnyUnit()
    {
        assertThat(L7ConfigLoader.parse(LISTENERS + "routes: [{ name: r, to: p }]\n" + POOLS, "l7.yaml").limits())
            .isEqualTo(RequestLimits.DEFAULTS);
        assertThat(L7ConfigLoader.parse(LISTENERS + "limits: {}\nroutes: [{ name: r, to: p }]\n" + POOLS, "l7.yaml").limits())
            .isEqualTo(RequestLimits.DEFAULTS);
        final RequestLimits limits = L7ConfigLoader.parse(LISTENERS + """
            limits:
              request_line: 4096
              header_bytes: 1MiB
              chunk_extension: 0
              max_body: 0B
              http2: { resets: { per: 10s } }
            routes: [{ name: r, to: p }]
            """ + POOLS, "l7.yaml").limits();

        final RequestLimits defaults = RequestLimits.DEFAULTS;
        assertThat(limits).isEqualTo(new RequestLimits(4096, defaults.headerLineBytes(), 1024 * 1024, defaults.headerCount(), 0, 0,
            new RequestLimits.Http2Limits(defaults.http2().headerListBytes(), defaults.http2().concurrentStreams(),
                defaults.http2().resetsPerWindow(), 10, defaults.http2().consecutiveEmptyFrames())));
    }

    @Test
    void theLimitsRangesIncludeTheirEnds()
    {
        final RequestLimits low = L7ConfigLoader.parse(LISTENERS + """
            limits:
              request_line: 256B
              header_line: 256
              header_bytes: 256
              header_count: 1
              chunk_extension: 0
              max_body: 0
              http2: { header_list: 1KiB, concurrent_streams: 1, resets: { count: 1, per: 1s }, empty_frames: 1 }
            routes: [{ name: r, to: p }]
            """ + POOLS, "l7.yaml").limits();
        final RequestLimits high = L7ConfigLoader.parse(LISTENERS + """
            limits:
              request_line: 1MiB
              header_line: 1MiB
              header_bytes: 16MiB
              header_count: 10000
              chunk_extension: 1MiB
              max_body: 9223372036854775807B
              http2:
                header_list: 16MiB
                concurrent_streams: 10000
                resets: { count: 2147483647, per: 1h }
                empty_frames: 2147483647
            routes: [{ name: r, to: p }]
            """ + POOLS, "l7.yaml").limits();

        assertThat(low).isEqualTo(new RequestLimits(256, 256, 256, 1, 0, 0, new RequestLimits.Http2Limits(1024, 1, 1, 1, 1)));
        assertThat(high).isEqualTo(new RequestLimits(1 << 20, 1 << 20, 16 << 20, 10_000, 1 << 20, Long.MAX_VALUE,
            new RequestLimits.Http2Limits(16 << 20, 10_000, Integer.MAX_VALUE, 3600, Integer.MAX_VALUE)));
    }

    @Test
    void aRouteWithoutMaxBodyHasNoneOfItsOwn()
    {
        final List<Route> routes = routes("""
            routes:
              - { name: upload, match: { path: { prefix: /upload/ } }, max_body: 2GiB, to: p }
              - { name: none, match: { methods: [POST] }, max_body: 0, to: p }
              - { name: r, to: p }
            """);

        assertThat(routes).extracting(Route::maxBodyBytes).containsExactly(2L * 1024 * 1024 * 1024, 0L, null);
    }

    @Test
    void wildcardsOverlapNeitherOtherPortsNorTheOtherFamilyAndAdminMayBeIpv6Loopback()
    {
        final L7Config config = L7ConfigLoader.parse("""
            listeners:
              - { name: v4, address: "0.0.0.0:80" }
              - { name: any, address: "[::]:443" }
              - { name: other, address: "198.18.1.1:8080" }
              - { name: v6, address: "[2001:2::1]:80" }
            admin: { address: "[::1]:9901" }
            routes: [{ name: r, to: p }]
            """ + POOLS, "l7.yaml");

        assertThat(config.listeners()).extracting(Listener::address).containsExactly(
            address("0.0.0.0", 80), address("::", 443), address("198.18.1.1", 8080), address("2001:2::1", 80));
        assertThat(config.admin()).isEqualTo(new Admin(address("::1", 9901)));
    }

    @Test
    void serverNamesRepeatAcrossPoolsAndUnusedPoolsAreAllowed()
    {
        final L7Config config = L7ConfigLoader.parse(LISTENERS + "routes: [{ name: r, to: p }]\n" + POOLS, "l7.yaml");

        assertThat(config.pools().keySet()).containsExactly("p", "q");
        assertThat(config.pools().get("q").servers()).containsExactly(new Server("a", address("198.18.0.22", 80), 100));
    }

    @Test
    void anchorsAndAliasesShareASettingBetweenPools()
    {
        final Map<String, Pool> pools = L7ConfigLoader.parse(LISTENERS + """
            routes: [{ name: r, to: p }]
            pools:
              p: { servers: [{ name: a, address: 198.18.0.21:80 }], health: &check { path: /healthz, interval: 5s } }
              q: { servers: [{ name: a, address: 198.18.0.22:80 }], health: *check }
            """, "l7.yaml").pools();

        assertThat(pools.get("q").health()).isEqualTo(pools.get("p").health());
        assertThat(pools.get("q").health().interval()).isEqualTo(Duration.ofSeconds(5));
    }

    private static Route onlyRoute(final String routes)
    {
        final List<Route> all = routes(routes);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static List<Route> routes(final String routes)
    {
        return L7ConfigLoader.parse(LISTENERS + routes + POOLS, "l7.yaml").routes();
    }

    private static InetSocketAddress address(final String ip, final int port)
    {
        return new InetSocketAddress(InetAddress.ofLiteral(ip), port);
    }
}
