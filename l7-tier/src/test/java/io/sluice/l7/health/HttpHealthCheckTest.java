package io.sluice.l7.health;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.sluice.l7.balance.PoolBalancer;
import io.sluice.l7.balance.Upstream;
import io.sluice.l7.config.HealthCheck;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.proxy.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.sluice.l7.health.TestPools.await;
import static io.sluice.l7.health.TestPools.http;
import static io.sluice.l7.health.TestPools.picked;
import static io.sluice.l7.health.TestPools.pool;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Active HTTP checks against real servers on loopback, every 120 ms. Time bounds are generous
 * (the awaited change is due within interval × count + timeout, under 0.5 s; the tests allow
 * 5 s) so a loaded machine does not fail them; the counts prove the rise/fall rule. With fall 1,
 * the tests wait for the failure they cause by its reason, not just for the server to leave: the
 * very first check of a cold JVM may time out.
 */
@ExtendWith(LeakTracking.class)
final class HttpHealthCheckTest
{
    private static final Duration LIMIT = Duration.ofSeconds(5);

    private final Transport transport = Transport.best();
    private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, transport.ioHandlers());
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception
    {
        for (final AutoCloseable closeable : toClose.reversed())
        {
            closeable.close();
        }
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aFailingServerLeavesAfterFallChecksAndReturnsAfterRise()
    {
        final CheckedHttpServer server = server("127.0.0.1");
        final PoolBalancer pool = pool(http("/healthz?deep=1", null, 2, 3), server.address(), server("127.0.0.1").address());
        final HealthChecker checker = start(pool, null);
        final Upstream s0 = pool.upstream("s0");
        await("two checks passed", LIMIT, () -> server.answered(200) >= 2);
        assertThat(s0.healthy()).isTrue();
        assertThat(server.lastUri).isEqualTo("/healthz?deep=1");
        assertThat(server.lastHost).isEqualTo("127.0.0.1:" + server.address().getPort());
        assertThat(server.lastConnection).isEqualTo("close");
        final long before = System.currentTimeMillis();

        server.status = 500;
        await("s0 out", LIMIT, () -> !s0.healthy());

        assertThat(server.answered(500)).as("failed checks before it left").isGreaterThanOrEqualTo(3);
        final ServerHealth down = checker.health("p", "s0");
        assertThat(down.healthy()).isFalse();
        assertThat(down.lastFailure()).isEqualTo("status 500");
        assertThat(down.transitions()).isEqualTo(1);
        assertThat(down.changedAtEpochMs()).isBetween(before, System.currentTimeMillis());
        assertThat(picked(pool, 10)).containsExactly("s1");
        final int answeredOk = server.answered(200);

        server.status = 200;
        await("s0 back", LIMIT, () -> s0.healthy());

        assertThat(server.answered(200) - answeredOk).as("passed checks before it returned").isGreaterThanOrEqualTo(2);
        final ServerHealth up = checker.health("p", "s0");
        assertThat(up.transitions()).isEqualTo(2);
        assertThat(up.lastFailure()).as("kept for the record").isEqualTo("status 500");
        assertThat(up.changedAtEpochMs()).isGreaterThanOrEqualTo(down.changedAtEpochMs());
        assertThat(checker.health("p", "s1").transitions()).isZero();
        assertThat(checker.health("p", "nobody")).isNull();
        // one connection per check
        assertThat(server.connections.get()).isGreaterThanOrEqualTo(server.answered(200) + server.answered(500));
    }

    @Test
    void theBodyMustContainTheExpectedText()
    {
        final CheckedHttpServer server = server("127.0.0.1");
        server.body = "starting";
        final PoolBalancer pool = pool(http("/", "ready", 1, 1), server.address(), server("127.0.0.1").address());
        final HealthChecker checker = start(pool, null);

        await("out: body lacks ready", LIMIT, () -> "body lacks \"ready\"".equals(checker.health("p", "s0").lastFailure()));
        assertThat(pool.upstream("s0").healthy()).isFalse();

        server.body = "{\"state\": \"ready\"}";
        await("back: body has ready", LIMIT, () -> pool.upstream("s0").healthy());
    }

    @Test
    void aBodyPastTheFirst64KibDoesNotCount()
    {
        final CheckedHttpServer server = server("127.0.0.1");
        server.body = "x".repeat(64 * 1024) + "ready";
        final PoolBalancer pool = pool(http("/", "ready", 1, 1), server.address(), server("127.0.0.1").address());
        final HealthChecker checker = start(pool, null);

        await("out", LIMIT, () -> "body lacks \"ready\" in its first 64 KiB".equals(checker.health("p", "s0").lastFailure()));
        assertThat(pool.upstream("s0").healthy()).isFalse();
    }

    @Test
    void aServerThatNeverAnswersTimesOut()
    {
        final CheckedHttpServer server = server("127.0.0.1");
        server.silent = true;
        final PoolBalancer pool = pool(new HealthCheck("/", 200, null, Duration.ofMillis(60), Duration.ofMillis(30), 1, 2, false),
            server.address(), server("127.0.0.1").address());
        final HealthChecker checker = start(pool, null);

        await("out", LIMIT, () -> !pool.upstream("s0").healthy());

        assertThat(checker.health("p", "s0").lastFailure()).isEqualTo("timeout after 30 ms");
        await("a connection per check", LIMIT, () -> server.connections.get() >= 2);
    }

    @Test
    void aClosedPortIsRefused() throws IOException
    {
        final PoolBalancer pool = pool(http("/", null, 1, 2), closedPort(), server("127.0.0.1").address());
        final HealthChecker checker = start(pool, null);

        await("out", LIMIT, () -> !pool.upstream("s0").healthy());

        assertThat(checker.health("p", "s0").lastFailure()).isEqualTo("connection refused");
        assertThat(pool.upstream("s1").healthy()).isTrue();
    }

    @Test
    void checksAnIpv6ServerWithABracketedHost()
    {
        final CheckedHttpServer server;
        try
        {
            server = server("::1");
        }
        catch (final RuntimeException noIpv6)
        {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + noIpv6.getMessage());
            return;
        }
        final PoolBalancer pool = pool(http("/", null, 1, 1), server.address());
        start(pool, null);

        await("checked", LIMIT, () -> server.answered(200) >= 1);

        assertThat(server.lastHost).isEqualTo("[::1]:" + server.address().getPort());
    }

    @Test
    void aReloadKeepsTheStateOfServersInBothAndStopsTheOldChecks()
    {
        final CheckedHttpServer server = server("127.0.0.1");
        server.status = 503;
        final HealthCheck check = http("/", null, 2, 1);
        final InetSocketAddress other = server("127.0.0.1").address();
        final PoolBalancer before = pool(check, server.address(), other);
        final HealthChecker old = start(before, null);
        await("out before the reload", LIMIT, () -> "status 503".equals(old.health("p", "s0").lastFailure()));

        final PoolBalancer after = pool(check, server.address(), other);
        final HealthChecker checker = start(after, old);

        assertThat(after.upstream("s0").healthy()).as("still out right after the reload").isFalse();
        assertThat(checker.health("p", "s0").lastFailure()).isEqualTo("status 503");
        server.status = 200;
        await("back after the reload", LIMIT, () -> after.upstream("s0").healthy());
        assertThat(checker.health("p", "s0").transitions()).isEqualTo(2);
        assertThat(before.upstream("s0").healthy()).as("the old checker stopped").isFalse();

        final PoolBalancer changedCheck = pool(http("/other", null, 2, 1), server.address(), other);
        start(changedCheck, checker);
        assertThat(changedCheck.upstream("s0").healthy()).isTrue();
        assertThat(checker.health("p", "s0").transitions()).as("a changed check starts afresh, not from the old state").isEqualTo(2);
    }

    private CheckedHttpServer server(final String host)
    {
        final CheckedHttpServer server = new CheckedHttpServer(host);
        toClose.add(server);
        return server;
    }

    private HealthChecker start(final PoolBalancer pool, final HealthChecker previous)
    {
        final HealthChecker checker = HealthChecker.start(List.of(pool), loops, transport, previous);
        toClose.add(checker);
        return checker;
    }

    private static InetSocketAddress closedPort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
        }
    }
}
