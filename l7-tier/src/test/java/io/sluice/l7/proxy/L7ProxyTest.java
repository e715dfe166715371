package io.sluice.l7.proxy;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.sluice.l7.config.Timeouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The proxy core on loopback, with real sockets on both sides: headers it owns, keep-alive on
 * both legs, bodies streamed both ways, pipelining, its own answers (404, 503, 502), a backend
 * that breaks mid-response; and no buffer leaked (paranoid leak detection).
 */
@ExtendWith(LeakTracking.class)
@ParameterizedClass(name = "{0}")
@MethodSource("transports")
class L7ProxyTest
{
    /** Shorter than the event stream (6 x 800 ms), so the stream shows it is not cut by it. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(4_000);
    private final TestBackend backend = new TestBackend("b1");
    private final StreamingBackend streaming = new StreamingBackend();
    private final SlowStartBackend slowStart = new SlowStartBackend();
    private final OutOfTurnBackend outOfTurn = outOfTurnBackend();
    private final int closedPort = closedPort();
    private final ConcurrentLinkedQueue<Integer> finished = new ConcurrentLinkedQueue<>();
    private final Transport transport;
    private final L7Proxy proxy;

    /** Every transport this machine can run the proxy on: each behaves alike. */
    static List<Transport> transports()
    {
        return Transport.usable();
    }

    L7ProxyTest(final Transport transport)
    {
        this.transport = transport;
        this.proxy = new L7Proxy(transport, 2, List.of(new InetSocketAddress("127.0.0.1", 0)), this::route,
            new Timeouts(Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(30), REQUEST_TIMEOUT, Duration.ofSeconds(5)),
            ExchangeObservers.metricsOnly());
    }

    @AfterEach
    void close()
    {
        proxy.close();
        backend.close();
        streaming.close();
        slowStart.close();
        try
        {
            outOfTurn.close();
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /**
     * /missing: no route; /nobody: no server; /down: a closed port; /api/...: rewritten to
     * /v1/...; /ws and /events: the streaming backend; /out-of-turn: the backend that answers
     * out of turn; /slow-start: the backend slow to start reading a body; else the backend.
     */
    private RoutedRequest route(final HttpRequest request, final InetSocketAddress client)
    {
        final String uri = request.uri();
        final InetSocketAddress target = uri.startsWith("/missing") || uri.startsWith("/nobody") ? null :
            uri.startsWith("/down") ? new InetSocketAddress("127.0.0.1", closedPort) :
            uri.startsWith("/ws") || uri.startsWith("/events") ? streaming.address() :
            uri.startsWith("/out-of-turn") ? outOfTurn.address() :
            uri.startsWith("/slow-start") ? slowStart.address() : backend.address();
        return new RoutedRequest()
        {
            @Override
            public InetSocketAddress backend()
            {
                return target;
            }

            @Override
            public int refusalStatus()
            {
                return uri.startsWith("/missing") ? 404 : 503;
            }

            @Override
            public String uri()
            {
                return uri.startsWith("/api/") ? "/v1/" + uri.substring("/api/".length()) : uri;
            }

            @Override
            public void editRequestHeaders(final HttpHeaders headers)
            {
                headers.set("x-route", "test").remove("x-secret");
            }

            @Override
            public void editResponseHeaders(final HttpHeaders headers)
            {
                headers.set("x-served-via", "sluice");
            }

            @Override
            public void finished(final int status)
            {
                finished.add(status);
            }
        };
    }

    private Socket connect() throws IOException
    {
        return socket(proxy);
    }

    @Test
    void forwardsARequestWithTheHeadersAProxyOwns() throws Exception
    {
        try (Socket socket = connect())
        {
            final RawHttp.Response response = RawHttp.get(socket, "/api/items?x=1",
                "Connection: keep-alive, x-private\r\n", "X-Private: hop\r\n", "X-Forwarded-For: 198.18.0.9\r\n",
                "X-Secret: s\r\n", "X-Respond-Bytes: 100\r\n");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).hasSize(100);
            assertThat(response.header("x-served-by")).isEqualTo("b1");
            assertThat(response.header("x-seen-uri")).as("rewritten, query kept").isEqualTo("/v1/items?x=1");
            assertThat(response.header("x-served-via")).as("the route's response header").isEqualTo("sluice");
            assertThat(response.header("x-hop")).as("named by the backend's Connection header: hop-by-hop").isNull();
        }
        final HttpHeaders seen = backend.seen.getFirst().headers();
        assertThat(seen.get("x-forwarded-for")).isEqualTo("198.18.0.9, 127.0.0.1");
        assertThat(seen.get("x-forwarded-proto")).isEqualTo("http");
        assertThat(seen.get("x-request-id")).matches("[0-9a-f]{32}");
        assertThat(seen.get("x-route")).isEqualTo("test");
        assertThat(seen.contains("x-secret")).isFalse();
        assertThat(seen.contains("x-private")).as("named by the client's Connection header").isFalse();
        assertThat(finished).containsExactly(200);
    }

    @Test
    void keepsBothLegsAlive() throws Exception
    {
        try (Socket socket = connect())
        {
            for (int i = 0; i < 20; i++)
            {
                assertThat(RawHttp.get(socket, "/n/" + i, "X-Request-Id: given-" + i + "\r\n").status()).isEqualTo(200);
            }
        }
        assertThat(backend.connections.get()).as("one backend connection for 20 sequential requests").isEqualTo(1);
        assertThat(backend.seen).extracting((request) -> request.headers().get("x-request-id"))
            .as("a client's request id is kept").startsWith("given-0", "given-1");
        assertThat(proxy.idleBackendConnections()).isEqualTo(1);
    }

    @Test
    void aListenerAcceptsEveryWaitingConnectionInOneGo()
    {
        final io.netty.channel.RecvByteBufAllocator allocator =
            proxy.listenerChannels().getFirst().config().getRecvByteBufAllocator();
        assertThat(allocator).isInstanceOf(io.netty.channel.ServerChannelRecvByteBufAllocator.class);
        final io.netty.channel.ServerChannelRecvByteBufAllocator accepts = (io.netty.channel.ServerChannelRecvByteBufAllocator)allocator;
        assertThat(accepts.maxMessagesPerRead()).isEqualTo(L7Proxy.MAX_ACCEPTS_PER_WAKEUP);
        assertThat(accepts.respectMaybeMoreData()).as("not one accept per wake-up on a guess").isFalse();
    }

    @Test
    void aPooledConnectionIdleLongerThanTheIdleTimeoutIsClosed() throws Exception
    {
        final L7Proxy shortIdle = new L7Proxy(transport, 1, List.of(new InetSocketAddress("127.0.0.1", 0)), this::route,
            new Timeouts(Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(1), REQUEST_TIMEOUT, Duration.ofSeconds(5)),
            ExchangeObservers.metricsOnly());
        try
        {
            try (Socket socket = socket(shortIdle))
            {
                assertThat(RawHttp.get(socket, "/idle").status()).isEqualTo(200);
            }
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (shortIdle.idleBackendConnections() > 0 && System.nanoTime() < deadline)
            {
                Thread.sleep(50);
            }
            assertThat(shortIdle.idleBackendConnections()).as("closed after 1 s idle, checked every second").isZero();
            try (Socket socket = socket(shortIdle))
            {
                assertThat(RawHttp.get(socket, "/after").status()).as("a new connection serves the next request").isEqualTo(200);
            }
        }
        finally
        {
            shortIdle.close();
        }
        assertThat(backend.connections.get()).isEqualTo(2);
    }

    private static Socket socket(final L7Proxy proxy) throws IOException
    {
        final Socket socket = new Socket();
        socket.connect(proxy.boundAddresses().getFirst(), 2_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    @Test
    void streamsLargeBodiesBothWays() throws Exception
    {
        final int requestBytes = 8 * 1024 * 1024;
        final int responseBytes = 6 * 1024 * 1024;
        try (Socket socket = connect())
        {
            RawHttp.send(socket, "POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: " + requestBytes +
                "\r\nX-Respond-Bytes: " + responseBytes + "\r\n\r\n");
            final byte[] chunk = new byte[64 * 1024];
            for (int sent = 0; sent < requestBytes; sent += chunk.length)
            {
                socket.getOutputStream().write(chunk);
            }
            socket.getOutputStream().flush();
            final RawHttp.Response response = RawHttp.read(socket);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("x-seen-body-bytes")).isEqualTo(Integer.toString(requestBytes));
            assertThat(response.body()).hasSize(responseBytes);
            assertThat(response.body()[responseBytes - 1]).isEqualTo((byte)('a' + (responseBytes - 1) % 26));
        }
    }

    @Test
    void answersPipelinedRequestsInOrder() throws Exception
    {
        try (Socket socket = connect())
        {
            RawHttp.send(socket, "GET /first HTTP/1.1\r\nHost: test\r\nX-Respond-Bytes: 300000\r\n\r\n" +
                "GET /missing HTTP/1.1\r\nHost: test\r\n\r\n" +
                "GET /third HTTP/1.1\r\nHost: test\r\n\r\n");
            final RawHttp.Response first = RawHttp.read(socket);
            final RawHttp.Response second = RawHttp.read(socket);
            final RawHttp.Response third = RawHttp.read(socket);
            assertThat(first.header("x-seen-uri")).isEqualTo("/first");
            assertThat(first.body()).hasSize(300_000);
            assertThat(second.status()).isEqualTo(404);
            assertThat(third.header("x-seen-uri")).isEqualTo("/third");
        }
    }

    @Test
    void answersWhatItCannotForwardItself() throws Exception
    {
        try (Socket socket = connect())
        {
            assertThat(RawHttp.get(socket, "/missing").status()).isEqualTo(404);
            assertThat(RawHttp.get(socket, "/nobody").status()).isEqualTo(503);
            final RawHttp.Response down = RawHttp.get(socket, "/down");
            assertThat(down.status()).isEqualTo(502);
            assertThat(down.text()).startsWith("cannot connect to the backend");
            assertThat(RawHttp.get(socket, "/after").status()).as("the connection carries on").isEqualTo(200);
            // A refused request's body is read and dropped; the next request on the connection still works.
            RawHttp.send(socket, "POST /missing HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(RawHttp.read(socket).status()).isEqualTo(404);
            assertThat(RawHttp.get(socket, "/after-body").status()).isEqualTo(200);
        }
        assertThat(finished).containsExactly(404, 503, 502, 200, 404, 200);
    }

    @Test
    void aBackendThatBreaksMidResponseClosesTheClientConnection() throws Exception
    {
        try (Socket socket = connect())
        {
            assertThatThrownBy(() -> RawHttp.get(socket, "/close-mid-response", "X-Respond-Bytes: 10\r\n"))
                .isInstanceOf(IOException.class).hasMessageContaining("connection closed after 10 of 1010");
        }
        awaitFinished(1);
        assertThat(finished).containsExactly(0);
    }

    @Test
    void aPooledConnectionThatAnswersOutOfTurnIsClosedNotReused() throws Exception
    {
        try (Socket socket = connect())
        {
            assertThat(RawHttp.get(socket, "/out-of-turn/1").text()).isEqualTo("conn-1");
            // The unasked-for response reached the idle connection: the next request must not get it.
            final RawHttp.Response second = RawHttp.get(socket, "/out-of-turn/2");
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.text()).as("served on a new connection, not the one out of step").isEqualTo("conn-2");
        }
        assertThat(outOfTurn.connections.get()).isEqualTo(2);
        assertThat(finished).containsExactly(200, 200);
    }

    @Test
    void rejectsAMalformedRequestWithOneLine() throws Exception
    {
        try (Socket socket = connect())
        {
            RawHttp.send(socket, "GET /x HTTP/1.1\r\nHost: test\r\nContent-Length: nope\r\n\r\n");
            final RawHttp.Response response = RawHttp.read(socket);
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(response.text().lines()).hasSize(1);
        }
    }

    @Test
    void http2ClientsAreServedOverH2cAndBackendsStillGetHttp11() throws Exception
    {
        final java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_2).build();
        final String base = "http://127.0.0.1:" + proxy.boundAddresses().getFirst().getPort();
        for (int i = 0; i < 5; i++)
        {
            final java.net.http.HttpResponse<String> response = client.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/h2/" + i)).header("X-Respond-Bytes", "50").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).hasSize(50);
            assertThat(response.headers().firstValue("x-seen-uri")).contains("/v1/h2/" + i);
            if (i > 0)
            {
                assertThat(response.version()).as("after the h2c upgrade").isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
            }
        }
        final java.net.http.HttpResponse<String> posted = client.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/upload"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x".repeat(100_000))).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(posted.headers().firstValue("x-seen-body-bytes")).contains("100000");
        assertThat(client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/missing")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        client.close();
        assertThat(backend.seen).extracting((request) -> request.protocolVersion().text()).containsOnly("HTTP/1.1");
        assertThat(backend.seen).as("Netty's HTTP/2 conversion headers (x-http2-scheme, x-http2-stream-id) stay in the proxy")
            .allSatisfy((request) -> assertThat(request.headers().names()).noneMatch((name) -> name.startsWith("x-http2-")));
    }

    /**
     * An HTTP/2 upload to a backend slow to start reading: the proxy's writes to it fill the
     * socket buffers, the stream stops reading, and reads again when those writes complete, on a
     * backend event outside any read of the client's connection. The client sends each round of
     * the body once the window the one before used is given back, so only the WINDOW_UPDATE the
     * stream writes as it reads again moves the upload on: it has to leave then, as the
     * connection's next read, which would flush it, never comes (the request would time out, 504).
     */
    @Test
    void anHttp2UploadGoesOnWhenASlowBackendCatchesUp() throws Exception
    {
        final int rounds = 16 * 1024 * 1024 / PriorKnowledgeH2Client.ROUND;
        try (PriorKnowledgeH2Client client = new PriorKnowledgeH2Client(proxy.boundAddresses().getFirst()))
        {
            final FullHttpResponse response = client.upload("/slow-start", rounds);
            try
            {
                assertThat(response.status().code()).as("the backend's answer, not the proxy's timeout").isEqualTo(200);
                assertThat(response.headers().get("x-seen-body-bytes")).as("the body the backend got")
                    .isEqualTo(String.valueOf((long)rounds * PriorKnowledgeH2Client.ROUND));
            }
            finally
            {
                response.release();
            }
        }
    }

    @Test
    void http2ByPriorKnowledgeIsServedToo() throws Exception
    {
        try (PriorKnowledgeH2Client client = new PriorKnowledgeH2Client(proxy.boundAddresses().getFirst()))
        {
            for (int i = 0; i < 3; i++)
            {
                final io.netty.handler.codec.http.FullHttpResponse response = client.get("/api/prior/" + i);
                try
                {
                    assertThat(response.status().code()).isEqualTo(200);
                    assertThat(response.headers().get("x-seen-uri")).isEqualTo("/v1/prior/" + i);
                }
                finally
                {
                    response.release();
                }
            }
        }
    }

    @Test
    void drainingAnHttp2ConnectionSendsGoAwayLetsItsOpenStreamFinishThenClosesIt() throws Exception
    {
        try (PriorKnowledgeH2Client client = new PriorKnowledgeH2Client(proxy.boundAddresses().getFirst()))
        {
            client.get("/before").release();
            final PriorKnowledgeH2Client.Exchange slow = client.request("/slow", "x-delay-ms", "600", "x-respond-bytes", "200000");
            awaitSeen("/slow");

            final long startNs = System.nanoTime();
            final CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> proxy.drain(Duration.ofSeconds(10)));
            final FullHttpResponse response = slow.response().get(5, TimeUnit.SECONDS);
            try
            {
                assertThat(response.status().code()).isEqualTo(200);
                assertThat(response.content().readableBytes()).as("the whole body").isEqualTo(200_000);
            }
            finally
            {
                response.release();
            }
            assertThat(drained.get(5, TimeUnit.SECONDS)).as("the connection ended on its own").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - startNs)).as("when its last stream ended, not at the timeout")
                .isLessThan(Duration.ofSeconds(5));
            assertThat(client.awaitClosed(Duration.ofSeconds(1))).isTrue();
            assertThat(client.events()).containsExactly("response /before 200", "goaway NO_ERROR last stream " + slow.streamId(),
                "response /slow 200", "closed");
        }
    }

    @Test
    void drainingIdleHttp2ConnectionsSendsGoAwayAndClosesThemAtOnce() throws Exception
    {
        final java.net.http.HttpClient upgrading = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_2).build();
        final java.net.URI base = java.net.URI.create("http://127.0.0.1:" + proxy.boundAddresses().getFirst().getPort());
        try (PriorKnowledgeH2Client client = new PriorKnowledgeH2Client(proxy.boundAddresses().getFirst()); upgrading)
        {
            final PriorKnowledgeH2Client.Exchange done = client.request("/idle-after");
            done.response().get(5, TimeUnit.SECONDS).release();
            for (int i = 0; i < 2; i++)
            {
                final java.net.http.HttpResponse<String> response = upgrading.send(java.net.http.HttpRequest.newBuilder(
                    base.resolve("/upgraded/" + i)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
            }
            assertThat(proxy.clientConnections()).as("by prior knowledge and by upgrade").isEqualTo(2);

            final long startNs = System.nanoTime();
            assertThat(proxy.drain(Duration.ofSeconds(10))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - startNs)).as("at once, not at the 10 s timeout")
                .isLessThan(Duration.ofSeconds(5));
            assertThat(client.awaitClosed(Duration.ofSeconds(1))).isTrue();
            assertThat(client.events()).containsExactly("response /idle-after 200", "goaway NO_ERROR last stream " + done.streamId(),
                "closed");
        }
    }

    @Test
    void anHttp2StreamLongerThanTheDrainIsCutAtItsTimeout() throws Exception
    {
        try (PriorKnowledgeH2Client client = new PriorKnowledgeH2Client(proxy.boundAddresses().getFirst()))
        {
            final PriorKnowledgeH2Client.Exchange events = client.request("/events", "accept", "text/event-stream");
            Thread.sleep(300); // the stream is open at the backend (which records nothing to wait on)

            final long startNs = System.nanoTime();
            assertThat(proxy.drain(Duration.ofMillis(500))).as("a stream was still open: %s", client.events()).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - startNs)).as("closed at the drain's timeout")
                .isBetween(Duration.ofMillis(450), Duration.ofSeconds(5));
            assertThat(client.awaitClosed(Duration.ofSeconds(1))).isTrue();
            assertThatThrownBy(() -> events.response().get(1, TimeUnit.SECONDS)).as("cut").isInstanceOf(ExecutionException.class);
            assertThat(client.events()).as("cut: perhaps reset too").first().isEqualTo("goaway NO_ERROR last stream " + events.streamId());
            assertThat(client.events()).contains("closed", "no response /events");
        }
    }

    @Test
    void aSlowRequestHeadGets408AndASlowBackend504() throws Exception
    {
        try (Socket socket = connect())
        {
            RawHttp.send(socket, "GET /slow-head HTTP/1.1\r\nHost: te"); // and nothing more
            final RawHttp.Response response = RawHttp.read(socket);
            assertThat(response.status()).isEqualTo(408);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        try (Socket socket = connect())
        {
            final RawHttp.Response response = RawHttp.get(socket, "/late", "X-Delay-Ms: " + (REQUEST_TIMEOUT.toMillis() + 1_000) + "\r\n");
            assertThat(response.status()).isEqualTo(504);
            assertThat(RawHttp.get(socket, "/after").status()).as("the connection carries on").isEqualTo(200);
        }
        assertThat(finished).contains(504);
    }

    @Test
    void aWebSocketIsRelayedBothWays() throws Exception
    {
        final java.util.concurrent.LinkedBlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();
        final java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        final java.net.http.WebSocket socket = client.newWebSocketBuilder()
            .buildAsync(java.net.URI.create("ws://127.0.0.1:" + proxy.boundAddresses().getFirst().getPort() + "/ws"),
                new java.net.http.WebSocket.Listener()
                {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(final java.net.http.WebSocket webSocket,
                        final CharSequence data, final boolean last)
                    {
                        received.add(data.toString());
                        webSocket.request(1);
                        return null;
                    }
                }).get(5, java.util.concurrent.TimeUnit.SECONDS);
        for (final String word : List.of("hello", "through", "sluice"))
        {
            socket.sendText(word, true).get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(received.poll(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(word.toUpperCase(java.util.Locale.ROOT));
        }
        Thread.sleep(REQUEST_TIMEOUT.toMillis() + 500);
        socket.sendText("still open", true).get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(received.poll(5, java.util.concurrent.TimeUnit.SECONDS)).as("past the request timeout").isEqualTo("STILL OPEN");
        socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done").get(5, java.util.concurrent.TimeUnit.SECONDS);
        client.close();
        awaitFinished(1);
        assertThat(finished).containsExactly(101);
    }

    @Test
    void anEventStreamOutlivesTheRequestTimeout() throws Exception
    {
        try (Socket socket = connect())
        {
            RawHttp.send(socket, "GET /events HTTP/1.1\r\nHost: test\r\nAccept: text/event-stream\r\n\r\n");
            final StringBuilder all = new StringBuilder();
            final byte[] buffer = new byte[4096];
            int read;
            while (all.indexOf("\r\n0\r\n\r\n") < 0 && (read = socket.getInputStream().read(buffer)) > 0)
            {
                all.append(new String(buffer, 0, read, StandardCharsets.UTF_8)); // until the chunked body's end
            }
            assertThat(all.toString()).startsWith("HTTP/1.1 200").contains("text/event-stream");
            for (int i = 1; i <= StreamingBackend.EVENTS; i++)
            {
                assertThat(all.toString()).contains("data: event " + i);
            }
            assertThat(RawHttp.get(socket, "/after").status()).as("the connection carries on").isEqualTo(200);
        }
    }

    /** Waits until the backend has the request for {@code uri}. */
    private void awaitSeen(final String uri) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (backend.seen.stream().noneMatch((request) -> request.uri().equals(uri)) && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertThat(backend.seen).extracting(HttpRequest::uri).as("at the backend").contains(uri);
    }

    private void awaitFinished(final int count) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (finished.size() < count && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
    }

    private static OutOfTurnBackend outOfTurnBackend()
    {
        try
        {
            return new OutOfTurnBackend();
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static int closedPort()
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

    static String utf8(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
