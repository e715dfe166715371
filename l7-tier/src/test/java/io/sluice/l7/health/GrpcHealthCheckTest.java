package io.sluice.l7.health;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.sluice.l7.balance.PoolBalancer;
import io.sluice.l7.balance.Upstream;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.proxy.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.sluice.l7.health.TestPools.await;
import static io.sluice.l7.health.TestPools.grpc;
import static io.sluice.l7.health.TestPools.pool;
import static org.assertj.core.api.Assertions.assertThat;

/** The gRPC health check against a small h2c server of the test's own, every 120 ms. */
@ExtendWith(LeakTracking.class)
final class GrpcHealthCheckTest
{
    private static final Duration LIMIT = Duration.ofSeconds(5);

    private final Transport transport = Transport.best();
    private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, transport.ioHandlers());
    private final GrpcHealthServer server = new GrpcHealthServer();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception
    {
        for (final AutoCloseable closeable : toClose.reversed())
        {
            closeable.close();
        }
        server.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void servingStaysInNotServingLeavesAndComesBack()
    {
        final PoolBalancer pool = pool(grpc(2, 2), server.address());
        final HealthChecker checker = start(pool);
        final Upstream s0 = pool.upstream("s0");
        await("two checks", LIMIT, () -> checker.health("p", "s0").passesInRow() >= 2);
        assertThat(s0.healthy()).isTrue();
        assertThat(server.requests.getFirst()).isEqualTo("POST /grpc.health.v1.Health/Check application/grpc te=trailers authority=127.0.0.1:"
            + server.address().getPort() + " 0000000000");

        server.servingStatus = 2;
        await("out", LIMIT, () -> !s0.healthy());
        assertThat(checker.health("p", "s0").lastFailure()).isEqualTo("NOT_SERVING");
        assertThat(checker.health("p", "s0").failuresInRow()).isGreaterThanOrEqualTo(2);

        server.servingStatus = 1;
        await("back", LIMIT, s0::healthy);
        assertThat(checker.health("p", "s0").transitions()).isEqualTo(2);
    }

    @Test
    void anUnknownStatusOrAGrpcErrorFails()
    {
        final PoolBalancer pool = pool(grpc(1, 1), server.address());
        final HealthChecker checker = start(pool);

        await("a first pass (the very first check of a cold JVM may time out)", LIMIT, () -> checker.health("p", "s0").passesInRow() >= 1);

        server.servingStatus = 0; // UNKNOWN: an empty message
        await("out on UNKNOWN", LIMIT, () -> "UNKNOWN".equals(checker.health("p", "s0").lastFailure()));
        assertThat(pool.upstream("s0").healthy()).isFalse();

        server.servingStatus = 1;
        server.grpcStatus = 12; // UNIMPLEMENTED: a server without the health service
        await("the error reported", LIMIT, () -> "grpc-status 12: not here".equals(checker.health("p", "s0").lastFailure()));
        assertThat(pool.upstream("s0").healthy()).isFalse();
    }

    @Test
    void anHttp1ServerFailsTheGrpcCheck()
    {
        final CheckedHttpServer http1 = new CheckedHttpServer("127.0.0.1");
        toClose.add(http1);
        final PoolBalancer pool = pool(grpc(1, 1), http1.address());
        final HealthChecker checker = start(pool);

        await("out", LIMIT, () -> !pool.upstream("s0").healthy());
        assertThat(checker.health("p", "s0").lastFailure()).isNotBlank();
    }

    private HealthChecker start(final PoolBalancer pool)
    {
        final HealthChecker checker = HealthChecker.start(List.of(pool), loops, transport, null);
        toClose.add(checker);
        return checker;
    }
}
