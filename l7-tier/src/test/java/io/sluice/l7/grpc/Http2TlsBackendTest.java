package io.sluice.l7.grpc;

import io.grpc.ServerCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.ClientCalls;
import io.sluice.l7.proxy.LeakTracking;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
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
    private final TestCertificates certificates = new TestCertificates();
    private GrpcBackend backend;
    private ProxiedGrpc proxied;

    @AfterEach
    void close() throws IOException, InterruptedException
    {
        ProxiedGrpc.close(proxied, backend);
        certificates.close();
    }

    @Test
    void aServerVerifiedByTheCaAndItsNameAnswers()
    {
        backend = new GrpcBackend("tls", serverCredentials(false));
        proxied = proxy("tls_server_name: grpc.test", "ca: " + certificates.ca);
        assertThat(ClientCalls.blockingUnaryCall(proxied.channel, EchoService.UNARY, ProxiedGrpc.within(5), "over tls"))
            .isEqualTo("echo:over tls");
    }

    @Test
    void theServersAddressIsVerifiedWhenNoNameIsGiven()
    {
        backend = new GrpcBackend("tls", serverCredentials(false));
        proxied = proxy("ca: " + certificates.ca);
        assertThat(ClientCalls.blockingUnaryCall(proxied.channel, EchoService.UNARY, ProxiedGrpc.within(5), "by ip"))
            .isEqualTo("echo:by ip");
    }

    @Test
    void aClientCertificateIsShownToAServerThatRequiresOne()
    {
        backend = new GrpcBackend("mtls", serverCredentials(true));
        proxied = proxy("tls_server_name: grpc.test", "ca: " + certificates.ca, "cert: " + certificates.clientCert,
            "key: " + certificates.clientKey);
        assertThat(ClientCalls.blockingUnaryCall(proxied.channel, EchoService.UNARY, ProxiedGrpc.within(5), "mutual"))
            .isEqualTo("echo:mutual");
    }

    /** A check that failed (over cleartext, say) would take the only server out at once (fall: 1), and the call with it. */
    @Test
    void grpcHealthChecksPassOverTheSameTls() throws InterruptedException
    {
        backend = new GrpcBackend("tls", serverCredentials(false));
        proxied = proxy("tls_server_name: grpc.test", "ca: " + certificates.ca,
            "health: { grpc: true, interval: 200ms, timeout: 150ms, rise: 1, fall: 1 }");
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
        proxied = proxy("tls_server_name: other.test", "ca: " + certificates.ca);
        assertUnavailable();
    }

    @Test
    void aCaThatDidNotSignTheServerFailsTheConnection()
    {
        backend = new GrpcBackend("tls", serverCredentials(false));
        proxied = proxy("tls_server_name: grpc.test", "ca: " + certificates.otherCa);
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
                .keyManager(certificates.serverCert.toFile(), certificates.serverKey.toFile());
            if (requireClientCertificate)
            {
                credentials.trustManager(certificates.ca.toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
            }
            return credentials.build();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
