package io.sluice.l7.grpc;

import io.grpc.Attributes;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.Server;
import io.grpc.ServerTransportFilter;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real gRPC server (grpc-java on its shaded Netty, h2c) serving {@link EchoService} on a free
 * loopback port, counting the connections it accepted: how many the proxy opened to it.
 */
final class GrpcBackend implements AutoCloseable
{
    private final Server server;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger healthChecks = new AtomicInteger();
    /** {@link EchoService#HELD} calls answer once this is counted down. */
    final CountDownLatch release = new CountDownLatch(1);

    GrpcBackend(final String name)
    {
        this(name, (Duration)null);
    }

    /** @param maxConnectionAge after about this long (±10 %) the server sends each connection a GOAWAY; null for never. */
    GrpcBackend(final String name, final Duration maxConnectionAge)
    {
        this(name, maxConnectionAge, InsecureServerCredentials.create());
    }

    /** Over TLS (h2 chosen by ALPN), with these credentials. */
    GrpcBackend(final String name, final ServerCredentials credentials)
    {
        this(name, null, credentials);
    }

    private GrpcBackend(final String name, final Duration maxConnectionAge, final ServerCredentials credentials)
    {
        final NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), credentials)
            .addService(EchoService.definition(name, release, held))
            .addService(EchoService.health(healthChecks))
            .addTransportFilter(new ServerTransportFilter()
            {
                @Override
                public Attributes transportReady(final Attributes attributes)
                {
                    connections.incrementAndGet();
                    return attributes;
                }
            });
        if (maxConnectionAge != null)
        {
            builder.maxConnectionAge(maxConnectionAge.toMillis(), TimeUnit.MILLISECONDS)
                .maxConnectionAgeGrace(1, TimeUnit.MINUTES);
        }
        try
        {
            server = builder.build().start();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    String address()
    {
        return "127.0.0.1:" + server.getPort();
    }

    int connections()
    {
        return connections.get();
    }

    /** Health checks answered so far. */
    int healthChecks()
    {
        return healthChecks.get();
    }

    /** {@link EchoService#HELD} calls that reached the server so far. */
    int heldCalls()
    {
        return held.get();
    }

    @Override
    public void close()
    {
        release.countDown();
        server.shutdownNow();
        try
        {
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
