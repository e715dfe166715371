package io.sluice.l7.tls;

import io.sluice.l7.testing.TestCertificates;

import io.netty.handler.codec.http.FullHttpRequest;
import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.metrics.TlsMetrics;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.proxy.TestBackend;
import io.sluice.l7.server.L7Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TLS listener driven by Debian's clients: curl picks certificates by name (exact and
 * wildcard) and speaks h2 or HTTP/1.1 as ALPN chose, {@code openssl s_client} sees the default
 * certificate without SNI, a refusal with {@code sni: strict}, sessions resumed on another proxy
 * that shares the ticket keys, and client certificates required, checked and passed on; plain
 * HTTP sent to the TLS port is closed and counted; a cleartext listener redirects to https.
 */
@ExtendWith(LeakTracking.class)
class TlsListenerTest
{
    @TempDir
    static Path directory;
    private static TestCertificates certificates;

    private final TestBackend backend = new TestBackend("backend");
    private final List<L7Server> servers = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() throws Exception
    {
        certificates = TestCertificates.makeIn(directory);
    }

    @AfterEach
    void close()
    {
        servers.forEach(L7Server::close);
        backend.close();
    }

    /**
     * A server with a TLS listener serving a (RSA, a.example) and b (ECDSA, b.example and
     * *.wild.example), the lines {@code tls} adds to its {@code tls:}, and a cleartext listener
     * redirecting to it.
     */
    private L7Server start(final int port, final int plainPort, final String tls)
    {
        final L7Server server = new L7Server(L7ConfigLoader.parse("""
            listeners:
              - name: secure
                address: 127.0.0.1:%d
                tls:
                  certificates:
                    - { cert: DIR/a.pem, key: DIR/a.key }
                    - { cert: DIR/b.pem, key: DIR/b.key }
            %s
              - name: plain
                address: 127.0.0.1:%d
                redirect_https: %d
            routes:
              - name: r
                filters: [{ client_cert_headers: { subject: X-Client-Subject, sans: X-Client-SANs } }]
                to: p
            pools: { p: { servers: [{ name: b1, address: "127.0.0.1:%d" }] } }
            """.formatted(port, tls, plainPort, port, backend.address().getPort()).replace("DIR", directory.toString()), "tls.yaml"), 1);
        servers.add(server);
        return server;
    }

    private L7Server start(final int port, final String tls)
    {
        return start(port, freePort(), tls);
    }

    private static List<String> curl(final int port, final String host, final String... options)
    {
        final List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "--cacert", certificates.path("ca.pem"),
            "--resolve", host + ":" + port + ":127.0.0.1", "-o", "/dev/null", "-w", "%{http_version} %{response_code}"));
        command.addAll(List.of(options));
        command.add("https://" + host + ":" + port + "/x");
        return command;
    }

    private static List<String> sClient(final int port, final String... options)
    {
        final List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
            "-CAfile", certificates.path("ca.pem")));
        command.addAll(List.of(options));
        return command;
    }

    @Test
    void curlGetsTheCertificateOfTheNameItAsksForInH2OrHttp1() throws Exception
    {
        final int port = freePort();
        final L7Server server = start(port, "");

        for (final String host : List.of("a.example", "b.example", "x.wild.example"))
        {
            // curl checks the certificate against the name: a wrong choice fails the request
            assertThat(Commands.run(curl(port, host, "--http2"), "").output()).as(host).isEqualTo("2 200");
            assertThat(Commands.run(curl(port, host, "--http1.1"), "").output()).as(host).isEqualTo("1.1 200");
        }
        assertThat(backend.seen).hasSize(6).allSatisfy((request) ->
            assertThat(request.headers().get("x-forwarded-proto")).isEqualTo("https"));
        assertThat(server.metrics().prometheusText())
            .containsPattern("sluice_l7_tls_handshakes_total\\{result=\"ok\",version=\"TLSv1\\.3\",cipher=\"TLS_[A-Z0-9_]+\","
                + "session=\"full\"} 6")
            .contains("sluice_l7_tls_handshake_duration_seconds_count{session=\"full\"} 6")
            .contains("sluice_l7_tls_certificate_expiry_seconds{listener=\"secure\",file=\"" + certificates.path("b.pem") + "\"} ");
        assertThat(server.servedCertificates()).extracting(ServedCertificate::keyType).containsExactly("RSA 2048", "EC P-256");
        assertThat(server.servedCertificates().get(1).names()).containsExactly("b.example", "*.wild.example");
    }

    @Test
    void aClientThatSendsNoNameGetsTheFirstCertificate() throws Exception
    {
        final int port = freePort();
        start(port, "");

        final String output = Commands.run(sClient(port, "-noservername", "-alpn", "h2"), "").output();

        assertThat(output).contains("subject=CN = a", "ALPN protocol: h2", "Verify return code: 0 (ok)");
    }

    @Test
    void strictSniRefusesAClientWithoutANameOrWithAnUnknownOne() throws Exception
    {
        final int port = freePort();
        final L7Server server = start(port, "      sni: strict");

        assertThat(Commands.run(sClient(port, "-noservername"), "").output()).doesNotContain("subject=");
        assertThat(Commands.run(sClient(port, "-servername", "c.example"), "").output()).doesNotContain("subject=");
        assertThat(Commands.run(sClient(port, "-servername", "b.example"), "").output()).contains("subject=CN = b");
        awaitCount(() -> server.metrics().tls().failures(TlsMetrics.Failure.SNI_REFUSED), 2);
    }

    @Test
    void plainHttpSentToTheTlsPortIsClosedAndCounted() throws Exception
    {
        final int port = freePort();
        final L7Server server = start(port, "");

        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readToEnd(socket.getInputStream())).as("nothing but the close").isEmpty();
        }
        awaitCount(() -> server.metrics().tls().failures(TlsMetrics.Failure.NOT_TLS), 1);
        assertThat(server.metrics().prometheusText())
            .contains("sluice_l7_tls_handshakes_total{result=\"not_tls\",version=\"\",cipher=\"\",session=\"\"} 1");
        assertThat(backend.seen).isEmpty();
    }

    @Test
    void tlsResponsesCarryHstsAndTheCleartextListenerRedirects() throws Exception
    {
        final int port = freePort();
        final int plainPort = freePort();
        start(port, plainPort, "      hsts: \"max-age=600\"");

        final String head = Commands.run(List.of("curl", "-sS", "-D", "-", "-o", "/dev/null", "--cacert", certificates.path("ca.pem"),
            "--resolve", "a.example:" + port + ":127.0.0.1", "https://a.example:" + port + "/x"), "").output();
        assertThat(head).contains("strict-transport-security: max-age=600");

        final String get = Commands.run(List.of("curl", "-sS", "-D", "-", "-o", "/dev/null", "-H", "Host: a.example",
            "http://127.0.0.1:" + plainPort + "/some/path?q=1"), "").output();
        assertThat(get).startsWith("HTTP/1.1 301").contains("location: https://a.example:" + port + "/some/path?q=1");
        final String post = Commands.run(List.of("curl", "-sS", "-D", "-", "-o", "/dev/null", "-H", "Host: a.example:80",
            "--data", "x=1", "http://127.0.0.1:" + plainPort + "/form"), "").output();
        assertThat(post).startsWith("HTTP/1.1 308").contains("location: https://a.example:" + port + "/form");
        assertThat(backend.seen).as("the redirects went to no backend").hasSize(1);
    }

    @Test
    void aRequiredClientCertificateIsCheckedAndPassedToTheBackend() throws Exception
    {
        final int port = freePort();
        final L7Server server = start(port, "      client_auth: required\n      client_ca: DIR/ca.pem");

        assertThat(Commands.run(curl(port, "a.example", "--cert", certificates.path("client.pem"), "--key",
            certificates.path("client.key"), "-H", "X-Client-Subject: CN=forged"), "").output()).isEqualTo("2 200");
        final FullHttpRequest seen = backend.seen.getFirst();
        assertThat(seen.headers().getAll("x-client-subject")).containsExactly("CN=client");
        assertThat(seen.headers().get("x-client-sans")).isEqualTo("DNS:client.example, URI:spiffe://sluice/test");

        assertThat(Commands.run(curl(port, "a.example"), "").status()).as("no certificate: refused").isNotZero();
        assertThat(Commands.run(curl(port, "a.example", "--cert", certificates.path("a.pem"), "--key", certificates.path("a.key")), "")
            .status()).as("a certificate for serving, not for clients").isNotZero();
        awaitCount(() -> server.metrics().tls().failures(TlsMetrics.Failure.NO_CLIENT_CERTIFICATE), 1);
        awaitCount(() -> server.metrics().tls().failures(TlsMetrics.Failure.BAD_CLIENT_CERTIFICATE), 1);
        assertThat(backend.seen).hasSize(1);
    }

    @Test
    void anOptionalClientCertificateLeavesNoRoomForForgedHeaders() throws Exception
    {
        final int port = freePort();
        start(port, "      client_auth: optional\n      client_ca: DIR/ca.pem");

        assertThat(Commands.run(curl(port, "a.example", "-H", "X-Client-Subject: CN=admin", "-H", "X-Client-SANs: DNS:admin"), "")
            .output()).isEqualTo("2 200");

        assertThat(backend.seen.getFirst().headers().contains("x-client-subject")).isFalse();
        assertThat(backend.seen.getFirst().headers().contains("x-client-sans")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    void aSessionIssuedByOneProxyResumesOnAnotherSharingItsTicketKeys(final String version) throws Exception
    {
        final int first = freePort();
        final int second = freePort();
        final int stranger = freePort();
        start(first, "      ticket_keys: DIR/tickets.key");
        final L7Server resuming = start(second, "      ticket_keys: DIR/tickets.key");
        start(stranger, "");
        final Path session = directory.resolve("session" + version);

        assertThat(resume(first, version, "-sess_out", session)).contains("New, ");
        assertThat(resume(second, version, "-sess_in", session)).contains("Reused, ");
        assertThat(resume(stranger, version, "-sess_in", session)).as("a proxy with keys of its own").contains("New, ");
        assertThat(resuming.metrics().prometheusText()).containsPattern("sluice_l7_tls_handshakes_total\\{result=\"ok\","
            + "version=\"TLSv1\\.[23]\",cipher=\"[A-Z0-9_]+\",session=\"resumed\"} 1");
    }

    /** s_client sending a request that ends the connection, so it has read the session ticket before it saves the session. */
    private static String resume(final int port, final String version, final String sessionOption, final Path session)
        throws Exception
    {
        return Commands.run(sClient(port, "-ign_eof", "-servername", "a.example", version, sessionOption, session.toString()),
            "GET / HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n").output();
    }

    /** Polls a counter the event loops update after the client saw the result. */
    static void awaitCount(final LongSupplier counter, final long expected) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (counter.getAsLong() < expected && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertThat(counter.getAsLong()).isEqualTo(expected);
    }

    /** What the peer sends until it closes; a reset is a close. */
    static byte[] readToEnd(final InputStream in) throws IOException
    {
        try
        {
            return in.readAllBytes();
        }
        catch (final SocketException ex)
        {
            return new byte[0];
        }
    }

    static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, new InetSocketAddress("127.0.0.1", 0).getAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
