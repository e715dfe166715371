package io.sluice.l7.proxy;

import io.sluice.l7.config.ContentCoding;
import io.sluice.l7.filter.compress.Codings;
import io.sluice.l7.metrics.CompressionMetrics;
import io.sluice.l7.metrics.CompressionSkip;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The {@code compress} route key through the proxy's real request path over in-memory channels:
 * each rule of when a response is compressed and how its head changes, a streamed body held up to
 * the minimum, and every coding's encoder closed at each end (complete, backend reset, client
 * gone). Buffers leaked fail the test (paranoid leak detection).
 */
@ExtendWith(LeakTracking.class)
final class CompressionOverEmbeddedChannelTest
{
    private static final int MIN_SIZE = 256;
    private static final String CONFIG = """
        routes:
          - name: api
            compress: { min_size: %d }
            to: p
        pools:
          p: { servers: [{ name: a, address: 198.18.0.1:8080 }] }
        """.formatted(MIN_SIZE);
    /** Compressible JSON longer than the minimum. */
    private static final String JSON = json(40);

    private final EmbeddedProxy proxy = new EmbeddedProxy();

    @AfterEach
    void close()
    {
        proxy.close();
        assertThat(proxy.metrics().compression().encodersActive()).as("every encoder closed").isZero();
    }

    static String json(final int items)
    {
        final StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < items; i++)
        {
            json.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"name\":\"item number ").append(i).append("\"}");
        }
        return json.append(']').toString();
    }

    /** A response the client got, its body de-chunked (not decoded). */
    record Received(String head, Map<String, String> headers, byte[] body)
    {
        String header(final String name)
        {
            return headers.get(name);
        }

        /** The body as the backend sent it: decoded by the coding the response names. */
        String decoded()
        {
            return new String(Codings.decode(header("content-encoding"), body), StandardCharsets.UTF_8);
        }
    }

    static Received parse(final String raw)
    {
        final int headEnd = raw.indexOf("\r\n\r\n");
        assertThat(headEnd).as("a whole head in: " + raw).isPositive();
        final String head = raw.substring(0, headEnd);
        final Map<String, String> headers = new LinkedHashMap<>();
        for (final String line : head.split("\r\n"))
        {
            final int colon = line.indexOf(':');
            if (colon > 0)
            {
                headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        final byte[] rest = raw.substring(headEnd + 4).getBytes(StandardCharsets.ISO_8859_1);
        if (!"chunked".equals(headers.get("transfer-encoding")))
        {
            return new Received(head, headers, rest);
        }
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (true)
        {
            int lineEnd = at;
            while (rest[lineEnd] != '\r')
            {
                lineEnd++;
            }
            final int size = Integer.parseInt(new String(rest, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0], 16);
            if (size == 0)
            {
                return new Received(head, headers, body.toByteArray());
            }
            body.write(rest, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private EmbeddedProxy.Client client()
    {
        proxy.configure(CONFIG);
        return proxy.connect();
    }

    /** A new client's GET /x that accepts {@code codings}, sent. */
    private EmbeddedProxy.Client getAccepting(final String codings)
    {
        final EmbeddedProxy.Client client = client();
        client.send("GET /x HTTP/1.1\r\nHost: test\r\nAccept-Encoding: " + codings + "\r\n\r\n");
        return client;
    }

    /** GET with these header lines, the backend's answer, and what the client got. */
    private Received exchange(final String requestLines, final String backendResponse)
    {
        final EmbeddedProxy.Client client = client();
        client.send("GET /x HTTP/1.1\r\nHost: test\r\n" + requestLines + "\r\n");
        proxy.forwarded().answer(backendResponse);
        return parse(client.received());
    }

    private CompressionMetrics.Route counters()
    {
        return proxy.metrics().compression().route("api");
    }

    private static String ok(final String headerLines, final String body)
    {
        return "HTTP/1.1 200 OK\r\n" + headerLines + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @ParameterizedTest
    @EnumSource(ContentCoding.class)
    void aBodyOfKnownLengthIsCompressedChunkedAndDecodesToTheBackendsBytes(final ContentCoding coding)
    {
        final Received received = exchange("Accept-Encoding: " + coding.token() + "\r\n",
            ok("Content-Type: application/json\r\nETag: \"v1\"\r\nAccept-Ranges: bytes\r\n", JSON));

        assertThat(received.header("content-encoding")).isEqualTo(coding.token());
        assertThat(received.header("content-length")).isNull();
        assertThat(received.header("transfer-encoding")).isEqualTo("chunked");
        assertThat(received.header("vary")).isEqualTo("Accept-Encoding");
        assertThat(received.header("etag")).as("a strong ETag made weak").isEqualTo("W/\"v1\"");
        assertThat(received.header("accept-ranges")).isNull();
        assertThat(received.decoded()).isEqualTo(JSON);
        assertThat(received.body.length).isLessThan(JSON.length() / 2);
        assertThat(counters().responses(coding)).isEqualTo(1);
        assertThat(counters().bytesIn(coding)).isEqualTo(JSON.length());
        assertThat(counters().bytesOut(coding)).isEqualTo(received.body.length);
    }

    @Test
    void theRoutesPreferenceBreaksTiesAndQValuesWin()
    {
        assertThat(exchange("Accept-Encoding: gzip, deflate, br, zstd\r\n", ok("Content-Type: text/plain\r\n", JSON))
            .header("content-encoding")).isEqualTo("br");
        assertThat(exchange("Accept-Encoding: br;q=0.5, gzip\r\n", ok("Content-Type: text/plain\r\n", JSON))
            .header("content-encoding")).isEqualTo("gzip");
        assertThat(exchange("Accept-Encoding: br;q=0, *;q=0.3\r\n", ok("Content-Type: text/plain\r\n", JSON))
            .header("content-encoding")).isEqualTo("zstd");
    }

    @Test
    void aClientThatTakesNoCodingGetsTheBodyAsItIsWithVary()
    {
        final Received received = exchange("Accept-Encoding: gzip;q=0, identity\r\n",
            ok("Content-Type: application/json\r\nVary: Origin\r\n", JSON));

        assertThat(received.header("content-encoding")).isNull();
        assertThat(received.header("content-length")).isEqualTo(String.valueOf(JSON.length()));
        assertThat(received.header("vary")).as("merged with the backend's").isEqualTo("Origin, Accept-Encoding");
        assertThat(new String(received.body, StandardCharsets.UTF_8)).isEqualTo(JSON);
        assertThat(counters().skippedCount(CompressionSkip.NOT_ACCEPTED)).isEqualTo(1);
    }

    @Test
    void varyStarOrOneThatNamesAcceptEncodingIsKept()
    {
        assertThat(exchange("Accept-Encoding: gzip\r\n", ok("Content-Type: text/plain\r\nVary: *\r\n", JSON)).header("vary"))
            .isEqualTo("*");
        assertThat(exchange("Accept-Encoding: gzip\r\n", ok("Content-Type: text/plain\r\nVary: accept-encoding, Origin\r\n", JSON))
            .header("vary")).isEqualTo("accept-encoding, Origin");
        final Received weak = exchange("Accept-Encoding: gzip\r\n", ok("Content-Type: text/plain\r\nETag: W/\"v2\"\r\n", JSON));
        assertThat(weak.header("etag")).isEqualTo("W/\"v2\"");
    }

    static Stream<Arguments> skipped()
    {
        final String json = "Content-Type: application/json\r\n";
        return Stream.of(
            arguments("an HTTP/1.0 response", null, ok(json, JSON).replace("HTTP/1.1", "HTTP/1.0"), CompressionSkip.HTTP10),
            arguments("a 304", null, "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nContent-Type: application/json\r\n\r\n",
                CompressionSkip.STATUS),
            arguments("a 204", null, "HTTP/1.1 204 No Content\r\nContent-Type: application/json\r\n\r\n", CompressionSkip.STATUS),
            arguments("a 206", null, "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-" + (JSON.length() - 1) + "/9999\r\n"
                + json + "Content-Length: " + JSON.length() + "\r\n\r\n" + JSON, CompressionSkip.RANGE),
            arguments("a ranged request a backend answered whole",
                "GET /x HTTP/1.1\r\nHost: test\r\nRange: bytes=0-9\r\nAccept-Encoding: gzip\r\n\r\n", ok(json, JSON), CompressionSkip.RANGE),
            arguments("no-transform", null, ok(json + "Cache-Control: public, No-Transform\r\n", JSON), CompressionSkip.NO_TRANSFORM),
            arguments("a request's no-transform",
                "GET /x HTTP/1.1\r\nHost: test\r\nCache-Control: no-transform\r\nAccept-Encoding: gzip\r\n\r\n", ok(json, JSON),
                CompressionSkip.NO_TRANSFORM),
            arguments("a body encoded already", null, ok(json + "Content-Encoding: deflate\r\n", JSON), CompressionSkip.ENCODED),
            arguments("server-sent events", null, ok("Content-Type: text/event-stream\r\n", JSON), CompressionSkip.EVENT_STREAM),
            arguments("an image", null, ok("Content-Type: image/png\r\n", JSON), CompressionSkip.TYPE),
            arguments("no Content-Type", null, ok("", JSON), CompressionSkip.TYPE),
            arguments("a short body", null, ok(json, JSON.substring(0, MIN_SIZE - 1)), CompressionSkip.TOO_SMALL),
            arguments("an empty body", null, ok(json, ""), CompressionSkip.TOO_SMALL));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("skipped")
    void responsesThatMayNotBeCompressedGoOutAsTheyCame(final String description, final String request, final String response,
        final CompressionSkip reason)
    {
        final EmbeddedProxy.Client client = client();
        client.send(request != null ? request : "GET /x HTTP/1.1\r\nHost: test\r\nAccept-Encoding: gzip, br, zstd\r\n\r\n");
        proxy.forwarded().answer(response);
        final Received received = parse(client.received());

        assertThat(received.header("content-encoding")).isEqualTo(reason == CompressionSkip.ENCODED ? "deflate" : null);
        assertThat(received.header("vary")).isNull();
        assertThat(received.header("content-length")).isEqualTo(response.contains("Content-Length")
            ? response.replaceAll("(?s).*Content-Length: (\\d+).*", "$1") : null);
        assertThat(counters().skippedCount(reason)).isEqualTo(1);
    }

    @Test
    void headIsNeverCompressed()
    {
        final EmbeddedProxy.Client client = client();
        client.send("HEAD /x HTTP/1.1\r\nHost: test\r\nAccept-Encoding: gzip\r\n\r\n");
        proxy.forwarded().answer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n");

        final String head = client.received();
        assertThat(head).containsIgnoringCase("content-length: 4096").doesNotContainIgnoringCase("content-encoding").endsWith("\r\n\r\n");
        assertThat(counters().skippedCount(CompressionSkip.METHOD)).isEqualTo(1);
    }

    @Test
    void anUpgradedConnectionsBytesPassAsTheyAre()
    {
        final EmbeddedProxy.Client client = client();
        client.send("GET /ws HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nAccept-Encoding: gzip\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        // RFC 6455 1.3's answer to its sample key: the proxy checks it.
        forwarded.answer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nContent-Type: text/plain\r\n\r\n");
        assertThat(client.received()).startsWith("HTTP/1.1 101 Switching Protocols\r\n").doesNotContainIgnoringCase("content-encoding");

        forwarded.answer(JSON);
        assertThat(client.received()).isEqualTo(JSON);
        assertThat(counters().skippedCount(CompressionSkip.STATUS)).isEqualTo(1);
        forwarded.connection().close();
    }

    @Test
    void aStreamedBodyEndingBelowTheMinimumGoesOutWithItsLength()
    {
        final EmbeddedProxy.Client client = getAccepting("gzip");
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        forwarded.answer("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
        assertThat(client.received()).as("the head is held with the body").isEmpty();
        forwarded.answer("6\r\n world\r\n0\r\n\r\n");

        final Received received = parse(client.received());
        assertThat(received.header("content-length")).isEqualTo("11");
        assertThat(received.header("transfer-encoding")).isNull();
        assertThat(received.header("content-encoding")).isNull();
        assertThat(new String(received.body, StandardCharsets.US_ASCII)).isEqualTo("hello world");
        assertThat(counters().skippedCount(CompressionSkip.TOO_SMALL)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(ContentCoding.class)
    void aStreamedBodyIsHeldUpToTheMinimumThenCompressedChunkByChunk(final ContentCoding coding)
    {
        final EmbeddedProxy.Client client = getAccepting(coding.token());
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        final String part = JSON.substring(0, MIN_SIZE / 2);
        forwarded.answer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + Integer.toHexString(part.length()) + "\r\n" + part + "\r\n");
        assertThat(client.received()).as("below the minimum: nothing yet").isEmpty();

        final StringBuilder raw = new StringBuilder();
        final StringBuilder sent = new StringBuilder(part);
        for (int i = 0; i < 4; i++)
        {
            forwarded.answer(Integer.toHexString(JSON.length()) + "\r\n" + JSON + "\r\n");
            sent.append(JSON);
            final String now = client.received();
            assertThat(now).as("each chunk's output flushed as it comes").isNotEmpty();
            raw.append(now);
        }
        forwarded.answer("0\r\n\r\n");
        raw.append(client.received());

        final Received received = parse(raw.toString());
        assertThat(received.header("content-encoding")).isEqualTo(coding.token());
        assertThat(received.decoded()).isEqualTo(sent.toString());
    }

    @ParameterizedTest
    @EnumSource(ContentCoding.class)
    void aBackendResetMidBodyClosesTheEncoder(final ContentCoding coding)
    {
        final EmbeddedProxy.Client client = getAccepting(coding.token());
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        forwarded.answer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n" + JSON);
        assertThat(proxy.metrics().compression().encodersActive()).isEqualTo(1);

        forwarded.connection().close();
        assertThat(proxy.metrics().compression().encodersActive()).isZero();
        assertThat(client.isOpen()).as("only closing tells the client").isFalse();
    }

    @ParameterizedTest
    @EnumSource(ContentCoding.class)
    void aClientGoneMidBodyClosesTheEncoder(final ContentCoding coding)
    {
        final EmbeddedProxy.Client client = getAccepting(coding.token());
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        forwarded.answer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + Integer.toHexString(JSON.length()) + "\r\n" + JSON + "\r\n");
        assertThat(proxy.metrics().compression().encodersActive()).isEqualTo(1);

        client.close();
        assertThat(proxy.metrics().compression().encodersActive()).isZero();
        assertThat(forwarded.connection().isOpen()).isFalse();
    }

    @Test
    void aClientGoneWhileTheBodyIsHeldReleasesIt()
    {
        final EmbeddedProxy.Client client = getAccepting("gzip");
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        forwarded.answer("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
        client.close();
        assertThat(forwarded.connection().isOpen()).isFalse(); // the held chunk's buffer: the leak check after the test
    }

    @Test
    void theMetricsAreInTheExposition()
    {
        exchange("Accept-Encoding: gzip\r\n", ok("Content-Type: text/plain\r\n", JSON));
        exchange("", ok("Content-Type: image/png\r\n", JSON));

        final String text = proxy.metrics().prometheusText();
        assertThat(text).contains("sluice_l7_compression_responses_total{route=\"api\",algorithm=\"gzip\"} 1")
            .contains("sluice_l7_compression_bytes_in_total{route=\"api\",algorithm=\"gzip\"} " + JSON.length())
            .contains("sluice_l7_compression_skipped_total{route=\"api\",reason=\"type\"} 1")
            .contains("sluice_l7_compression_encoders_active 0");
    }
}
