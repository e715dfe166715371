package io.sluice.l7.tls;

import io.sluice.l7.testing.TestCertificates;

import io.sluice.l7.config.ConfigException;
import io.sluice.l7.config.L7Config;
import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.proxy.RawHttp;
import io.sluice.l7.proxy.TestBackend;
import io.sluice.l7.server.L7Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A certificate renewed under load: its files replaced (as certbot or a Kubernetes secret does)
 * while one client sends requests over a keep-alive connection and another opens a connection
 * per request. No request fails; the next handshakes get the new certificate, the open connection
 * keeps the old one. A renewal gone wrong (a key that does not match) is refused, by the watcher
 * and by a reload alike, and the last good certificate goes on serving.
 */
@ExtendWith(LeakTracking.class)
class CertificateSwapTest
{
    @TempDir
    Path directory;
    private TestCertificates certificates;
    private final TestBackend backend = new TestBackend("backend");
    private final int port = TlsListenerTest.freePort();
    private L7Server server;
    private SSLContext client;

    @BeforeEach
    void start() throws Exception
    {
        certificates = TestCertificates.makeIn(directory);
        Files.copy(certificates.file("a.pem"), directory.resolve("served.pem"));
        Files.copy(certificates.file("a.key"), directory.resolve("served.key"));
        server = new L7Server(config(), 1);
        client = trusting(certificates.file("ca.pem"));
    }

    private L7Config config()
    {
        return L7ConfigLoader.parse("""
            listeners:
              - name: secure
                address: 127.0.0.1:%d
                tls: { certificates: [{ cert: %s, key: %s }] }
            routes: [{ name: r, to: p }]
            pools: { p: { servers: [{ name: b1, address: "127.0.0.1:%d" }] } }
            """.formatted(port, directory.resolve("served.pem"), directory.resolve("served.key"), backend.address().getPort()),
            "swap.yaml");
    }

    @AfterEach
    void close()
    {
        server.close();
        backend.close();
    }

    @Test
    void aCertificateSwappedUnderLoadFailsNoRequest() throws Exception
    {
        final AtomicInteger failures = new AtomicInteger();
        final AtomicInteger keptAlive = new AtomicInteger();
        final AtomicReference<String> newConnectionsSee = new AtomicReference<>("RSA");
        final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        try (SSLSocket open = connect())
        {
            final Thread keepAlive = Thread.ofPlatform().start(() -> load(failures, firstFailure, () ->
            {
                assertThat(RawHttp.get(open, "/kept").status()).isEqualTo(200);
                keptAlive.incrementAndGet();
            }));
            final Thread newConnections = Thread.ofPlatform().start(() -> load(failures, firstFailure, () ->
            {
                try (SSLSocket socket = connect())
                {
                    assertThat(RawHttp.get(socket, "/new", "Connection: close\r\n").status()).isEqualTo(200);
                    newConnectionsSee.set(socket.getSession().getPeerCertificates()[0].getPublicKey().getAlgorithm());
                }
            }));
            Thread.sleep(300);
            certificates.renew("a2.pem", "served.pem");
            certificates.renew("a2.key", "served.key");
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (!"EC".equals(newConnectionsSee.get()) && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
            }
            Thread.sleep(300);
            keepAlive.interrupt();
            newConnections.interrupt();
            keepAlive.join();
            newConnections.join();

            assertThat(firstFailure.get()).as("the first failure").isNull();
            assertThat(failures.get()).isZero();
            assertThat(newConnectionsSee.get()).as("new handshakes get the new (ECDSA) certificate").isEqualTo("EC");
            assertThat(keptAlive.get()).isPositive();
            assertThat(open.getSession().getPeerCertificates()[0].getPublicKey().getAlgorithm())
                .as("the open connection keeps the old (RSA) one").isEqualTo("RSA");
            assertThat(RawHttp.get(open, "/after").status()).isEqualTo(200);
        }
        assertThat(server.servedCertificates().getFirst().keyType()).isEqualTo("EC P-256");
    }

    @Test
    void aRenewalWithTheWrongKeyIsRefusedAndTheOldCertificateServes() throws Exception
    {
        certificates.renew("a2.pem", "served.pem"); // a2's certificate with a's key: they do not match

        Thread.sleep(3000); // the watcher looks every second, and takes files once they have stayed still for a look
        try (SSLSocket socket = connect())
        {
            assertThat(RawHttp.get(socket, "/x").status()).isEqualTo(200);
            assertThat(socket.getSession().getPeerCertificates()[0].getPublicKey().getAlgorithm()).isEqualTo("RSA");
        }
        assertThatThrownBy(() -> server.reload(config()))
            .isInstanceOf(ConfigException.class)
            .hasMessage("swap.yaml:4: listeners[0].tls.certificates[0]: key " + directory.resolve("served.key")
                + " does not match certificate " + directory.resolve("served.pem"));

        certificates.renew("a2.key", "served.key");
        server.reload(config());
        try (SSLSocket socket = connect())
        {
            assertThat(RawHttp.get(socket, "/x").status()).isEqualTo(200);
            assertThat(socket.getSession().getPeerCertificates()[0].getPublicKey().getAlgorithm()).isEqualTo("EC");
        }
    }

    /** Runs {@code request} until interrupted, counting what fails. */
    private static void load(final AtomicInteger failures, final AtomicReference<Throwable> firstFailure, final Request request)
    {
        while (!Thread.currentThread().isInterrupted())
        {
            try
            {
                request.run();
            }
            catch (final Exception | AssertionError ex)
            {
                failures.incrementAndGet();
                firstFailure.compareAndSet(null, ex);
            }
        }
    }

    @FunctionalInterface
    private interface Request
    {
        void run() throws Exception;
    }

    private SSLSocket connect() throws IOException
    {
        final SSLSocket socket = (SSLSocket)client.getSocketFactory().createSocket("127.0.0.1", port);
        final SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName("a.example"))); // the chain is checked against the CA; the name by SNI's choice
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(5000);
        socket.startHandshake();
        return socket;
    }

    private static SSLContext trusting(final Path ca) throws Exception
    {
        final KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (var in = Files.newInputStream(ca))
        {
            trusted.setCertificateEntry("ca", (X509Certificate)CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
