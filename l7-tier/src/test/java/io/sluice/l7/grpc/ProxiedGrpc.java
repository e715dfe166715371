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
import io.sluice.l7.metrics.ConnectionSide;
import io.sluice.l7.metrics.L7Metrics;
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
final class ProxiedGrpc
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
        this(servers, poolExtra, request, "h2c");
    }

    /** @param protocol the pool's: h2c or h2. */
    ProxiedGrpc(final String servers, final String poolExtra, final String request, final String protocol)
    {
        server = new L7Server(L7ConfigLoader.parse("""
            listeners: [{ name: web, address: "127.0.0.1:%d" }]
            timeouts: { request: %s }
            routes: [{ name: grpc, to: grpc }]
            pools:
              grpc:
                protocol: %s
                servers: %s
                %s
            """.formatted(port, request, protocol, servers, poolExtra), "grpc.yaml"), 1);
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

    /**
     * A test's end (of what it got as far as making): the client and the backend close first, and
     * the proxy once it has seen both go, so that none of its connections is still open, a read
     * pending, when its event loops stop.
     */
    static void close(final ProxiedGrpc proxied, final GrpcBackend backend) throws InterruptedException
    {
        if (proxied != null)
        {
            proxied.managed.shutdownNow();
            proxied.managed.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (backend != null)
        {
            backend.close();
        }
        if (proxied != null)
        {
            final L7Metrics metrics = proxied.server.metrics();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((metrics.activeConnections(ConnectionSide.CLIENT) > 0 || metrics.activeConnections(ConnectionSide.BACKEND) > 0) &&
                System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            proxied.server.close();
        }
    }
}
