package io.sluice.l7.cache;

import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.server.L7Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cache of a real L7 server, with curl as the client and a backend whose answers and request
 * counts the test controls: hits (over HTTP/1.1 and h2c, GET and HEAD), request coalescing of
 * concurrent curls, revalidation, a response larger than max_object streamed whole and not
 * stored, one shorter than its Content-Length not stored, purges through the admin endpoint, the
 * metrics, a reload that keeps what is stored, a stopped backend answered with the stale copy
 * (stale-if-error), and stale-while-revalidate refreshing in the background while curl's
 * requests are answered at once.
 */
@ExtendWith(LeakTracking.class)
class CacheWithCurlTest
{
    private static final String CONFIG = """
        listeners: [{ name: web, address: 127.0.0.1:%d }]
        admin: { address: "127.0.0.1:%d" }
        routes:
          - name: cached
            cache: { size: 8MiB, max_object: 1MiB, coalesce_timeout: 10s }
            to: p
        pools:
          p: { servers: [{ name: a, address: "%s" }] }
        """;

    private final ControlledBackend backend = new ControlledBackend();
    private final int port = freePort();
    private final int adminPort = freePort();
    private final L7Server server = new L7Server(L7ConfigLoader.parse(CONFIG.formatted(port, adminPort, backend.address()), "cache.yaml"), 2);

    @AfterEach
    void close()
    {
        server.close();
        backend.close();
    }

    /** curl's response: its head (the last one, after -i) and its body. */
    private record Fetched(String head, String body)
    {
        String header(final String name)
        {
            return head.lines().filter(line -> line.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                .map(line -> line.substring(name.length() + 1).strip()).findFirst().orElse(null);
        }
    }

    private Process startCurl(final String path, final String... options) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of("curl", "-sS", "-i", "--max-time", "20"));
        command.addAll(List.of(options));
        command.add("http://127.0.0.1:" + port + path);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static Fetched finish(final Process curl) throws Exception
    {
        final String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(curl.exitValue()).as(output).isZero();
        final int end = output.indexOf("\r\n\r\n");
        return new Fetched(output.substring(0, end), output.substring(end + 4));
    }

    private Fetched curl(final String path, final String... options) throws Exception
    {
        return finish(startCurl(path, options));
    }

    @Test
    void aSecondRequestIsAHit() throws Exception
    {
        backend.on("/page", exchange -> ControlledBackend.send(exchange, 200, "page".getBytes(StandardCharsets.US_ASCII),
            "Cache-Control", "max-age=60"));

        final Fetched miss = curl("/page");
        assertThat(miss.body()).isEqualTo("page");
        assertThat(miss.header("cache-status")).isEqualTo("sluice; fwd=uri-miss; fwd-status=200; stored; ttl=60");
        final Fetched hit = curl("/page");
        assertThat(hit.body()).isEqualTo("page");
        assertThat(hit.header("cache-status")).startsWith("sluice; hit; ttl=");
        assertThat(hit.header("age")).isNotNull();
        assertThat(backend.requests("/page")).isEqualTo(1);
    }

    @Test
    void http2ClientsAndHeadRequestsAreAnsweredFromTheStore() throws Exception
    {
        backend.on("/h2", exchange -> ControlledBackend.send(exchange, 200, "over h2".getBytes(StandardCharsets.US_ASCII),
            "Cache-Control", "max-age=60"));

        assertThat(curl("/h2", "--http2-prior-knowledge").body()).isEqualTo("over h2");
        final Fetched hit = curl("/h2", "--http2-prior-knowledge");
        assertThat(hit.head()).startsWith("HTTP/2 200");
        assertThat(hit.body()).isEqualTo("over h2");
        assertThat(hit.header("cache-status")).startsWith("sluice; hit");
        final Fetched head = curl("/h2", "--head");
        assertThat(head.header("content-length")).isEqualTo("7");
        assertThat(head.body()).isEmpty();
        assertThat(curl("/h2", "--head", "--http2-prior-knowledge").header("cache-status")).startsWith("sluice; hit");
        assertThat(backend.requests("/h2")).isEqualTo(1);
    }

    @Test
    void concurrentCurlsForOneColdKeyMakeOneBackendRequest() throws Exception
    {
        backend.on("/cold", exchange ->
        {
            sleep(1000); // long enough for every curl to arrive while the first is being answered
            ControlledBackend.send(exchange, 200, "cold".getBytes(StandardCharsets.US_ASCII), "Cache-Control", "max-age=60");
        });
        final List<Process> curls = new ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            curls.add(startCurl("/cold"));
        }
        for (final Process curl : curls)
        {
            assertThat(finish(curl).body()).isEqualTo("cold");
        }
        assertThat(backend.requests("/cold")).isEqualTo(1);
    }

    @Test
    void aStaleResponseIsRevalidatedWithItsETag() throws Exception
    {
        backend.on("/tagged", exchange ->
        {
            if ("\"v1\"".equals(exchange.getRequestHeaders().getFirst("If-None-Match")))
            {
                ControlledBackend.send(exchange, 304, new byte[0], "ETag", "\"v1\"", "Cache-Control", "max-age=1");
                return;
            }
            ControlledBackend.send(exchange, 200, "tagged".getBytes(StandardCharsets.US_ASCII), "ETag", "\"v1\"", "Cache-Control",
                "max-age=1");
        });
        assertThat(curl("/tagged").body()).isEqualTo("tagged");
        Thread.sleep(2100);

        final Fetched revalidated = curl("/tagged");
        assertThat(revalidated.head()).startsWith("HTTP/1.1 200");
        assertThat(revalidated.body()).isEqualTo("tagged");
        assertThat(revalidated.header("cache-status")).startsWith("sluice; fwd=stale; fwd-status=304; stored");
        assertThat(backend.requests("/tagged")).isEqualTo(2);
    }

    @Test
    void aResponseOverMaxObjectIsStreamedWholeAndNotStored() throws Exception
    {
        final byte[] huge = new byte[3 << 20];
        java.util.Arrays.fill(huge, (byte)'x');
        backend.on("/huge", exchange ->
        {
            exchange.getResponseHeaders().add("Cache-Control", "max-age=60");
            exchange.sendResponseHeaders(200, 0); // chunked: the cache learns the size only as it streams
            try (OutputStream out = exchange.getResponseBody())
            {
                for (int i = 0; i < huge.length; i += 65536)
                {
                    out.write(huge, i, 65536);
                }
            }
        });
        assertThat(curl("/huge").body()).hasSize(huge.length);
        assertThat(curl("/huge").body()).hasSize(huge.length);
        assertThat(backend.requests("/huge")).isEqualTo(2);
    }

    /** curl to the admin endpoint: its status line and body. */
    private String admin(final String method, final String path) throws Exception
    {
        final Process curl = new ProcessBuilder("curl", "-sS", "-X", method, "--max-time", "10", "-w", "%{http_code}",
            "http://127.0.0.1:" + adminPort + path).redirectErrorStream(true).start();
        final String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    @Test
    void theAdminEndpointPurgesByKeyPrefixAndTagAndTheMetricsCount() throws Exception
    {
        for (final String path : List.of("/a/1", "/a/2", "/b/1"))
        {
            backend.on(path, exchange -> ControlledBackend.send(exchange, 200, path.getBytes(StandardCharsets.US_ASCII),
                "Cache-Control", "max-age=60", "Surrogate-Key", "all " + path.substring(1, 2)));
            assertThat(curl(path).header("surrogate-key")).isNull();
        }
        assertThat(admin("POST", "/purge?key=" + java.net.URLEncoder.encode("http://127.0.0.1:" + port + "/b/1",
            StandardCharsets.UTF_8))).isEqualTo("purged 1 response\n200");
        assertThat(admin("POST", "/purge?route=cached&prefix=/a/")).isEqualTo("purged 2 responses\n200");
        curl("/a/1");
        assertThat(admin("POST", "/purge?tag=a")).isEqualTo("purged 1 response\n200");
        assertThat(admin("POST", "/purge?route=nope&tag=a")).isEqualTo("no route 'nope' with a cache; routes with one: cached\n400");
        assertThat(admin("POST", "/purge?tag=a&key=b")).isEqualTo("one of key, prefix and tag at a time\n400");
        assertThat(admin("POST", "/purge")).startsWith("purge needs key=KEY").endsWith("400");
        assertThat(backend.requests("/a/1")).isEqualTo(2);
        curl("/a/1");
        curl("/a/1");
        assertThat(backend.requests("/a/1")).as("stored again after the purge").isEqualTo(3);

        final String metrics = admin("GET", "/metrics");
        assertThat(metrics).contains("sluice_l7_cache_hits_total{route=\"cached\"} 1\n",
            "sluice_l7_cache_misses_total{route=\"cached\"} 5\n", "sluice_l7_cache_stored_total{route=\"cached\"} 5\n",
            "sluice_l7_cache_responses{route=\"cached\"} 1\n", "sluice_l7_cache_bytes{route=\"cached\"} 4\n");
    }

    @Test
    void aReloadKeepsWhatIsStoredAndTheCounts() throws Exception
    {
        backend.on("/kept", exchange -> ControlledBackend.send(exchange, 200, "kept".getBytes(StandardCharsets.US_ASCII),
            "Cache-Control", "max-age=60"));
        curl("/kept");
        server.reload(L7ConfigLoader.parse(CONFIG.formatted(port, adminPort, backend.address()), "cache.yaml"));
        assertThat(curl("/kept").header("cache-status")).startsWith("sluice; hit");
        assertThat(backend.requests("/kept")).isEqualTo(1);
        assertThat(admin("GET", "/metrics")).contains("sluice_l7_cache_misses_total{route=\"cached\"} 1\n",
            "sluice_l7_cache_hits_total{route=\"cached\"} 1\n");
    }

    @Test
    void aBackendThatSendsLessThanItsContentLengthIsNotStored() throws Exception
    {
        backend.on("/liar", exchange ->
        {
            exchange.getResponseHeaders().add("Cache-Control", "max-age=60");
            exchange.sendResponseHeaders(200, 10);
            final OutputStream out = exchange.getResponseBody();
            out.write("half".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            throw new IOException("the backend stops 6 bytes short"); // the JDK server then closes the connection
        });
        for (int i = 0; i < 2; i++)
        {
            final Process curl = startCurl("/liar");
            curl.getInputStream().readAllBytes();
            assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(curl.exitValue()).as("curl sees the response cut short (18: partial file)").isEqualTo(18);
        }
        assertThat(backend.requests("/liar")).as("nothing was stored").isEqualTo(2);
        assertThat(admin("GET", "/metrics")).contains("sluice_l7_cache_bodies_not_stored_total{route=\"cached\"} 2\n");
    }

    @Test
    void aStoppedBackendIsAnsweredWithTheStaleCopyUnderStaleIfError() throws Exception
    {
        backend.on("/sie", exchange -> ControlledBackend.send(exchange, 200, "kept".getBytes(StandardCharsets.US_ASCII),
            "Cache-Control", "max-age=1, stale-if-error=60"));
        assertThat(curl("/sie").body()).isEqualTo("kept");
        Thread.sleep(1100);
        backend.close(); // its port refuses connections from now on

        final Fetched stale = curl("/sie");
        assertThat(stale.head()).startsWith("HTTP/1.1 200");
        assertThat(stale.body()).isEqualTo("kept");
        assertThat(stale.header("cache-status")).startsWith("sluice; fwd=stale; fwd-status=502; ttl=-")
            .endsWith("; detail=stale-if-error");
        final Fetched failed = curl("/other");
        assertThat(failed.head()).startsWith("HTTP/1.1 502");
        assertThat(failed.header("cache-status")).startsWith("sluice; fwd=uri-miss; detail=");
    }

    @Test
    void aStaleResponseIsRefreshedInTheBackgroundWhileClientsGetItAtOnce() throws Exception
    {
        final AtomicInteger refreshes = new AtomicInteger();
        backend.on("/swr", exchange ->
        {
            if ("\"v1\"".equals(exchange.getRequestHeaders().getFirst("If-None-Match")))
            {
                refreshes.incrementAndGet();
                sleep(2000); // a slow backend: no client may wait for it
                ControlledBackend.send(exchange, 304, new byte[0], "ETag", "\"v1\"", "Cache-Control",
                    "max-age=30, stale-while-revalidate=60");
                return;
            }
            ControlledBackend.send(exchange, 200, "swr".getBytes(StandardCharsets.US_ASCII), "ETag", "\"v1\"", "Cache-Control",
                "max-age=1, stale-while-revalidate=60");
        });
        assertThat(curl("/swr").body()).isEqualTo("swr");
        Thread.sleep(1100);

        for (int i = 0; i < 4; i++)
        {
            final long startNs = System.nanoTime();
            final Fetched stale = curl("/swr");
            final long tookMs = (System.nanoTime() - startNs) / 1_000_000;
            assertThat(stale.body()).isEqualTo("swr");
            assertThat(stale.header("cache-status")).endsWith("detail=stale-while-revalidate");
            assertThat(tookMs).as("the client does not wait for the 2 s refresh").isLessThan(1000);
        }
        Thread.sleep(2500);
        final Fetched refreshed = curl("/swr");
        assertThat(refreshed.header("cache-status")).startsWith("sluice; hit; ttl=");
        assertThat(refreshes.get()).as("one refresh, in the background").isEqualTo(1);
        assertThat(backend.requests("/swr")).isEqualTo(2);
        assertThat(admin("GET", "/metrics")).contains("sluice_l7_cache_background_refreshes_total{route=\"cached\"} 1\n",
            "sluice_l7_cache_revalidated_total{route=\"cached\"} 1\n");
    }

    private static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

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
}
