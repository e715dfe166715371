package io.sluice.l7.server;

import com.sun.net.httpserver.HttpServer;
import io.sluice.l7.config.L7Config;
import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.proxy.RawHttp;
import io.sluice.l7.proxy.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits end to end: a real proxy on loopback, real clients (curl processes, sockets) and a
 * real slow backend (the JDK's HTTP server, holding each response a while) that measures how
 * many requests it has at once. With {@code max_requests: 2} and ten clients at once the backend
 * never has more than two, the queue drains and every client is answered; with a short queue
 * timeout the waiting ones get 503; and a listener's {@code max_connections_per_client} closes
 * a client's connection over it while another address connects.
 */
final class ConcurrencyLimitsTest
{
    private static final int CLIENTS = 10;

    private final SlowBackend backend = new SlowBackend();
    private final int port = freePort();
    private L7Server server;

    @AfterEach
    void close()
    {
        if (server != null)
        {
            server.close();
        }
        backend.close();
    }

    private void start(final String listener, final String pool)
    {
        server = new L7Server(config(listener, pool, 2), Transport.best(), 1, null, () -> { });
    }

    /** @param maxRequests the server's {@code max_requests}. */
    private L7Config config(final String listener, final String pool, final int maxRequests)
    {
        return L7ConfigLoader.parse("""
            listeners: [{ name: web, address: "127.0.0.1:%d"%s }]
            routes: [{ name: all, to: slow }]
            pools:
              slow:
                servers: [{ name: s1, address: "127.0.0.1:%d", max_requests: %d }]
            %s
            """.formatted(port, listener, backend.port(), maxRequests, pool), "limits.yaml");
    }

    @Test
    void tenClientsAtOnceNeverPutMoreThanTwoOnTheServerAndAllAreAnswered() throws Exception
    {
        backend.delayMs = 200;
        start("", "");

        final List<String> statuses = curlAtOnce(CLIENTS);

        assertThat(statuses).hasSize(CLIENTS).containsOnly("200");
        assertThat(backend.most.get()).as("the most requests the backend had at once").isEqualTo(2);
        assertThat(backend.served.get()).isEqualTo(CLIENTS);
        assertThat(server.router().pools().get("slow").inFlight()).isZero();
        assertThat(server.router().pools().get("slow").waiting()).isZero();
        assertThat(server.metrics().prometheusText()).contains(
            "sluice_l7_pool_queue_wait_seconds_count{pool=\"slow\"} ",
            "sluice_l7_pool_queue_depth{pool=\"slow\"} 0",
            "sluice_l7_server_requests_in_flight{pool=\"slow\",server=\"s1\"} 0");
    }

    @Test
    void requestsThatWaitLongerThanTheQueueTimeoutAreAnswered503() throws Exception
    {
        backend.delayMs = 2_000;
        start("", "    queue: { size: 100, timeout: 200ms }");

        final List<String> statuses = curlAtOnce(CLIENTS);

        assertThat(statuses.stream().filter("200"::equals).count()).isEqualTo(2);
        assertThat(statuses.stream().filter("503"::equals).count()).isEqualTo(CLIENTS - 2);
        assertThat(backend.served.get()).as("no waiting request reached it").isEqualTo(2);
        assertThat(server.metrics().concurrency().queueTimeouts("slow")).isEqualTo(CLIENTS - 2);
        assertThat(server.metrics().refusedRequests()).containsEntry("queue_timeout", (long)CLIENTS - 2);
    }

    @Test
    void aReloadThatLowersTheLimitDropsNoRequestAndTheWaitingOnesThenGoOneAtATime() throws Exception
    {
        backend.delayMs = 500;
        start("", "");
        final long started = System.nanoTime();
        final List<Process> curls = curls(4);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.router().pools().get("slow").waiting() < 2 && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertThat(server.router().pools().get("slow").waiting()).as("two in flight, two waiting").isEqualTo(2);

        server.reload(config("", "", 1));

        assertThat(statuses(curls)).containsOnly("200").hasSize(4);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("two at once, then one and one")
            .isGreaterThanOrEqualTo(1_450);
        assertThat(backend.served.get()).isEqualTo(4);
        assertThat(server.router().pools().get("slow").inFlight()).isZero();
    }

    @Test
    void aClientOverItsConnectionCapIsClosedWhileOthersConnect() throws Exception
    {
        start(", max_connections_per_client: 2", "");
        try (Socket first = connect("127.0.0.1"))
        {
            assertThat(RawHttp.get(first, "/").status()).isEqualTo(200);
            try (Socket second = connect("127.0.0.1"))
            {
                assertThat(RawHttp.get(second, "/").status()).isEqualTo(200);
                try (Socket third = connect("127.0.0.1"))
                {
                    assertThat(third.getInputStream().read()).as("closed as it was accepted").isEqualTo(-1);
                }
                try (Socket elsewhere = connect("127.0.0.2"))
                {
                    assertThat(RawHttp.get(elsewhere, "/").status()).as("another address has its own count").isEqualTo(200);
                }
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            boolean served = false;
            while (!served && System.nanoTime() < deadline)
            {
                served = servedOnANewConnection(); // the proxy may not have seen the second's close yet
            }
            assertThat(served).as("a place freed by a close").isTrue();
        }
        assertThat(server.metrics().concurrency().perClientConnectionsRefused("web")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void behindAProxyProtocolPeerTheCapCountsTheClientsTheHeadersName() throws Exception
    {
        start(", proxy_protocol: { trusted: [127.0.0.1] }, max_connections_per_client: 1", "");
        try (Socket first = connect("127.0.0.1"); Socket second = connect("127.0.0.1"); Socket other = connect("127.0.0.1"))
        {
            assertThat(answered(first, "192.0.2.1")).isTrue();
            assertThat(answered(second, "192.0.2.1")).as("the same client, through the same peer: over the cap").isFalse();
            assertThat(answered(other, "192.0.2.2")).as("another client, through the same peer").isTrue();
        }
        assertThat(server.metrics().concurrency().perClientConnectionsRefused("web")).isEqualTo(1);
    }

    /** Sends a PROXY v1 header naming {@code client}, then a request: whether it is answered (else closed). */
    private static boolean answered(final Socket socket, final String client) throws IOException
    {
        try
        {
            RawHttp.send(socket, "PROXY TCP4 " + client + " 127.0.0.1 40000 80\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n");
            return socket.getInputStream().read() != -1;
        }
        catch (final SocketException ex)
        {
            return false; // reset: closed with the request unread
        }
    }

    /** Whether a new connection from 127.0.0.1 gets an answer, rather than being closed. */
    private boolean servedOnANewConnection() throws IOException
    {
        try (Socket again = connect("127.0.0.1"))
        {
            RawHttp.send(again, "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
            return again.getInputStream().read() != -1;
        }
        catch (final SocketException ex)
        {
            return false; // reset: closed before it could read the request
        }
    }

    private Socket connect(final String from) throws IOException
    {
        final Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    /** {@code count} curl processes started together; their statuses. */
    private List<String> curlAtOnce(final int count) throws Exception
    {
        return statuses(curls(count));
    }

    /** {@code count} curl processes started together, each asking for /slow once. */
    private List<Process> curls(final int count) throws IOException
    {
        final List<Process> curls = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            curls.add(new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20",
                "http://127.0.0.1:" + port + "/slow").redirectErrorStream(true).start());
        }
        return curls;
    }

    /** Waits for each curl's end: the statuses they printed. */
    private static List<String> statuses(final List<Process> curls) throws Exception
    {
        final List<String> statuses = new ArrayList<>();
        for (final Process curl : curls)
        {
            assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
            statuses.add(new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim());
        }
        return statuses;
    }

    /** A port free a moment ago (the configuration needs a fixed port, not 0). */
    private static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** The JDK's HTTP server, each request held {@link #delayMs} on a thread of its own, counting how many it has at once. */
    private static final class SlowBackend implements AutoCloseable
    {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final AtomicInteger served = new AtomicInteger();
        volatile long delayMs;
        private final ExecutorService threads = Executors.newFixedThreadPool(32);
        private final HttpServer http;

        SlowBackend()
        {
            try
            {
                http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            http.setExecutor(threads);
            http.createContext("/", (exchange) ->
            {
                most.accumulateAndGet(now.incrementAndGet(), Math::max);
                try
                {
                    Thread.sleep(delayMs);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
                now.decrementAndGet();
                served.incrementAndGet();
                final byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            http.start();
        }

        int port()
        {
            return http.getAddress().getPort();
        }

        @Override
        public void close()
        {
            http.stop(0);
            threads.shutdownNow();
        }
    }
}
