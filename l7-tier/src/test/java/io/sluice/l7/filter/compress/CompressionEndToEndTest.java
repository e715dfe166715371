package io.sluice.l7.filter.compress;

import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.metrics.CompressionMetrics;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.server.L7Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compression end to end: curl (which decodes gzip, br and zstd with the system's zlib, libbrotli
 * and libzstd) asks a real proxy for a backend's JSON, whole (Content-Length) and streamed
 * (chunked), with --compressed and with explicit Accept-Encoding values and q-values, over
 * HTTP/1.1 and HTTP/2; the bytes it decodes are the backend's. A client that reads slowly makes the backend wait: the proxy
 * never holds the whole response.
 */
@ExtendWith(LeakTracking.class)
class CompressionEndToEndTest
{
    private final CompressibleBackend backend = new CompressibleBackend();
    private final int port = freePort();
    private final L7Server server = new L7Server(L7ConfigLoader.parse("""
        listeners: [{ name: web, address: "127.0.0.1:%d" }]
        timeouts: { request: 5m }
        routes:
          - name: api
            compress: { levels: { gzip: 1 } }
            to: api
        pools:
          api: { servers: [{ name: a, address: "127.0.0.1:%d" }] }
        """.formatted(port, backend.address().getPort()), "compress.yaml"), 2);

    @AfterEach
    void close()
    {
        server.close();
        backend.close();
    }

    /** What curl wrote: the response head's lines, lower-cased, and the body as it saved it. */
    private record Fetched(String head, byte[] body)
    {
        String contentEncoding()
        {
            return head.lines().filter((line) -> line.startsWith("content-encoding:")).map((line) -> line.substring(17).strip())
                .findFirst().orElse(null);
        }
    }

    /** @param options curl's options after its own (-sS, -D, -o), and {@code --compressed} when {@code decode}. */
    private Fetched curl(final String path, final boolean decode, final String acceptEncoding, final Path directory,
        final String... options) throws IOException, InterruptedException
    {
        final Path head = directory.resolve("head");
        final Path body = directory.resolve("body");
        final List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-D", head.toString(),
            "-o", body.toString()));
        if (decode)
        {
            command.add("--compressed");
        }
        command.addAll(List.of(options));
        if (acceptEncoding != null)
        {
            command.addAll(List.of("-H", "Accept-Encoding: " + acceptEncoding));
        }
        command.add("http://127.0.0.1:" + port + path);
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return new Fetched(Files.readString(head).toLowerCase(Locale.ROOT), Files.readAllBytes(body));
    }

    @ParameterizedTest(name = "[{index}] {0} {1}, Accept-Encoding: {2}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
        "/doc    | --compressed | none                               | br",
        "/stream | --compressed | none                               | br",
        "/doc    | --compressed | gzip                               | gzip",
        "/stream | --compressed | gzip                               | gzip",
        "/doc    | --compressed | br                                 | br",
        "/doc    | --compressed | zstd                               | zstd",
        "/stream | --compressed | zstd                               | zstd",
        "/doc    | --compressed | 'br;q=0.5, gzip;q=0.8, zstd;q=0'   | gzip",
        "/stream | --compressed | 'zstd;q=0.9, gzip;q=0.9, br;q=0.1' | zstd",
        "/doc    | --compressed | identity                           | none",
        "/doc    | raw          | none                               | none",
    })
    void curlDecodesTheBackendsBytes(final String path, final String mode, final String acceptEncoding, final String expected,
        @org.junit.jupiter.api.io.TempDir final Path directory) throws Exception
    {
        final Fetched fetched = curl(path, mode.equals("--compressed"), acceptEncoding, directory);

        assertThat(fetched.head()).startsWith("http/1.1 200");
        assertThat(fetched.contentEncoding()).isEqualTo(expected);
        assertThat(fetched.body()).as("curl decoded the backend's bytes").isEqualTo(CompressibleBackend.DOCUMENT);
        if (expected != null)
        {
            assertThat(fetched.head()).contains("vary: accept-encoding").doesNotContain("content-length");
        }
        if (path.equals("/doc"))
        {
            assertThat(fetched.head()).contains(expected == null ? "etag: \"doc-1\"" : "etag: w/\"doc-1\"");
        }
    }

    @ParameterizedTest
    @CsvSource({"/doc, zstd", "/stream, br", "/stream, gzip"})
    void anHttp2ClientGetsTheCodedBodyInDataFrames(final String path, final String coding,
        @org.junit.jupiter.api.io.TempDir final Path directory) throws Exception
    {
        final Fetched fetched = curl(path, true, coding, directory, "--http2-prior-knowledge");

        assertThat(fetched.head()).startsWith("http/2 200").doesNotContain("transfer-encoding").doesNotContain("content-length");
        assertThat(fetched.contentEncoding()).isEqualTo(coding);
        assertThat(fetched.body()).isEqualTo(CompressibleBackend.DOCUMENT);
    }

    @ParameterizedTest
    @CsvSource({"gzip", "br", "zstd"})
    void theCodedBytesDecodeWithTheLibrariesToo(final String coding, @org.junit.jupiter.api.io.TempDir final Path directory)
        throws Exception
    {
        final Fetched raw = curl("/stream", false, coding, directory);

        assertThat(raw.contentEncoding()).isEqualTo(coding);
        assertThat(raw.body().length).isLessThan(CompressibleBackend.DOCUMENT.length / 4);
        assertThat(Codings.decode(coding, raw.body())).isEqualTo(CompressibleBackend.DOCUMENT);
        final CompressionMetrics.Route counters = server.metrics().compression().route("api");
        assertThat(counters.bytesIn(io.sluice.l7.config.ContentCoding.of(coding))).isEqualTo(CompressibleBackend.DOCUMENT.length);
        assertThat(counters.bytesOut(io.sluice.l7.config.ContentCoding.of(coding))).isEqualTo(raw.body().length);
    }

    @Test
    void aSlowClientPacesTheBackendAndGetsTheWholeBody() throws Exception
    {
        try (Socket socket = new Socket())
        {
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            socket.getOutputStream().write(ChunkedBody.ascii("GET /big HTTP/1.1\r\nHost: test\r\nAccept-Encoding: gzip\r\n\r\n"));
            final InputStream in = new BufferedInputStream(socket.getInputStream());
            assertThat(ChunkedBody.head(in)).startsWith("HTTP/1.1 200").contains("content-encoding: gzip");
            final InputStream body = new GZIPInputStream(new ChunkedBody(in), 16 * 1024);
            final MessageDigest received = sha256();
            final byte[] buffer = new byte[16 * 1024];
            received.update(buffer, 0, body.readNBytes(buffer, 0, buffer.length));

            final long stalled = writtenOnceStalled();
            // A proxy that took the whole body while the client waits would let the backend write it all; what it may
            // not write is in the sockets' buffers (loopback autotunes a receive buffer up to tcp_rmem's 32 MiB here).
            assertThat(stalled).as("the backend waits while the client does not read").isLessThan(CompressibleBackend.BIG_BYTES);

            long total = buffer.length;
            int read;
            while ((read = body.read(buffer)) > 0)
            {
                received.update(buffer, 0, read);
                total += read;
            }
            assertThat(total).isEqualTo(CompressibleBackend.BIG_BYTES);
            assertThat(received.digest()).as("the decoded body is the backend's").isEqualTo(bigDigest());
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.metrics().compression().encodersActive() != 0 && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
        assertThat(server.metrics().compression().encodersActive()).isZero();
    }

    /** The backend's count of /big bytes written, once it has not grown for half a second. */
    private long writtenOnceStalled() throws InterruptedException
    {
        long last = -1;
        for (int i = 0; i < 40; i++)
        {
            Thread.sleep(500);
            final long now = backend.bigWritten.get();
            if (now == last)
            {
                return now;
            }
            last = now;
        }
        throw new AssertionError("the backend kept writing: " + last + " bytes");
    }

    private static byte[] bigDigest()
    {
        final MessageDigest digest = sha256();
        for (long i = 0; i * 16 * 1024 < CompressibleBackend.BIG_BYTES; i++)
        {
            digest.update(CompressibleBackend.bigChunk(i).array());
        }
        return digest.digest();
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** A port free a moment ago: the configuration names a fixed one. */
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
