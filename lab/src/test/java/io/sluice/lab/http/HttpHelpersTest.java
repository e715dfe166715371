package io.sluice.lab.http;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The backend and the load client against each other on loopback: no namespaces needed. */
class HttpHelpersTest
{
    private HttpServer backend;
    private InetSocketAddress address;

    @BeforeEach
    void startBackend() throws IOException
    {
        backend = HttpBackend.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "real7");
        address = new InetSocketAddress(InetAddress.getLoopbackAddress(), backend.getAddress().getPort());
    }

    @AfterEach
    void stopBackend()
    {
        backend.stop(0);
    }

    @Test
    void loadCountsEveryAnswerByTheBackendThatServedIt()
    {
        final LoadReport report = HttpLoad.run(address, "localhost", "/", 50, 4, 5_000, 0);

        assertThat(report.requests()).isEqualTo(50);
        assertThat(report.ok()).isEqualTo(50);
        assertThat(report.servedBy()).isEqualTo(Map.of("real7", 50L));
        assertThat(report.clientAddresses()).isEqualTo(Map.of("127.0.0.1", 50L));
        assertThat(report.failures()).isEmpty();
    }

    @Test
    void oneKeepAliveConnectionCarriesManyRequests() throws IOException
    {
        try (Socket socket = new Socket(address.getAddress(), address.getPort()))
        {
            final InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < 3; i++)
            {
                HttpReply.writeGet(socket.getOutputStream(), "localhost", "/any/path", true);
                final HttpReply reply = HttpReply.read(in);

                assertThat(reply.status()).isEqualTo(200);
                assertThat(reply.body()).isEqualTo("real7\n");
                assertThat(reply.servedBy()).isEqualTo("real7");
            }
        }
    }

    @Test
    void refusedConnectionsAreCountedAsFailures() throws IOException
    {
        final int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            closedPort = probe.getLocalPort();
        }

        final LoadReport report = HttpLoad.run(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort), "localhost", "/", 5, 2, 2_000, 0);

        assertThat(report.ok()).isZero();
        assertThat(report.failed()).isEqualTo(5);
        assertThat(report.failures().keySet()).singleElement().asString().contains("Connection refused");
    }

    @Test
    void loadStopsEarlyOnceTooManyRequestsFailed() throws IOException
    {
        final int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            closedPort = probe.getLocalPort();
        }

        final LoadReport report = HttpLoad.run(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort), "localhost", "/", 1_000, 1, 2_000, 3);

        assertThat(report.requests()).isEqualTo(3);
        assertThat(report.failed()).isEqualTo(3);
    }

    @Test
    void replyParsingRejectsWhatIsNotAnHttpResponse()
    {
        assertThatThrownBy(() -> HttpReply.read(stream("SSH-2.0-OpenSSH\r\n\r\n"))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> HttpReply.read(stream("HTTP/1.1 200 OK\r\nX: y\r\n\r\nbody")))
            .hasMessageContaining("Content-Length");
        assertThatThrownBy(() -> HttpReply.read(stream("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort")))
            .hasMessageContaining("5 of 9");
        assertThatThrownBy(() -> HttpReply.read(stream(""))).hasMessageContaining("before a response");
    }

    @Test
    void replyParsingReadsHeadersCaseInsensitivelyAndStopsAtTheBody() throws IOException
    {
        final InputStream in = stream("HTTP/1.1 503 Busy\r\nX-SERVED-BY: real2\r\ncontent-length: 3\r\n\r\nabcNEXT");

        final HttpReply reply = HttpReply.read(in);

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.servedBy()).isEqualTo("real2");
        assertThat(reply.body()).isEqualTo("abc");
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("NEXT");
    }

    private static InputStream stream(final String text)
    {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }
}
