package io.sluice.l7.grpc;

import io.grpc.ServerCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.ClientCalls;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * h2 to backends: TLS with ALPN h2 to a grpc-java server, its chain verified against the pool's
 * CA and its name against {@code tls_server_name} (sent as SNI), and the proxy's client
 * certificate for a server that requires one; the pool's gRPC health checks go over the same TLS.
 * A wrong name or a CA that did not sign the server's certificate fail the connection, answered as
 * UNAVAILABLE.
 */
@ExtendWith(LeakTracking.class)
class Http2TlsBackendTest
{
    @TempDir
    Path directory;
    private TestCertificates certificates;
    private GrpcBackend backend;
    private ProxiedGrpc proxied;

    @BeforeEach
    void makeCertificates() throws IOException, InterruptedException
    {
        certificates = TestCertificates.makeIn(directory);
    }

    @AfterEach
    void close() throws InterruptedException
    {
        ProxiedGrpc.close(proxied, backend);
    }

    @Test
    void aServerVerifiedByTheCaAndItsNameAnswers()
    {
        backend = new GrpcBackend("tls", serverCredentials(false));
        proxied = proxy("tls_server_name: grpc.test", "ca: " + certificates.path("ca.pem"));
        assertThat(ClientCalls.blockingUnaryCall(proxied.channel, EchoService.UNARY, ProxiedGrpc.within(5), "over tls"))
            .isEqualTo("echo:over tls");
    }

    @Test
    void theServersAddressIsVerifiedWhenNoNameIsGiven()
    {
        backend = new GrpcBackend("tls", serverCredentials(false));
        proxied = proxy("ca: " + certificates.path("ca.pem"));
        assertThat(ClientCalls.blockingUnaryCall(proxied.channel, EchoService.UNARY, ProxiedGrpc.within(5), "by ip"))
            .isEqualTo("echo:by ip");
    }

    @Test
    void aClientCertificateIsShownToAServerThatRequiresOne()
    {
        backend = new GrpcBackend("mtls", serverCredentials(true));
        proxied = proxy("tls_server_name: grpc.test", "ca: " + certificates.path("ca.pem"),
            "cert: " + certificates.path("client.pem"), "key: " + certificates.path("client.key"));
        assertThat(ClientCalls.blockingUnaryCall(proxied.channel, EchoService.UNARY, ProxiedGrpc.within(5), "mutual"))
            .isEqualTo("echo:mutual");
    }

    /**
     * The server counts only the checks that reached its health service, over its TLS: a check
     * over cleartext (say) would count none, and take the only server out (fall: 2), the call
     * with it. The timeout leaves room for a cold first handshake on a loaded machine.
     */
    @Test
    void grpcHealthChecksPassOverTheSameTls() throws InterruptedException
    {
        backend = new GrpcBackend("tls", serverCredentials(false));
        proxied = proxy("tls_server_name: grpc.test", "ca: " + certificates.path("ca.pem"),
            "health: { grpc: true, interval: 400ms, timeout: 350ms, rise: 1, fall: 2 }");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (backend.healthChecks() < 3)
        {
            assertThat(System.nanoTime()).as("three checks within 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(ClientCalls.blockingUnaryCall(proxied.channel, EchoService.UNARY, ProxiedGrpc.within(5), "healthy"))
            .isEqualTo("echo:healthy");
    }

    @Test
    void anotherNameThanTheCertificatesFailsTheConnection()
    {
        backend = new GrpcBackend("tls", serverCredentials(false));
        proxied = proxy("tls_server_name: other.test", "ca: " + certificates.path("ca.pem"));
        assertUnavailable();
    }

    @Test
    void aCaThatDidNotSignTheServerFailsTheConnection()
    {
        backend = new GrpcBackend("tls", serverCredentials(false));
        proxied = proxy("tls_server_name: grpc.test", "ca: " + certificates.path("other-ca.pem"));
        assertUnavailable();
    }

    private void assertUnavailable()
    {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(proxied.channel, EchoService.UNARY, ProxiedGrpc.within(5), "x"))
            .isInstanceOfSatisfying(StatusRuntimeException.class, (failure) ->
            {
                assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(failure.getStatus().getDescription()).startsWith("cannot connect to the backend");
            });
    }

    private ProxiedGrpc proxy(final String... tlsKeys)
    {
        return new ProxiedGrpc("[{ name: g1, address: \"" + backend.address() + "\" }]",
            String.join("\n    ", tlsKeys), "30s", "h2");
    }

    private ServerCredentials serverCredentials(final boolean requireClientCertificate)
    {
        try
        {
            final TlsServerCredentials.Builder credentials = TlsServerCredentials.newBuilder()
                .keyManager(certificates.file("grpc.pem").toFile(), certificates.file("grpc.key").toFile());
            if (requireClientCertificate)
            {
                credentials.trustManager(certificates.file("ca.pem").toFile())
                    .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
            }
            return credentials.build();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
