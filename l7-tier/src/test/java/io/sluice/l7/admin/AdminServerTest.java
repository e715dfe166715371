package io.sluice.l7.admin;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.sluice.l7.config.ConfigException;
import io.sluice.l7.config.L7Config;
import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.http.RequestRefusal;
import io.sluice.l7.metrics.L7Metrics;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.proxy.RawHttp;
import io.sluice.l7.proxy.Transport;
import io.sluice.l7.server.ConfiguredRouter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The admin endpoint over real loopback sockets: the status document and its count of refused
 * requests, the metrics text and its content type, reload's success and refusal, drain, 404, 405
 * with Allow, keep-alive and pipelining, and the refusal of an address other hosts could reach.
 */
@ExtendWith(LeakTracking.class)
class AdminServerTest
{
    private static final String CONFIG = """
        listeners:
          - name: web
            address: 127.0.0.1:8080
        routes:
          - name: api
            match: { path: { prefix: /api/ } }
            to:
              - { pool: api, weight: 90 }
              - { pool: canary, weight: 10 }
          - name: default
            to: static
        pools:
          api:
            servers:
              - { name: a1, address: 127.0.0.1:9001 }
              - { name: a2, address: "[::1]:9002", weight: 50 }
            health: { path: /healthz, interval: 5s, timeout: 500ms, rise: 1, fall: 5 }
          canary:
            balance: least-request
            sticky: { cookie: SLUICE_SERVER }
            servers:
              - { name: c1, address: 127.0.0.1:9003 }
            health: { grpc: true }
          static:
            balance: hash
            hash_on: { header: X-User }
            servers:
              - { name: s1, address: 127.0.0.1:9004 }
        """;

    private final Transport transport = Transport.nio();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlers());
    private final L7Config config = L7ConfigLoader.parse(CONFIG, "admin-test.yaml");
    private final ConfiguredRouter router = new ConfiguredRouter(config);
    private final L7Metrics metrics = new L7Metrics();
    private final AtomicReference<RuntimeException> reloadFailure = new AtomicReference<>();
    private final AtomicInteger reloads = new AtomicInteger();
    private final AtomicInteger drains = new AtomicInteger();
    private final AdminServer admin = new AdminServer(new InetSocketAddress("127.0.0.1", 0), group, transport.serverChannel(),
        new AdminActions(
            () -> new ServingState(config, List.of(new InetSocketAddress("127.0.0.1", 43210)), router.pools(), drains.get() > 0,
                metrics.refusedRequests()),
            metrics::prometheusText,
            () ->
            {
                final RuntimeException failure = reloadFailure.get();
                if (failure != null)
                {
                    throw failure;
                }
                reloads.incrementAndGet();
            },
            drains::incrementAndGet));

    @AfterEach
    void close()
    {
        admin.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Socket connect() throws IOException
    {
        final Socket socket = new Socket(admin.address().getAddress(), admin.address().getPort());
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static RawHttp.Response request(final Socket socket, final String method, final String path, final String... headerLines)
        throws IOException
    {
        RawHttp.send(socket, method + " " + path + " HTTP/1.1\r\nHost: admin\r\n" + String.join("", headerLines)
            + (method.equals("POST") ? "Content-Length: 0\r\n" : "") + "\r\n");
        return RawHttp.read(socket);
    }

    @Test
    void statusShowsListenersRoutesAndPoolsWithEachServersHealthAndLoad() throws Exception
    {
        router.pools().get("api").upstream("a1").ejected(true);
        router.pools().get("api").upstream("a2").healthy(false);
        router.pools().get("canary").upstream("c1").begin();
        router.pools().get("canary").upstream("c1").begin();
        try (Socket socket = connect())
        {
            final RawHttp.Response response = request(socket, "GET", "/status");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("content-type")).isEqualTo("application/json");
            assertThat(response.text()).isEqualTo("{\"draining\":false,"
                + "\"listeners\":[{\"name\":\"web\",\"address\":\"127.0.0.1:8080\",\"bound\":\"127.0.0.1:43210\"}],"
                + "\"routes\":[{\"name\":\"api\",\"to\":[{\"pool\":\"api\",\"weight\":90},{\"pool\":\"canary\",\"weight\":10}]},"
                + "{\"name\":\"default\",\"to\":[{\"pool\":\"static\",\"weight\":100}]}],"
                + "\"pools\":["
                + "{\"name\":\"api\",\"balance\":\"round-robin\",\"hash_on\":null,\"sticky_cookie\":null,"
                + "\"health_check\":{\"kind\":\"http\",\"path\":\"/healthz\",\"status\":200,\"body\":null,\"interval_ms\":5000,"
                + "\"timeout_ms\":500,\"rise\":1,\"fall\":5},"
                + "\"servers\":[{\"name\":\"a1\",\"address\":\"127.0.0.1:9001\",\"weight\":100,\"healthy\":false,\"ejected\":true,\"in_flight\":0},"
                + "{\"name\":\"a2\",\"address\":\"[::1]:9002\",\"weight\":50,\"healthy\":false,\"ejected\":false,\"in_flight\":0}]},"
                + "{\"name\":\"canary\",\"balance\":\"least-request\",\"hash_on\":null,\"sticky_cookie\":\"SLUICE_SERVER\","
                + "\"health_check\":{\"kind\":\"grpc\",\"interval_ms\":2000,\"timeout_ms\":1000,\"rise\":2,\"fall\":3},"
                + "\"servers\":[{\"name\":\"c1\",\"address\":\"127.0.0.1:9003\",\"weight\":100,\"healthy\":true,\"ejected\":false,\"in_flight\":2}]},"
                + "{\"name\":\"static\",\"balance\":\"hash\",\"hash_on\":{\"kind\":\"header\",\"name\":\"x-user\"},\"sticky_cookie\":null,"
                + "\"health_check\":null,"
                + "\"servers\":[{\"name\":\"s1\",\"address\":\"127.0.0.1:9004\",\"weight\":100,\"healthy\":true,\"ejected\":false,\"in_flight\":0}]}"
                + "],"
                + "\"refused_requests\":{\"total\":0,\"by_reason\":{}},"
                + "\"certificates\":[]}\n");
        }
    }

    @Test
    void statusCountsRefusedRequestsInTotalAndByTheReasonsThatHappened() throws Exception
    {
        for (int i = 0; i < 3; i++)
        {
            metrics.requestRefused(RequestRefusal.BAD_CHUNK_SIZE);
        }
        metrics.requestRefused(RequestRefusal.MISSING_HOST);
        metrics.requestRefused(RequestRefusal.HTTP2_FLOOD);
        try (Socket socket = connect())
        {
            final String status = request(socket, "GET", "/status").text();

            assertThat(status).as("the reasons in RequestRefusal's order, zeros left out")
                .endsWith("],\"refused_requests\":{\"total\":5,"
                    + "\"by_reason\":{\"missing_host\":1,\"bad_chunk_size\":3,\"http2_flood\":1}},\"certificates\":[]}\n");
            assertThat(request(socket, "GET", "/metrics").text()).as("the metrics list every reason, zeros included")
                .contains("sluice_l7_requests_refused_total{reason=\"bad_chunk_size\"} 3\n",
                    "sluice_l7_requests_refused_total{reason=\"missing_host\"} 1\n",
                    "sluice_l7_requests_refused_total{reason=\"bad_method\"} 0\n");

            metrics.requestRefused(RequestRefusal.BAD_CHUNK_SIZE);
            assertThat(request(socket, "GET", "/status").text()).as("read again for each request")
                .contains("\"refused_requests\":{\"total\":6,\"by_reason\":{\"missing_host\":1,\"bad_chunk_size\":4,");
        }
    }

    @Test
    void metricsAreServedAsPrometheusText() throws Exception
    {
        metrics.exchangeFinished("api", "api", "a1", 200, 0, 10, 1_000_000);
        try (Socket socket = connect())
        {
            final RawHttp.Response response = request(socket, "GET", "/metrics?name[]=ignored");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("content-type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8")
                .isEqualTo(L7Metrics.contentType());
            assertThat(response.text()).contains("# TYPE sluice_l7_route_requests_total counter\n",
                "sluice_l7_route_requests_total{route=\"api\"} 1\n");
            assertThat(response.text()).isEqualTo(metrics.prometheusText());
        }
    }

    @Test
    void reloadAnswersReloadedOrTheRefusalsOneLine() throws Exception
    {
        try (Socket socket = connect())
        {
            final RawHttp.Response reloaded = request(socket, "POST", "/reload");
            assertThat(reloaded.status()).isEqualTo(200);
            assertThat(reloaded.text()).isEqualTo("reloaded\n");
            assertThat(reloads).hasValue(1);

            reloadFailure.set(ConfigException.at("l7.yaml", 12, "pools.api.servers[0].weight", "0 is not 1-65535"));
            final RawHttp.Response refused = request(socket, "POST", "/reload");
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.header("content-type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(refused.text()).isEqualTo("l7.yaml:12: pools.api.servers[0].weight: 0 is not 1-65535\n");

            reloadFailure.set(new IllegalArgumentException("pool 'api' has two servers named 'a1'\n\tand more detail"));
            assertThat(request(socket, "POST", "/reload").text()).isEqualTo("pool 'api' has two servers named 'a1'\n");

            reloadFailure.set(new IllegalStateException("listener web: address in use"));
            final RawHttp.Response failed = request(socket, "POST", "/reload");
            assertThat(failed.status()).as("not a refusal: a failure").isEqualTo(500);
            assertThat(failed.text()).isEqualTo("reload failed: listener web: address in use\n");
            assertThat(reloads).hasValue(1);
        }
    }

    @Test
    void drainIsAccepted() throws Exception
    {
        try (Socket socket = connect())
        {
            final RawHttp.Response response = request(socket, "POST", "/drain");

            assertThat(response.status()).isEqualTo(202);
            assertThat(response.text()).isEqualTo("draining\n");
            assertThat(drains).hasValue(1);
            assertThat(request(socket, "GET", "/status").text()).startsWith("{\"draining\":true,");
        }
    }

    @Test
    void unknownPathsAre404AndWrongMethods405WithAllow() throws Exception
    {
        try (Socket socket = connect())
        {
            final RawHttp.Response unknown = request(socket, "GET", "/nope");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.text()).contains("GET /status");
            assertThat(request(socket, "GET", "/status/").status()).isEqualTo(404);

            final RawHttp.Response getReload = request(socket, "GET", "/reload");
            assertThat(getReload.status()).isEqualTo(405);
            assertThat(getReload.header("allow")).isEqualTo("POST");
            assertThat(getReload.text()).isEqualTo("/reload takes POST only\n");
            final RawHttp.Response postMetrics = request(socket, "POST", "/metrics");
            assertThat(postMetrics.status()).isEqualTo(405);
            assertThat(postMetrics.header("allow")).isEqualTo("GET");
            assertThat(request(socket, "DELETE", "/status").header("allow")).isEqualTo("GET");
            assertThat(request(socket, "GET", "/drain").header("allow")).isEqualTo("POST");
            assertThat(reloads).hasValue(0);
            assertThat(drains).hasValue(0);
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndConnectionCloseIsHonoured() throws Exception
    {
        try (Socket socket = connect())
        {
            RawHttp.send(socket, "POST /reload HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
                + "GET /nope HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

            assertThat(RawHttp.read(socket).text()).isEqualTo("reloaded\n");
            assertThat(RawHttp.read(socket).status()).isEqualTo(404);
            final RawHttp.Response last = RawHttp.read(socket);
            assertThat(last.status()).isEqualTo(200);
            assertThat(last.header("connection")).isEqualTo("close");
            assertThat(socket.getInputStream().read()).as("closed after the answer").isEqualTo(-1);
        }
    }

    @Test
    void aMalformedRequestIs400AndCloses() throws Exception
    {
        try (Socket socket = connect())
        {
            RawHttp.send(socket, "GET /status HTTP/1.1\r\nHost: a\r\nContent-Length: nope\r\n\r\n");

            final RawHttp.Response response = RawHttp.read(socket);
            assertThat(response.status()).isEqualTo(400);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void anAddressOtherHostsCouldReachIsRefused()
    {
        for (final String address : List.of("0.0.0.0", "192.0.2.1"))
        {
            assertThatThrownBy(() -> new AdminServer(new InetSocketAddress(address, 9901), group, transport.serverChannel(),
                new AdminActions(() -> null, () -> "", () -> { }, () -> { })))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("admin address " + address + ":9901 is not a loopback address (127.0.0.0/8 or [::1])")
                .hasMessageNotContaining("\n");
        }
    }

    @Test
    void aPortInUseIsOneLine()
    {
        final InetSocketAddress taken = admin.address();
        assertThatThrownBy(() -> new AdminServer(taken, group, transport.serverChannel(),
            new AdminActions(() -> null, () -> "", () -> { }, () -> { })))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageStartingWith("cannot bind the admin endpoint to 127.0.0.1:" + taken.getPort() + ": ")
            .hasMessageNotContaining("\n");
    }
}
