package io.sluice.l7.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.server.L7Server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * sluice in front of one h2c pool, and a grpc-java client channel to it (h2c with prior
 * knowledge, as grpc-java speaks in plaintext). The client's interceptor keeps the last call's
 * trailers.
 */
final class ProxiedGrpc implements AutoCloseable
{
    final int port = freePort();
    final L7Server server;
    final ManagedChannel managed;
    final Channel channel;
    final AtomicReference<Metadata> trailers = new AtomicReference<>();

    /**
     * @param servers   the pool's {@code servers:} list.
     * @param poolExtra more pool keys ("" for none), e.g. {@code max_streams: 10}.
     * @param request   the route's request timeout ({@code timeouts.request}).
     */
    ProxiedGrpc(final String servers, final String poolExtra, final String request)
    {
        server = new L7Server(L7ConfigLoader.parse("""
            listeners: [{ name: web, address: "127.0.0.1:%d" }]
            timeouts: { request: %s }
            routes: [{ name: grpc, to: grpc }]
            pools:
              grpc:
                protocol: h2c
                servers: %s
                %s
            """.formatted(port, request, servers, poolExtra), "grpc.yaml"), 1);
        managed = Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create()).build();
        channel = ClientInterceptors.intercept(managed,
            MetadataUtils.newCaptureMetadataInterceptor(new AtomicReference<>(), trailers));
    }

    /** One server, {@code g1}, at {@code address}. */
    static ProxiedGrpc to(final String address)
    {
        return new ProxiedGrpc("[{ name: g1, address: \"" + address + "\" }]", "", "30s");
    }

    static CallOptions within(final long seconds)
    {
        return CallOptions.DEFAULT.withDeadlineAfter(seconds, TimeUnit.SECONDS);
    }

    static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** A test's end: the proxy (if the test got as far as making one), then its backend. */
    static void close(final ProxiedGrpc proxied, final GrpcBackend backend)
    {
        if (proxied != null)
        {
            proxied.close();
        }
        backend.close();
    }

    @Override
    public void close()
    {
        managed.shutdownNow();
        try
        {
            managed.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        server.close();
    }
}
