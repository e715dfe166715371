package io.sluice.l7.proxy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Route matching, balancing and stickiness through the proxy's real request path: raw request
 * bytes into a client connection's pipeline, a {@code ConfiguredRouter} read from YAML, and
 * backend connections that are in-memory channels ({@link EmbeddedProxy}), so each test sees
 * which server a request reached, the head it reached it with, and the bytes the client got
 * back. The router and balancer tests check the same decisions on request objects; these check
 * that the proxy acts on them.
 */
@ExtendWith(LeakTracking.class)
final class RoutingOverEmbeddedChannelTest
{
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private final EmbeddedProxy proxy = new EmbeddedProxy();

    @AfterEach
    void close()
    {
        proxy.close();
    }

    /** A GET with a Host header and these header lines (each ending in CRLF). */
    private static String get(final String host, final String uri, final String... headerLines)
    {
        return "GET " + uri + " HTTP/1.1\r\nHost: " + host + "\r\n" + String.join("", headerLines) + "\r\n";
    }

    /** Sends the request, answers it 200 at whichever server it reached, and checks the client got that answer. */
    private EmbeddedProxy.Forwarded exchange(final EmbeddedProxy.Client client, final String request)
    {
        client.send(request);
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        forwarded.answer(OK);
        final RawHttp.Response response = client.response();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("ok");
        return forwarded;
    }

    /** The server the request went to. */
    private String servedBy(final EmbeddedProxy.Client client, final String request)
    {
        return exchange(client, request).server();
    }

    /** The servers a sequence of plain GETs of {@code uri} went to, in order. */
    private List<String> servers(final EmbeddedProxy.Client client, final String uri, final int requests)
    {
        final List<String> servers = new ArrayList<>();
        for (int i = 0; i < requests; i++)
        {
            servers.add(servedBy(client, get("test", uri)));
        }
        return servers;
    }

    @Test
    void eachKindOfMatchTakesItsRequestsAndTheFirstMatchWins()
    {
        proxy.configure("""
            routes:
              - { name: api, match: { host: API.example.com }, to: api }
              - { name: wild, match: { host: "*.example.org" }, to: wild }
              - { name: canary, match: { headers: { X-Canary: "1" } }, to: canary }
              - { name: beta, match: { cookies: { beta: "yes" } }, to: beta }
              - { name: debug, match: { query: { debug: { exact: "1" } } }, to: debug }
              - { name: health, match: { path: { exact: /healthz } }, to: health }
              - { name: upload, match: { path: { prefix: /static/ }, methods: [post, PUT] }, to: upload }
              - { name: static, match: { path: { prefix: /static/ } }, to: static }
              - { name: versioned, match: { path: { regex: "/v[0-9]+/.*" } }, to: versioned }
            pools:
              api: { servers: [{ name: api-1, address: 198.18.0.1:8080 }] }
              wild: { servers: [{ name: wild-1, address: 198.18.0.2:8080 }] }
              canary: { servers: [{ name: canary-1, address: 198.18.0.3:8080 }] }
              beta: { servers: [{ name: beta-1, address: 198.18.0.4:8080 }] }
              debug: { servers: [{ name: debug-1, address: 198.18.0.5:8080 }] }
              health: { servers: [{ name: health-1, address: 198.18.0.6:8080 }] }
              upload: { servers: [{ name: upload-1, address: 198.18.0.7:8080 }] }
              static: { servers: [{ name: static-1, address: 198.18.0.8:8080 }] }
              versioned: { servers: [{ name: versioned-1, address: 198.18.0.9:8080 }] }
            """);
        final EmbeddedProxy.Client client = proxy.connect();

        assertThat(servedBy(client, get("api.example.com", "/static/a.css"))).as("host, before the path routes").isEqualTo("api-1");
        assertThat(servedBy(client, get("Api.Example.COM:8443", "/"))).as("host: any case, port ignored").isEqualTo("api-1");
        assertThat(servedBy(client, get("a.example.org", "/"))).as("*.suffix").isEqualTo("wild-1");
        assertThat(servedBy(client, get("a.b.example.org", "/"))).as("*.suffix, deeper").isEqualTo("wild-1");
        assertThat(servedBy(client, get("test", "/static/a.css", "X-Canary: 1\r\n"))).as("header").isEqualTo("canary-1");
        assertThat(servedBy(client, get("test", "/static/a.css", "Cookie: theme=dark; beta=yes\r\n"))).as("cookie")
            .isEqualTo("beta-1");
        assertThat(servedBy(client, get("test", "/static/a.css?x=2&debug=1"))).as("query parameter").isEqualTo("debug-1");
        assertThat(servedBy(client, get("test", "/healthz"))).as("exact path").isEqualTo("health-1");
        assertThat(servedBy(client, "POST /static/a.css HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n")).as("method")
            .isEqualTo("upload-1");
        assertThat(servedBy(client, get("test", "/static/a.css"))).as("prefix").isEqualTo("static-1");
        assertThat(servedBy(client, get("test", "/v2/items"))).as("regex").isEqualTo("versioned-1");

        assertThat(servedBy(client, get("test", "/static/a.css", "X-Canary: 2\r\n"))).as("another header value")
            .isEqualTo("static-1");
        assertThat(servedBy(client, get("test", "/static/a.css", "Cookie: beta=no\r\n"))).as("another cookie value")
            .isEqualTo("static-1");
        assertThat(servedBy(client, get("test", "/static/a.css?debug=10"))).as("another query value").isEqualTo("static-1");
        assertThat(proxy.connections()).as("a connection per server, lent again for each later request").hasSize(9);
    }

    @Test
    void whatNoRouteTakesTheProxyAnswers404WithoutABackend()
    {
        proxy.configure("""
            routes:
              - { name: wild, match: { host: "*.example.org" }, to: p }
              - { name: health, match: { path: { exact: /healthz } }, to: p }
              - { name: versioned, match: { path: { regex: "/v[0-9]+/.*" } }, to: p }
              - { name: posts, match: { methods: [POST] }, to: p }
            pools:
              p: { servers: [{ name: s, address: 198.18.0.1:8080 }] }
            """);
        final EmbeddedProxy.Client client = proxy.connect();

        for (final String request : List.of(get("example.org", "/"), get("test", "/healthz/"), get("test", "/healthz/x"),
            get("test", "/v2"), get("test", "/x/v2/items"), "PUT / HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n"))
        {
            client.send(request);
            assertThat(proxy.anythingForwarded()).as(request + ": sent to no server").isFalse();
            final RawHttp.Response response = client.response();
            assertThat(response.status()).as(request).isEqualTo(404);
            assertThat(response.text()).isEqualTo("no route for this request\n");
        }
        assertThat(proxy.connections()).as("no backend connection made").isEmpty();
        assertThat(client.isOpen()).as("the client's connection stays").isTrue();
        assertThat(servedBy(client, get("test", "/healthz"))).as("and serves the next routed request").isEqualTo("s");
    }

    @Test
    void aWeightedSplitSendsItsShareToEachPoolAndServerWeightsGiveTheSmoothSequence()
    {
        proxy.configure("""
            routes:
              - name: canary
                to: [{ pool: stable, weight: 300 }, { pool: next, weight: 100 }]
            pools:
              stable:
                servers:
                  - { name: big, address: 198.18.0.1:8080, weight: 3 }
                  - { name: small, address: 198.18.0.2:8080, weight: 1 }
              next: { servers: [{ name: next-1, address: 198.18.0.3:8080 }] }
            """);
        final EmbeddedProxy.Client client = proxy.connect();

        final List<String> served = servers(client, "/", 400);

        final Map<String, Integer> counts = new HashMap<>();
        served.forEach((server) -> counts.merge(server, 1, Integer::sum));
        // Each request draws its pool at random (no sequence to expect): 300 expected for stable,
        // and 240-360 is about seven standard deviations (8.7) either way, so only a wrong split fails.
        final int stable = counts.getOrDefault("big", 0) + counts.getOrDefault("small", 0);
        assertThat(stable).as("stable's share of 3:1").isBetween(240, 360);
        assertThat(counts.get("next-1")).isEqualTo(400 - stable);
        final List<String> stableOrder = served.stream().filter((server) -> !server.equals("next-1")).limit(8).toList();
        assertThat(stableOrder).as("smooth weighted round-robin 3:1 within the pool")
            .containsExactly("big", "big", "small", "big", "big", "big", "small", "big");
    }

    @Test
    void routesRewriteThePathAndEditTheHeadersBothWays()
    {
        proxy.configure("""
            routes:
              - name: api
                match: { path: { prefix: /api/ } }
                rewrite: { prefix: /v1/ }
                request_headers: { set: { X-Env: prod }, remove: [X-Debug] }
                response_headers: { set: { X-Served-Via: sluice }, remove: [Server] }
                to: api
              - name: legacy
                match: { path: { regex: "/old/.*" } }
                rewrite: { regex: "^/old/(.*)", substitution: "/new/$1" }
                to: api
            pools:
              api: { servers: [{ name: a, address: 198.18.0.1:8080 }] }
            """);
        final EmbeddedProxy.Client client = proxy.connect();

        client.send(get("test", "/api/users/7?fields=name", "X-Debug: 1\r\n", "X-Env: dev\r\n", "X-Forwarded-For: 198.18.1.9\r\n",
            "Connection: keep-alive, X-Private\r\n", "X-Private: hop\r\n"));
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        final RawHttp.Request sent = forwarded.request();
        assertThat(sent.method()).isEqualTo("GET");
        assertThat(sent.uri()).as("the prefix replaced, the query kept").isEqualTo("/v1/users/7?fields=name");
        assertThat(sent.header("x-env")).as("set, replacing the client's").isEqualTo("prod");
        assertThat(sent.header("x-debug")).as("removed").isNull();
        assertThat(sent.header("x-forwarded-for")).as("the client's address appended").isEqualTo("198.18.1.9, 192.0.2.10");
        assertThat(sent.header("x-forwarded-proto")).isEqualTo("http");
        assertThat(sent.header("x-request-id")).matches("[0-9a-f]{32}");
        assertThat(sent.header("host")).isEqualTo("test");
        assertThat(sent.header("x-private")).as("hop-by-hop, named by Connection").isNull();
        assertThat(sent.header("connection")).isNull();

        forwarded.answer("HTTP/1.1 200 OK\r\nServer: backend/1.0\r\nX-Served-Via: backend\r\nX-App: 1\r\nContent-Length: 2\r\n\r\nok");
        final RawHttp.Response response = client.response();
        assertThat(response.header("server")).as("removed").isNull();
        assertThat(response.header("x-served-via")).as("set, replacing the backend's").isEqualTo("sluice");
        assertThat(response.header("x-app")).as("the backend's own").isEqualTo("1");
        assertThat(response.header("set-cookie")).as("not a sticky pool").isNull();

        final EmbeddedProxy.Forwarded legacy = exchange(client, get("test", "/old/a/b?q=1", "X-Debug: 1\r\n"));
        assertThat(legacy.request().uri()).as("the regex substituted").isEqualTo("/new/a/b?q=1");
        assertThat(legacy.request().header("x-debug")).as("another route's header rules").isEqualTo("1");
        assertThat(legacy.request().header("x-env")).isNull();
    }

    @Test
    void roundRobinTakesTheServersInTurnOverPooledConnections()
    {
        proxy.configure("""
            routes: [{ name: all, to: rr }]
            pools:
              rr:
                servers:
                  - { name: a, address: 198.18.0.1:8080 }
                  - { name: b, address: 198.18.0.2:8080 }
                  - { name: c, address: 198.18.0.3:8080 }
            """);
        final EmbeddedProxy.Client client = proxy.connect();

        assertThat(servers(client, "/", 7)).containsExactly("a", "b", "c", "a", "b", "c", "a");
        assertThat(proxy.connections()).extracting(EmbeddedProxy.Connection::server).as("one each, then lent again")
            .containsExactly("a", "b", "c");
    }

    @Test
    void hashingOnAHeaderKeepsEachKeyOnItsServerAndSpreadsTheKeys()
    {
        // %s: one more server's line, or nothing.
        final String config = """
            routes: [{ name: all, to: h }]
            pools:
              h:
                balance: hash
                hash_on: { header: X-User }
                servers:
                  - { name: a, address: 198.18.0.1:8080 }
                  - { name: b, address: 198.18.0.2:8080 }
                  - { name: c, address: 198.18.0.3:8080 }
            %s""";
        proxy.configure(config.formatted(""));
        final EmbeddedProxy.Client client = proxy.connect();
        final Map<String, String> serverOf = new HashMap<>();
        for (int user = 0; user < 30; user++)
        {
            serverOf.put("user-" + user, servedBy(client, asUser("user-" + user)));
        }
        assertThat(new HashSet<>(serverOf.values())).as("30 keys over 3 servers").containsExactlyInAnyOrder("a", "b", "c");
        for (int round = 0; round < 2; round++)
        {
            for (final Map.Entry<String, String> key : serverOf.entrySet())
            {
                assertThat(servedBy(client, asUser(key.getKey()))).as(key.getKey())
                    .isEqualTo(key.getValue());
            }
        }

        proxy.configure(config.formatted("      - { name: d, address: 198.18.0.4:8080 }"));
        final Set<String> moved = new HashSet<>();
        for (final Map.Entry<String, String> key : serverOf.entrySet())
        {
            final String now = servedBy(client, asUser(key.getKey()));
            assertThat(now).as("a server added: a key stays or moves to it, never to another").isIn(key.getValue(), "d");
            if (now.equals("d"))
            {
                moved.add(key.getKey());
            }
        }
        assertThat(moved).as("the new server takes a share, not all").isNotEmpty().hasSizeLessThan(serverOf.size());
    }

    /** A request whose hash key (X-User) is {@code user}. */
    private static String asUser(final String user)
    {
        return get("test", "/", "X-User: " + user + "\r\n");
    }

    @Test
    void leastRequestSendsToTheServerWithFewerExchangesInFlight()
    {
        proxy.configure("""
            routes: [{ name: all, to: lr }]
            pools:
              lr:
                balance: least-request
                servers: [{ name: a, address: 198.18.0.1:8080 }, { name: b, address: 198.18.0.2:8080 }]
            """);
        final EmbeddedProxy.Client waiting = proxy.connect();
        final EmbeddedProxy.Client other = proxy.connect();

        waiting.send(get("test", "/slow"));
        final EmbeddedProxy.Forwarded held = proxy.forwarded(); // not answered: one exchange in flight there
        final String busy = held.server();
        final String idle = busy.equals("a") ? "b" : "a";
        // Of two servers both are drawn every time, so the busy one loses each comparison.
        assertThat(servers(other, "/fast", 10)).as("while " + busy + " has one in flight").containsOnly(idle).hasSize(10);

        held.answer(OK);
        assertThat(waiting.response().status()).isEqualTo(200);
        assertThat(proxy.router().pools().get("lr").upstreams()).as("nothing left in flight")
            .allSatisfy((upstream) -> assertThat(upstream.inFlight()).isZero());
    }

    @Test
    void aStickyCookieKeepsTheClientOnItsServerAcrossAReloadUntilTheServerIsGone()
    {
        proxy.configure(stickyPool("{ name: a, address: 198.18.0.1:8080 }, { name: b, address: 198.18.0.2:8080 }, "
            + "{ name: c, address: 198.18.0.3:8080 }"));
        final EmbeddedProxy.Client client = proxy.connect();

        final String toA = stickyCookie(client, get("test", "/"), "a");
        final String toB = stickyCookie(client, get("test", "/"), "b");
        assertThat(toA).as("the cookie names the server").isNotEqualTo(toB);
        for (int i = 0; i < 4; i++)
        {
            assertThat(returning(client, toA)).isEqualTo("a");
            assertThat(returning(client, toB)).isEqualTo("b");
        }

        proxy.configure(stickyPool("{ name: d, address: 198.18.0.4:8080 }, { name: c, address: 198.18.0.3:8080 }, "
            + "{ name: b, address: 198.18.0.2:8080 }"));
        assertThat(returning(client, toB)).as("b is still there: a new configuration keeps its cookie").isEqualTo("b");

        final String moved = stickyCookie(client, get("test", "/", "Cookie: " + toA + "\r\n"), "d");
        assertThat(moved).as("a is gone: re-picked (the new pool's first turn) and the cookie re-set").isNotEqualTo(toA);
        assertThat(returning(client, moved)).isEqualTo("d");
    }

    /** Every request to one sticky pool of these servers (a flow list's items). */
    private static String stickyPool(final String servers)
    {
        return """
            routes: [{ name: all, to: web }]
            pools:
              web:
                sticky: { cookie: SLUICE_SERVER }
                servers: [%s]
            """.formatted(servers);
    }

    /**
     * Sends the request, checks it went to {@code server} and that the response set the sticky
     * cookie; returns the cookie as a Cookie header brings it back.
     */
    private String stickyCookie(final EmbeddedProxy.Client client, final String request, final String server)
    {
        client.send(request);
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        assertThat(forwarded.server()).isEqualTo(server);
        forwarded.answer(OK);
        final String setCookie = client.response().header("set-cookie");
        assertThat(setCookie).matches("SLUICE_SERVER=[0-9a-f]{16}; Path=/; HTTPOnly");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    /** Sends a request bringing the cookie back, checks no new cookie is set, and returns the server it went to. */
    private String returning(final EmbeddedProxy.Client client, final String cookie)
    {
        client.send(get("test", "/", "Cookie: theme=dark; " + cookie + "\r\n"));
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        forwarded.answer(OK);
        assertThat(client.response().header("set-cookie")).as("no new cookie while it holds").isNull();
        return forwarded.server();
    }
}
