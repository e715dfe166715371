package io.sluice.l7.server;

import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.proxy.RawHttp;
import io.sluice.l7.proxy.TestBackend;
import io.sluice.l7.proxy.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A configuration file run whole: routes by path prefix to two pools, a prefix rewrite, a
 * round-robin pool spreading requests, a sticky pool keeping a client on its server by the
 * cookie it set, response headers from the route, 404 for what no route takes.
 */
@ExtendWith(LeakTracking.class)
class L7ServerTest
{
    private final TestBackend api1 = new TestBackend("api1");
    private final TestBackend api2 = new TestBackend("api2");
    private final TestBackend static1 = new TestBackend("static1");
    private final TestBackend static2 = new TestBackend("static2");
    private final int port = freePort();
    private final L7Server server = new L7Server(config("api"), 2);

    /** The test's configuration, /api/ going to {@code apiPool}. */
    private io.sluice.l7.config.L7Config config(final String apiPool)
    {
        return L7ConfigLoader.parse("""
        listeners:
          - name: web
            address: 127.0.0.1:%d
        routes:
          - name: api
            match: { path: { prefix: /api/ } }
            rewrite: { prefix: / }
            response_headers: { set: { X-Route: api } }
            to: %s
          - name: static
            match: { path: { prefix: /static/ } }
            to: static
        pools:
          api:
            servers:
              - { name: a1, address: "%s" }
              - { name: a2, address: "%s" }
          static:
            sticky: { cookie: SLUICE_SERVER }
            servers:
              - { name: s1, address: "%s" }
              - { name: s2, address: "%s" }
        """.formatted(port, apiPool, text(api1.address()), text(api2.address()), text(static1.address()), text(static2.address())),
        "test.yaml");
    }

    @AfterEach
    void close()
    {
        server.close();
        List.of(api1, api2, static1, static2).forEach(TestBackend::close);
    }

    @Test
    void routesByPathAndBalancesEachPoolItsWay() throws Exception
    {
        final Map<String, Integer> apiServedBy = new HashMap<>();
        try (Socket socket = connect())
        {
            for (int i = 0; i < 10; i++)
            {
                final RawHttp.Response response = RawHttp.get(socket, "/api/users/" + i);
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("x-seen-uri")).as("the prefix rewritten").isEqualTo("/users/" + i);
                assertThat(response.header("x-route")).isEqualTo("api");
                apiServedBy.merge(response.header("x-served-by"), 1, Integer::sum);
            }
            assertThat(apiServedBy).as("round-robin over equal weights").containsOnlyKeys("api1", "api2")
                .containsEntry("api1", 5).containsEntry("api2", 5);

            final RawHttp.Response first = RawHttp.get(socket, "/static/app.js");
            final String cookie = first.header("set-cookie");
            assertThat(cookie).as("a sticky pool sets its cookie").startsWith("SLUICE_SERVER=").contains("Path=/").containsIgnoringCase("httponly");
            final String stuckTo = first.header("x-served-by");
            for (int i = 0; i < 6; i++)
            {
                final RawHttp.Response again = RawHttp.get(socket, "/static/app.js",
                    "Cookie: " + cookie.substring(0, cookie.indexOf(';')) + "\r\n");
                assertThat(again.header("x-served-by")).as("the cookie keeps the client on its server").isEqualTo(stuckTo);
                assertThat(again.header("set-cookie")).as("no new cookie while it holds").isNull();
            }
            assertThat(RawHttp.get(socket, "/elsewhere").status()).isEqualTo(404);
        }
    }

    @Test
    void aReloadServesTheNewRoutesOnTheSameConnectionAndARefusedOneChangesNothing() throws Exception
    {
        try (Socket socket = connect())
        {
            assertThat(RawHttp.get(socket, "/api/x").header("x-served-by")).startsWith("api");
            server.reload(config("static"));
            assertThat(RawHttp.get(socket, "/api/x").header("x-served-by")).as("the same connection, the new route")
                .startsWith("static");

            try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
            {
                final io.sluice.l7.config.L7Config unbindable = L7ConfigLoader.parse(
                    "listeners: [{ name: web, address: 127.0.0.1:" + taken.getLocalPort() + " }]\n" +
                    "routes: [{ name: all, to: p }]\npools: { p: { servers: [{ name: s, address: \"" + text(api1.address()) + "\" }] } }\n",
                    "bad.yaml");
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.reload(unbindable)).isNotNull();
            }
            assertThat(RawHttp.get(socket, "/api/x").header("x-served-by")).as("still the last good configuration")
                .startsWith("static");
        }
        try (Socket again = connect())
        {
            assertThat(RawHttp.get(again, "/api/x").status()).as("still listening on the old port").isEqualTo(200);
        }
    }

    @Test
    void aReloadServesTheRoutesFiltersListAndABadFilterIsRefusedInOneLine() throws Exception
    {
        final String withFilters = """
            listeners: [{ name: web, address: "127.0.0.1:%d" }]
            routes:
              - name: api
                match: { path: { prefix: /api/ } }
                filters:
                  - rewrite: { prefix: / }
                  - response_headers: { set: { X-Filtered: "%s" } }
                to: api
            pools:
              api: { servers: [{ name: a1, address: "%s" }] }
            """;
        try (Socket socket = connect())
        {
            server.reload(L7ConfigLoader.parse(withFilters.formatted(port, "yes", text(api1.address())), "filters.yaml"));
            final RawHttp.Response filtered = RawHttp.get(socket, "/api/x");
            assertThat(filtered.header("x-filtered")).isEqualTo("yes");
            assertThat(filtered.header("x-served-by")).startsWith("api1");

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> L7ConfigLoader.parse(
                    withFilters.replace("response_headers:", "compress:").formatted(port, "no", text(api1.address())), "bad.yaml"))
                .hasMessage("bad.yaml:7: routes[0].filters[1].compress.set: unknown key; allowed here: algorithms, min_size, types, "
                    + "levels, sse");
            assertThat(RawHttp.get(socket, "/api/x").header("x-filtered")).as("still the last good configuration").isEqualTo("yes");
        }
    }

    @Test
    void aDrainLetsTheExchangeInFlightFinishThenCloses() throws Exception
    {
        try (Socket busy = connect(); Socket idle = connect())
        {
            assertThat(RawHttp.get(idle, "/api/warm").status()).isEqualTo(200);
            RawHttp.send(busy, "GET /api/slow HTTP/1.1\r\nHost: test\r\nX-Delay-Ms: 500\r\n\r\n");
            Thread.sleep(100); // the request is at the backend
            final java.util.concurrent.CompletableFuture<Boolean> drained =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> server.drain(java.time.Duration.ofSeconds(5)));
            final RawHttp.Response response = RawHttp.read(busy);
            assertThat(response.status()).as("the exchange in flight finished").isEqualTo(200);
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(busy.getInputStream().read()).as("then the connection closed").isEqualTo(-1);
            assertThat(idle.getInputStream().read()).as("an idle connection closed at once").isEqualTo(-1);
            assertThat(drained.get()).as("every connection ended on its own").isTrue();
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(this::connect).as("no longer accepting")
            .isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void idempotentRequestsWithoutABodyAreRetriedOnAnotherServerOthersAreNot() throws Exception
    {
        try (TestBackend failing = new TestBackend("failing", io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE))
        {
            final int closed = freePort();
            server.reload(L7ConfigLoader.parse("""
                listeners: [{ name: web, address: "127.0.0.1:%d" }]
                routes:
                  - { name: flaky, match: { path: { prefix: /flaky } }, to: flaky }
                  - { name: down, to: down }
                pools:
                  flaky: { servers: [{ name: bad, address: "%s" }, { name: good, address: "%s" }] }
                  down: { servers: [{ name: gone, address: "127.0.0.1:%d" }, { name: good, address: "%s" }] }
                """.formatted(port, text(failing.address()), text(api1.address()), closed, text(api2.address())), "retry.yaml"));
            try (Socket socket = connect())
            {
                final Map<Integer, Integer> posts = new HashMap<>();
                for (int i = 0; i < 6; i++)
                {
                    RawHttp.send(socket, "POST /flaky/post HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\n\r\nhi");
                    posts.merge(RawHttp.read(socket).status(), 1, Integer::sum);
                }
                assertThat(posts).as("a request with a body is never sent twice: round-robin gives the failing server half")
                    .containsEntry(200, 3).containsEntry(503, 3);
                for (int i = 0; i < 6; i++)
                {
                    final RawHttp.Response response = RawHttp.get(socket, "/flaky/" + i);
                    assertThat(response.status()).as("a 503 is retried on the other server").isEqualTo(200);
                    assertThat(response.header("x-served-by")).isEqualTo("api1");
                    final RawHttp.Response other = RawHttp.get(socket, "/other/" + i);
                    assertThat(other.status()).as("a refused connection is retried").isEqualTo(200);
                    assertThat(other.header("x-served-by")).isEqualTo("api2");
                }
            }
            assertThat(server.router().pools().get("flaky").upstream("bad").ejected())
                .as("five 503s in a row ejected the failing server (outlier detection)").isTrue();
            assertThat(failing.seen).as("after which it saw no more requests").hasSize(5);
        }
    }

    @Test
    void anEjectedServerStaysOutAcrossAReloadAndTheStatusSaysSo() throws Exception
    {
        final int adminPort = freePort();
        final int proxyPort = freePort();
        final String flaky = """
            listeners: [{ name: web, address: "127.0.0.1:%d" }]
            admin: { address: "127.0.0.1:%d" }
            routes: [{ name: flaky, to: flaky }]
            pools:
              flaky: { servers: [{ name: bad, address: "%s" }, { name: good, address: "%s" }%s] }
            """;
        try (TestBackend failing = new TestBackend("failing", io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE))
        {
            final String before = flaky.formatted(proxyPort, adminPort, text(failing.address()), text(api1.address()), "");
            final String after = flaky.formatted(proxyPort, adminPort, text(failing.address()), text(api1.address()),
                ", { name: more, address: \"" + text(api2.address()) + "\" }");
            final L7Server[] started = new L7Server[1];
            started[0] = new L7Server(L7ConfigLoader.parse(before, "before.yaml"), Transport.best(), 1, null,
                () -> started[0].reload(L7ConfigLoader.parse(after, "after.yaml"))); // as the admin's reload of a file does
            try (L7Server flakyServer = started[0]; Socket socket = new Socket("127.0.0.1", proxyPort);
                 Socket admin = new Socket("127.0.0.1", adminPort))
            {
                socket.setSoTimeout(5_000);
                admin.setSoTimeout(5_000);
                for (int i = 0; i < 10; i++)
                {
                    assertThat(RawHttp.get(socket, "/before/" + i).status()).as("503s are retried on the good server").isEqualTo(200);
                }
                assertThat(failing.seen).as("ejected after five 503s in a row").hasSize(5);

                RawHttp.send(admin, "POST /reload HTTP/1.1\r\nHost: admin\r\nContent-Length: 0\r\n\r\n");
                assertThat(RawHttp.read(admin).text()).isEqualTo("reloaded\n");

                final Map<String, Integer> servedBy = new HashMap<>();
                for (int i = 0; i < 10; i++)
                {
                    final RawHttp.Response response = RawHttp.get(socket, "/after/" + i);
                    assertThat(response.status()).isEqualTo(200);
                    servedBy.merge(response.header("x-served-by"), 1, Integer::sum);
                }
                assertThat(servedBy).as("the new configuration's servers, the ejected one still out").containsOnlyKeys("api1", "api2");
                assertThat(failing.seen).as("no request reached the ejected server after the reload").hasSize(5);
                assertThat(flakyServer.router().pools().get("flaky").upstream("bad").ejected()).isTrue();
                assertThat(RawHttp.get(admin, "/status").text())
                    .contains("{\"name\":\"bad\",\"address\":\"" + text(failing.address()) + "\",\"weight\":100,"
                        + "\"healthy\":false,\"ejected\":true,")
                    .contains("{\"name\":\"more\",\"address\":\"" + text(api2.address()) + "\",\"weight\":100,"
                        + "\"healthy\":true,\"ejected\":false,");
            }
        }
    }

    @Test
    void healthChecksMetricsAccessLogAndTheAdminEndpointSeeEveryExchange() throws Exception
    {
        final int adminPort = freePort();
        final int proxyPort = freePort();
        final java.io.ByteArrayOutputStream lines = new java.io.ByteArrayOutputStream();
        try (TestBackend broken = new TestBackend("broken", io.netty.handler.codec.http.HttpResponseStatus.INTERNAL_SERVER_ERROR);
             L7Server observed = new L7Server(L7ConfigLoader.parse("""
                 listeners: [{ name: web, address: "127.0.0.1:%d" }]
                 admin: { address: "127.0.0.1:%d" }
                 routes: [{ name: checked, to: checked }]
                 pools:
                   checked:
                     servers: [{ name: good, address: "%s" }, { name: broken, address: "%s" }]
                     health: { path: /healthz, interval: 100ms, timeout: 90ms, rise: 1, fall: 1 }
                 """.formatted(proxyPort, adminPort, text(api1.address()), text(broken.address())), "observed.yaml"),
                 Transport.best(), 1, new io.sluice.l7.accesslog.AccessLog(lines, false, 1024), () -> { }))
        {
            final io.sluice.l7.balance.Upstream brokenUpstream = observed.router().pools().get("checked").upstream("broken");
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (brokenUpstream.healthy() && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
            }
            assertThat(brokenUpstream.healthy()).as("the health check took the broken server out").isFalse();
            try (Socket socket = new Socket("127.0.0.1", proxyPort))
            {
                socket.setSoTimeout(5_000);
                for (int i = 0; i < 10; i++)
                {
                    final RawHttp.Response response = RawHttp.get(socket, "/item/" + i, "X-Request-Id: req-" + i + "\r\n");
                    assertThat(response.header("x-served-by")).isEqualTo("api1");
                }
            }
            try (Socket admin = new Socket("127.0.0.1", adminPort))
            {
                admin.setSoTimeout(5_000);
                final RawHttp.Response metrics = RawHttp.get(admin, "/metrics");
                assertThat(metrics.status()).isEqualTo(200);
                assertThat(metrics.text()).contains(
                    "sluice_l7_route_requests_total{route=\"checked\"} 10",
                    "sluice_l7_server_responses_total{pool=\"checked\",server=\"good\",class=\"2xx\"} 10");
                final RawHttp.Response status = RawHttp.get(admin, "/status");
                assertThat(status.text()).contains("\"broken\"", "\"good\"");
            }
        }
        final List<String> log = lines.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        assertThat(log).hasSize(10);
        assertThat(log.getFirst()).contains("\"method\":\"GET\"", "\"path\":\"/item/0\"", "\"route\":\"checked\"",
            "\"server\":\"good\"", "\"status\":200", "\"request_id\":\"req-0\"");
    }

    /**
     * Issue 14 from the outside: the file's limits and a route's max_body reach the proxy, each
     * refusal is answered with its status, counted by reason in /metrics and /status, and logged
     * with its reason; a reload's limits hold for the connections made after it.
     */
    @Test
    void refusedRequestsAreAnsweredCountedAndLoggedByReason() throws Exception
    {
        final int adminPort = freePort();
        final int proxyPort = freePort();
        final String config = """
            listeners: [{ name: web, address: "127.0.0.1:%d" }]
            admin: { address: "127.0.0.1:%d" }
            limits: { header_count: %d }
            routes:
              - { name: small, match: { path: { prefix: /small } }, max_body: 4B, to: api }
              - { name: rest, to: api }
            pools:
              api: { servers: [{ name: api1, address: "%s" }] }
            """;
        final String sixFields = "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n";
        final java.io.ByteArrayOutputStream lines = new java.io.ByteArrayOutputStream();
        try (L7Server observed = new L7Server(L7ConfigLoader.parse(config.formatted(proxyPort, adminPort, 5, text(api1.address())),
            "limits.yaml"), Transport.best(), 1, new io.sluice.l7.accesslog.AccessLog(lines, false, 1024), () -> { }))
        {
            assertThat(refusal(proxyPort, "POST /p HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n"))
                .isEqualTo(400);
            assertThat(refusal(proxyPort, "GET /p HTTP/1.1\r\n" + sixFields + "Host: t\r\n\r\n")).as("header_count: 5").isEqualTo(431);
            assertThat(refusal(proxyPort, "POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello")).as("max_body: 4B")
                .isEqualTo(413);
            try (Socket socket = new Socket("127.0.0.1", proxyPort))
            {
                socket.setSoTimeout(5_000);
                assertThat(RawHttp.get(socket, "/small").status()).as("no body: within the route's limit").isEqualTo(200);
            }
            try (Socket admin = new Socket("127.0.0.1", adminPort))
            {
                admin.setSoTimeout(5_000);
                assertThat(RawHttp.get(admin, "/metrics").text()).contains(
                    "sluice_l7_requests_refused_total{reason=\"bad_chunk_size\"} 1",
                    "sluice_l7_requests_refused_total{reason=\"too_many_headers\"} 1",
                    "sluice_l7_requests_refused_total{reason=\"body_too_large\"} 1",
                    "sluice_l7_requests_refused_total{reason=\"bad_host\"} 0");
                assertThat(RawHttp.get(admin, "/status").text()).contains("\"refused_requests\":{\"total\":3,\"by_reason\":{");
            }
            observed.reload(L7ConfigLoader.parse(config.formatted(proxyPort, adminPort, 10, text(api1.address())), "limits.yaml"));
            try (Socket socket = new Socket("127.0.0.1", proxyPort))
            {
                socket.setSoTimeout(5_000);
                RawHttp.send(socket, "GET /p HTTP/1.1\r\n" + sixFields + "Host: t\r\n\r\n");
                assertThat(RawHttp.read(socket).status()).as("header_count: 10 after the reload").isEqualTo(200);
            }
        }
        final List<String> log = lines.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        assertThat(log).hasSize(5);
        assertThat(log.get(0)).contains("\"status\":400", "\"refused\":\"bad_chunk_size\"");
        assertThat(log.get(1)).contains("\"status\":431", "\"refused\":\"too_many_headers\"");
        assertThat(log.get(2)).contains("\"route\":\"small\"", "\"status\":413", "\"refused\":\"body_too_large\"");
        assertThat(log.get(3)).contains("\"status\":200", "\"refused\":null");
    }

    /** Sends a request the proxy must refuse; its status, after checking the proxy closes the connection. */
    private static int refusal(final int port, final String request) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(5_000);
            RawHttp.send(socket, request);
            final RawHttp.Response response = RawHttp.read(socket);
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(socket.getInputStream().read()).as("closed after the refusal").isEqualTo(-1);
            return response.status();
        }
    }

    private Socket connect() throws IOException
    {
        final Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static String text(final InetSocketAddress address)
    {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** A port free a moment ago (the configuration needs a fixed port, not 0). */
    private static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
