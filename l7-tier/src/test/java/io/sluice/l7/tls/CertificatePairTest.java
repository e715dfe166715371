package io.sluice.l7.tls;

import io.sluice.l7.metrics.TlsMetrics;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.proxy.TestBackend;
import io.sluice.l7.server.L7Server;
import io.sluice.l7.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An RSA certificate (a) and an ECDSA one (a2) for the same name, as nginx's two
 * {@code ssl_certificate} lines serve them: {@code openssl s_client} gets the ECDSA one when it
 * offers an ECDSA signature algorithm (TLS 1.3) or an ECDHE-ECDSA suite (TLS 1.2), else the RSA
 * one; curl, which offers both, gets ECDSA, with a name and without, and RSA when it offers RSA
 * suites only (TLS 1.2). A ClientHello broken on purpose is refused and counted.
 */
@ExtendWith(LeakTracking.class)
class CertificatePairTest
{
    @TempDir
    static Path directory;
    private static TestCertificates certificates;

    private final TestBackend backend = new TestBackend("backend");
    private final int port = TlsListenerTest.freePort();
    private L7Server server;

    @BeforeAll
    static void makeCertificates() throws Exception
    {
        certificates = TestCertificates.makeIn(directory);
    }

    private void start()
    {
        server = new L7Server(TlsListeners.config(directory, port, """
                    - { cert: DIR/a.pem, key: DIR/a.key }
                    - { cert: DIR/a2.pem, key: DIR/a2.key }
                    - { cert: DIR/b.pem, key: DIR/b.key }
            """, backend.address().getPort(), "pair.yaml"), 1);
    }

    @AfterEach
    void close()
    {
        if (server != null)
        {
            server.close();
        }
        backend.close();
    }

    @ParameterizedTest(name = "{0} {1} {2}: {3}")
    @CsvSource(delimiter = '|', value = {
        "-tls1_3 | -sigalgs | ECDSA+SHA256                       | a2",
        "-tls1_3 | -sigalgs | RSA-PSS+SHA256:RSA+SHA256          | a",
        "-tls1_3 | -sigalgs | ECDSA+SHA384:RSA-PSS+SHA256        | a",
        "-tls1_2 | -cipher  | ECDHE-ECDSA-AES128-GCM-SHA256      | a2",
        "-tls1_2 | -cipher  | ECDHE-RSA-AES128-GCM-SHA256        | a",
        "-tls1_2 | -cipher  | ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384 | a2"})
    void opensslGetsTheCertificateItsClientHelloCanVerify(final String version, final String option, final String value,
        final String served) throws Exception
    {
        start();

        final String output = Commands.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-CAfile",
            certificates.path("ca.pem"), "-servername", "a.example", version, option, value), "").output();

        // ECDSA+SHA384 is P-384's scheme in TLS 1.3, and a2's key is on P-256: RSA then
        assertThat(output).containsPattern("subject=CN = " + served + "\\R").contains("Verify return code: 0 (ok)");
        assertThat(output).contains("Peer signature type: " + ("a2".equals(served) ? "ECDSA" : "RSA"));
    }

    /** Without a name (an address in the URL) curl gets the default: the first certificate with its pair. */
    @Test
    void curlGetsEcdsaWithANameAndWithoutAndRsaWhenItOffersOnlyRsaSuites() throws Exception
    {
        start();

        for (final String host : List.of("a.example", "127.0.0.1"))
        {
            assertThat(curl(host)).as(host).contains("subject: CN=a2", "< HTTP/2 200");
            assertThat(curl(host, "--tls-max", "1.2", "--ciphers", "ECDHE-RSA-AES128-GCM-SHA256")).as(host)
                .containsPattern("subject: CN=a\\R").contains("< HTTP/2 200");
        }
        assertThat(server.servedCertificates()).extracting(ServedCertificate::keyType).containsExactly("RSA 2048", "EC P-256",
            "EC P-256");
        assertThat(server.servedCertificates().get(0).names()).isEqualTo(server.servedCertificates().get(1).names());
    }

    private String curl(final String host, final String... options) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of("curl", "-sS", "-v", "--max-time", "10", "--cacert",
            certificates.path("ca.pem"), "--resolve", "a.example:" + port + ":127.0.0.1", "-k", "-o", "/dev/null"));
        command.addAll(List.of(options));
        command.add("https://" + host + ":" + port + "/x");
        return Commands.run(command, "").output();
    }

    @Test
    void aMalformedClientHelloIsRefusedAndCounted() throws Exception
    {
        start();

        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(5000);
            // a handshake record holding a ClientHello whose cipher_suites length runs past its end
            final byte[] body = new byte[39];
            body[0] = 3;
            body[1] = 3;
            body[35] = 0x7f; // after version, random and an empty session id: a cipher_suites length of 0x7f7f
            body[36] = 0x7f;
            body[37] = 1;
            final byte[] record = new byte[9 + body.length];
            record[0] = 22;
            record[1] = 3;
            record[2] = 1;
            record[4] = (byte)(4 + body.length);
            record[5] = 1;
            record[8] = (byte)body.length;
            System.arraycopy(body, 0, record, 9, body.length);
            socket.getOutputStream().write(record);
            assertThat(TlsListenerTest.readToEnd(socket.getInputStream())).as("nothing but the close").isEmpty();
        }
        TlsListenerTest.awaitCount(() -> server.metrics().tls().failures(TlsMetrics.Failure.MALFORMED_CLIENT_HELLO), 1);
        assertThat(server.metrics().prometheusText()).contains(
            "sluice_l7_tls_handshakes_total{result=\"malformed_client_hello\",version=\"\",cipher=\"\",session=\"\"} 1");
        assertThat(backend.seen).isEmpty();
    }
}
