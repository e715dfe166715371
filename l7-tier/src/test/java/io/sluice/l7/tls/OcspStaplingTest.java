package io.sluice.l7.tls;

import io.sluice.l7.config.ConfigException;
import io.sluice.l7.config.L7Config;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.proxy.TestBackend;
import io.sluice.l7.server.L7Server;
import io.sluice.l7.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * OCSP stapling from a file, as nginx's {@code ssl_stapling_file}: {@code openssl s_client
 * -status} and {@code curl --cert-status} get the response {@code openssl ocsp} made; the
 * staple's nextUpdate is a metric; a response that is not a good, current one for the
 * certificate refuses the configuration in one line, and on a reload or a change of the file
 * the running staple goes on serving; a new good response is taken by the file watcher.
 */
@ExtendWith(LeakTracking.class)
class OcspStaplingTest
{
    @TempDir
    Path directory;
    private TestCertificates certificates;
    private final TestBackend backend = new TestBackend("backend");
    private final int port = TlsListenerTest.freePort();
    private L7Server server;

    @BeforeEach
    void start() throws Exception
    {
        certificates = TestCertificates.makeIn(directory);
        Files.copy(certificates.file("stapled.ocsp"), directory.resolve("served.ocsp"));
        server = new L7Server(config("served.ocsp"), 1);
    }

    private L7Config config(final String ocsp)
    {
        return TlsListeners.config(directory, port, """
                    - { cert: DIR/stapled-chain.pem, key: DIR/stapled.key, ocsp: DIR/%s }
            """.formatted(ocsp), backend.address().getPort(), "ocsp.yaml");
    }

    @AfterEach
    void close()
    {
        server.close();
        backend.close();
    }

    private String status() throws Exception
    {
        return Commands.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-CAfile",
            certificates.path("ca.pem"), "-servername", "stapled.example", "-status"), "").output();
    }

    @Test
    void opensslAndCurlGetTheStapledResponse() throws Exception
    {
        assertThat(status()).contains("OCSP Response Status: successful (0x0)", "Cert Status: good",
            "Responder Id: CN = sluice test CA", "Verify return code: 0 (ok)");
        assertThat(Commands.run(List.of("curl", "-sS", "--max-time", "10", "--cert-status", "--cacert",
            certificates.path("ca.pem"), "--resolve", "stapled.example:" + port + ":127.0.0.1", "-o", "/dev/null", "-w", "%{response_code}",
            "https://stapled.example:" + port + "/x"), "").output()).isEqualTo("200");
        assertThat(server.metrics().prometheusText()).containsPattern(
            "sluice_l7_tls_ocsp_next_update_seconds\\{listener=\"secure\",file=\""
                + Pattern.quote(directory.resolve("stapled-chain.pem").toString()) + "\"} 8[0-9]{4}\\R");
        assertThat(server.servedCertificates().getFirst().ocspNextUpdate()).isAfter(Instant.now());
    }

    @Test
    void aResponseForAnotherCertificateRefusesTheConfigurationInOneLine()
    {
        assertThatThrownBy(() -> config("revoked.ocsp"))
            .isInstanceOf(ConfigException.class)
            .hasMessage("ocsp.yaml:6: listeners[0].tls.certificates[0]: ocsp " + directory.resolve("revoked.ocsp")
                + " is for another certificate (serial 0x1002), not certificate " + directory.resolve("stapled-chain.pem")
                + " (serial 0x1001)");
        assertThatThrownBy(() -> config("missing.ocsp"))
            .hasMessage("ocsp.yaml:6: listeners[0].tls.certificates[0]: ocsp " + directory.resolve("missing.ocsp")
                + ": no such file");
    }

    @Test
    void aBadResponseOnReloadOrFromTheWatcherLeavesTheRunningStapleServing() throws Exception
    {
        certificates.renew("stapled-stranger.ocsp", "served.ocsp");
        Thread.sleep(3000); // the watcher looks every second, and takes files once they have stayed still for a look
        assertThat(status()).contains("Cert Status: good", "Responder Id: CN = sluice test CA");
        assertThatThrownBy(() -> server.reload(config("served.ocsp")))
            .isInstanceOf(ConfigException.class)
            .hasMessage("ocsp.yaml:6: listeners[0].tls.certificates[0]: ocsp " + directory.resolve("served.ocsp")
                + " is not signed by CN=sluice test CA, the issuer of certificate " + directory.resolve("stapled-chain.pem")
                + " (serial 0x1001), nor by an OCSP responder it delegated to");

        certificates.renew("stapled-delegated.ocsp", "served.ocsp");
        final long deadline = System.nanoTime() + 10_000_000_000L;
        String status = status();
        while (!status.contains("Responder Id: CN = responder") && System.nanoTime() < deadline)
        {
            Thread.sleep(200);
            status = status();
        }
        assertThat(status).as("the watcher took the new response").contains("Responder Id: CN = responder", "Cert Status: good");
    }
}
