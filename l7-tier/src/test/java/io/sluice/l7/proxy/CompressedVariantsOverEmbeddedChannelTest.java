package io.sluice.l7.proxy;

import io.sluice.l7.filter.compress.Codings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route that compresses and caches, through the proxy's real request path over in-memory
 * channels: the cache keeps one variant per coding the compression chooses (not one per way of
 * writing Accept-Encoding), each served to the clients that choose it, also when the compressor
 * decided only after the head went by; and {@code compress: { sse: flush }}, whose events each
 * reach the client decodable before the next one is sent.
 */
@ExtendWith(LeakTracking.class)
final class CompressedVariantsOverEmbeddedChannelTest
{
    private static final String CONFIG = """
        routes:
          - name: api
            match: { path: { prefix: /api/ } }
            compress: { min_size: 64 }
            cache: {}
            to: p
          - name: events
            match: { path: { prefix: /events } }
            compress: { sse: flush }
            to: p
        pools:
          p: { servers: [{ name: a, address: 198.18.0.1:8080 }] }
        """;
    private static final String JSON = CompressionOverEmbeddedChannelTest.json(20);

    private final EmbeddedProxy proxy = new EmbeddedProxy();

    @AfterEach
    void close()
    {
        proxy.close();
        assertThat(proxy.metrics().compression().encodersActive()).as("every encoder closed").isZero();
    }

    private EmbeddedProxy.Client client()
    {
        proxy.configure(CONFIG);
        return proxy.connect();
    }

    private static String get(final String path, final String acceptEncoding)
    {
        return "GET " + path + " HTTP/1.1\r\nHost: test\r\n" + (acceptEncoding == null ? "" : "Accept-Encoding: " + acceptEncoding
            + "\r\n") + "\r\n";
    }

    /** The response a client with this Accept-Encoding gets, from the cache (or from the backend, which answers {@code fresh}). */
    private CompressionOverEmbeddedChannelTest.Received fetch(final EmbeddedProxy.Client client, final String path,
        final String acceptEncoding, final String fresh)
    {
        client.send(get(path, acceptEncoding));
        if (fresh != null)
        {
            proxy.forwarded().answer(fresh);
        }
        assertThat(proxy.anythingForwarded()).isFalse();
        final CompressionOverEmbeddedChannelTest.Received received = CompressionOverEmbeddedChannelTest.parse(client.received());
        assertThat(received.decoded()).isEqualTo(JSON);
        return received;
    }

    @Test
    void eachCodingIsOneVariantServedToEveryClientThatChoosesIt()
    {
        final EmbeddedProxy.Client client = client();
        final String fresh = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nCache-Control: max-age=60\r\nContent-Length: "
            + JSON.length() + "\r\n\r\n" + JSON;

        final CompressionOverEmbeddedChannelTest.Received br = fetch(client, "/api/x", "gzip, deflate, br", fresh);
        assertThat(br.header("content-encoding")).isEqualTo("br");
        assertThat(br.header("cache-status")).contains("stored");
        final CompressionOverEmbeddedChannelTest.Received brAgain = fetch(client, "/api/x", "br;q=1.0, gzip", null);
        assertThat(brAgain.header("content-encoding")).isEqualTo("br");
        assertThat(brAgain.header("cache-status")).startsWith("sluice; hit");

        final CompressionOverEmbeddedChannelTest.Received gzip = fetch(client, "/api/x", "gzip", fresh);
        assertThat(gzip.header("content-encoding")).isEqualTo("gzip");
        assertThat(gzip.header("cache-status")).as("another coding, another variant").contains("fwd=vary-miss");
        assertThat(fetch(client, "/api/x", "x-gzip, identity;q=0.5", null).header("content-encoding")).isEqualTo("gzip");

        assertThat(fetch(client, "/api/x", null, fresh).header("content-encoding")).isNull();
        assertThat(fetch(client, "/api/x", "compress", null).header("content-encoding")).as("no coding of the route's")
            .isNull();
        assertThat(proxy.connections()).hasSize(1);
    }

    @Test
    void aVariantWhoseCodingWasDecidedAfterItsHeadIsStoredWithIt()
    {
        final EmbeddedProxy.Client client = client();
        final String half = JSON.substring(0, 100);
        final String rest = JSON.substring(100);
        client.send(get("/api/chunked", "zstd"));
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        forwarded.answer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nCache-Control: max-age=60\r\nETag: \"v1\"\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(half.length()) + "\r\n" + half + "\r\n");
        forwarded.answer(Integer.toHexString(rest.length()) + "\r\n" + rest + "\r\n0\r\n\r\n");
        final CompressionOverEmbeddedChannelTest.Received first = CompressionOverEmbeddedChannelTest.parse(client.received());
        assertThat(first.header("content-encoding")).isEqualTo("zstd");

        final CompressionOverEmbeddedChannelTest.Received hit = fetch(client, "/api/chunked", "zstd, gzip;q=0.5", null);
        assertThat(hit.header("content-encoding")).isEqualTo("zstd");
        assertThat(hit.header("vary")).isEqualTo("Accept-Encoding");
        assertThat(hit.header("etag")).as("weak, as the compressed response's").isEqualTo("W/\"v1\"");
        assertThat(hit.header("content-length")).isEqualTo(String.valueOf(hit.body().length));
    }

    @Test
    void withSseFlushEachEventArrivesDecodableBeforeTheNextIsSent()
    {
        final EmbeddedProxy.Client client = client();
        client.send(get("/events", "gzip"));
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        forwarded.answer("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
            + chunk("data: one\n\n"));
        final String head = client.received();
        assertThat(head).containsIgnoringCase("content-encoding: gzip");
        final ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        dechunk(head.substring(head.indexOf("\r\n\r\n") + 4), gzip);
        assertThat(inflated(gzip.toByteArray())).isEqualTo("data: one\n\n");

        forwarded.answer(chunk("data: two\n\n"));
        dechunk(client.received(), gzip);
        assertThat(inflated(gzip.toByteArray())).isEqualTo("data: one\n\ndata: two\n\n");

        forwarded.answer("0\r\n\r\n");
        dechunk(client.received(), gzip);
        assertThat(new String(Codings.decode("gzip", gzip.toByteArray()), StandardCharsets.UTF_8))
            .as("a whole gzip stream at the end").isEqualTo("data: one\n\ndata: two\n\n");
    }

    private static String chunk(final String data)
    {
        return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
    }

    /** The data of the whole chunks in {@code raw} (a char a byte), appended to {@code into}. */
    private static void dechunk(final String raw, final ByteArrayOutputStream into)
    {
        int at = 0;
        while (at < raw.length())
        {
            final int lineEnd = raw.indexOf("\r\n", at);
            final int size = Integer.parseInt(raw.substring(at, lineEnd), 16);
            into.writeBytes(raw.substring(lineEnd + 2, lineEnd + 2 + size).getBytes(StandardCharsets.ISO_8859_1));
            at = lineEnd + 2 + size + 2;
        }
    }

    /** What a gzip stream received so far decodes to: each part was flushed, so it is all there without the stream's end. */
    private static String inflated(final byte[] gzip)
    {
        final int header = 10; // the fixed gzip header: no name, comment or extra field
        final Inflater inflater = new Inflater(true);
        inflater.setInput(gzip, header, gzip.length - header);
        final byte[] out = new byte[4096];
        try
        {
            final int length = inflater.inflate(out);
            return new String(out, 0, length, StandardCharsets.UTF_8);
        }
        catch (final DataFormatException ex)
        {
            throw new AssertionError("not a gzip stream so far", ex);
        }
        finally
        {
            inflater.end();
        }
    }
}
