package io.sluice.l7.health;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.sluice.l7.balance.PoolBalancer;
import io.sluice.l7.config.HealthCheck;
import io.sluice.l7.config.Pool;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.proxy.Transport;
import io.sluice.l7.proxyprotocol.ChildServer;
import io.sluice.l7.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.sluice.l7.health.TestPools.await;
import static io.sluice.l7.health.TestPools.pool;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP checks of HTTP/2 pools against Debian's nginx, which speaks HTTP/2 alone on these ports:
 * prior knowledge in cleartext (h2c), and TLS with ALPN h2 (a certificate for grpc.test and
 * 127.0.0.1 signed by the test CA), where its body names the protocol it was asked in. A third
 * port serves a certificate for another name. Whether nginx answers 503 or 200 is a file in the
 * test's directory. Checks every 400 ms with rise and fall 1 or 2; the limits are generous for a
 * loaded machine.
 */
@ExtendWith(LeakTracking.class)
class Http2HealthCheckTest
{
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private final int h2cPort = ChildServer.freePort();
    private final int h2Port = ChildServer.freePort();
    private final int otherNamePort = ChildServer.freePort();
    private final Transport transport = Transport.best();
    private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, transport.ioHandlers());
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private TestCertificates certificates;
    private ChildServer nginx;

    @BeforeEach
    void start() throws Exception
    {
        certificates = TestCertificates.makeIn(dir);
        nginx = ChildServer.nginx(dir, """
            server {
              listen 127.0.0.1:%1$d http2;
              listen 127.0.0.1:%2$d ssl http2;
              ssl_certificate %4$s/grpc.pem;
              ssl_certificate_key %4$s/grpc.key;
              location = /healthz {
                if (-f %4$s/down) { return 503 "draining"; }
                return 200 "ready over $http2 for $host";
              }
            }
            server {
              listen 127.0.0.1:%3$d ssl http2;
              ssl_certificate %4$s/a.pem;
              ssl_certificate_key %4$s/a.key;
              location / { return 200 "ready"; }
            }
            """.formatted(h2cPort, h2Port, otherNamePort, dir), h2Port);
    }

    @AfterEach
    void stop() throws Exception
    {
        for (final AutoCloseable closeable : toClose.reversed())
        {
            closeable.close();
        }
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        nginx.close();
    }

    @Test
    void anH2cPoolIsCheckedInHttp2WithPriorKnowledge()
    {
        final PoolBalancer pool = pool(check("/healthz", "ready over h2c for 127.0.0.1", 1, 1), h2c(), server(h2cPort));
        final HealthChecker checker = start(pool);

        await("three checks passed", LIMIT, () -> checker.health("p", "s0").passesInRow() >= 3);
        assertThat(pool.upstream("s0").healthy()).as(nginx.output()).isTrue();
    }

    /** What the pools' checks did before: HTTP/1.1, which a server speaking HTTP/2 alone does not understand. */
    @Test
    void anHttp1CheckOfTheSameServerFails()
    {
        final PoolBalancer pool = pool(check("/healthz", null, 1, 1), server(h2cPort));
        final HealthChecker checker = start(pool);

        await("out", LIMIT, () -> !pool.upstream("s0").healthy());
        assertThat(checker.health("p", "s0").lastFailure()).isNotBlank();
    }

    /** The check is the same, the way it is spoken is not: the server's verdict from HTTP/1.1 does not carry over. */
    @Test
    void aReloadThatMakesThePoolSpeakHttp2StartsItsChecksAfresh()
    {
        final PoolBalancer http1 = pool(check("/healthz", null, 2, 1), server(h2cPort));
        final HealthChecker old = start(http1, null);
        await("out over HTTP/1.1", LIMIT, () -> !http1.upstream("s0").healthy());

        final PoolBalancer h2c = pool(check("/healthz", null, 2, 1), h2c(), server(h2cPort));
        final HealthChecker checker = start(h2c, old);

        assertThat(h2c.upstream("s0").healthy()).as("unchecked yet: in, as at a start").isTrue();
        assertThat(checker.health("p", "s0").transitions()).isZero();
        await("two checks passed over h2c", LIMIT, () -> checker.health("p", "s0").passesInRow() >= 2);
        assertThat(h2c.upstream("s0").healthy()).isTrue();
    }

    @Test
    void anH2PoolIsCheckedOverItsTlsVerifyingTheNameItSends()
    {
        final PoolBalancer pool = pool(check("/healthz", "ready over h2 for 127.0.0.1", 1, 1), h2("grpc.test"), server(h2Port));
        final HealthChecker checker = start(pool);

        await("three checks passed", LIMIT, () -> checker.health("p", "s0").passesInRow() >= 3);
        assertThat(pool.upstream("s0").healthy()).isTrue();
    }

    @Test
    void anH2ServerAnswering503IsOutUntilItAnswers200Again() throws Exception
    {
        final PoolBalancer pool = pool(check("/healthz", null, 2, 2), h2(null), server(h2Port));
        final HealthChecker checker = start(pool);
        await("two checks passed", LIMIT, () -> checker.health("p", "s0").passesInRow() >= 2);

        Files.writeString(dir.resolve("down"), "");
        await("out on 503", LIMIT, () -> !pool.upstream("s0").healthy() &&
            "status 503".equals(checker.health("p", "s0").lastFailure()));
        final ServerHealth down = checker.health("p", "s0");
        assertThat(down.failuresInRow()).isGreaterThanOrEqualTo(2);

        Files.delete(dir.resolve("down"));
        await("back", LIMIT, () -> pool.upstream("s0").healthy());
        assertThat(checker.health("p", "s0").transitions()).isEqualTo(2);
    }

    /** The same TLS as the pool's requests: a certificate for another name fails the handshake, as it would fail theirs. */
    @Test
    void anH2ServerWhoseCertificateNamesAnotherServerFails()
    {
        final PoolBalancer pool = pool(check("/healthz", null, 1, 2), h2(null), server(otherNamePort), server(h2Port));
        final HealthChecker checker = start(pool);

        await("out on the handshake", LIMIT, () -> !pool.upstream("s0").healthy() &&
            checker.health("p", "s0").lastFailure().startsWith("TLS handshake failed: "));
        final ServerHealth failing = checker.health("p", "s0");
        assertThat(failing.lastFailure()).contains("127.0.0.1");
        assertThat(failing.failuresInRow()).isGreaterThanOrEqualTo(2);
        assertThat(failing.transitions()).isEqualTo(1);
        await("the other server, its certificate right, passes", LIMIT, () -> checker.health("p", "s1").passesInRow() >= 2);
        assertThat(checker.health("p", "s1").transitions()).isZero();
    }

    /**
     * A check every 400 ms with a timeout of 350 ms: TLS handshakes (a cold one first) on a machine
     * loaded by other builds take longer than the other health tests' 100 ms allow.
     */
    private static HealthCheck check(final String path, final String body, final int rise, final int fall)
    {
        return new HealthCheck(path, 200, body, Duration.ofMillis(400), Duration.ofMillis(350), rise, fall, false);
    }

    private static Pool.Protocol h2c()
    {
        return new Pool.Protocol(Pool.Protocol.Version.H2C, Pool.Protocol.DEFAULT_MAX_STREAMS, null);
    }

    /** @param serverName the name sent and verified, or null to verify the server's address. */
    private Pool.Protocol h2(final String serverName)
    {
        return new Pool.Protocol(Pool.Protocol.Version.H2, Pool.Protocol.DEFAULT_MAX_STREAMS,
            new Pool.Protocol.Tls(serverName, certificates.file("ca.pem"), null, null));
    }

    private static InetSocketAddress server(final int port)
    {
        return new InetSocketAddress("127.0.0.1", port);
    }

    private HealthChecker start(final PoolBalancer pool)
    {
        return start(pool, null);
    }

    private HealthChecker start(final PoolBalancer pool, final HealthChecker previous)
    {
        final HealthChecker checker = HealthChecker.start(List.of(pool), loops, transport, previous);
        toClose.add(checker);
        return checker;
    }
}
