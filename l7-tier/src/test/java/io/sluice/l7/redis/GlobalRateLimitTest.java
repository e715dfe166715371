package io.sluice.l7.redis;

import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.metrics.RateLimitMetrics;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.proxy.TestBackend;
import io.sluice.l7.proxyprotocol.ChildServer;
import io.sluice.l7.server.L7Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A global rate limit as the two-tier topology has it: two proxies (the forwarder's two L7
 * servers) sharing one count in a real redis-server, asked by curl from one client address
 * that meets both in turn. Then Redis stopped under that traffic: every request is still
 * answered, at once, by each proxy's local limit; and Redis started again: the count is shared
 * again without restarting either proxy.
 */
@ExtendWith(LeakTracking.class)
class GlobalRateLimitTest
{
    private static final String CONFIG = """
        listeners: [{ name: web, address: 127.0.0.1:%d }]
        redis: { address: "127.0.0.1:%d", timeout: 200ms }
        routes:
          - name: api
            rate_limit: [{ key: client-address, rate: 1/h, burst: 5, global: true }]
            to: p
        pools:
          p: { servers: [{ name: a, address: "%s" }] }
        """;

    @TempDir
    Path dir;
    private final TestBackend backend = new TestBackend("a");
    private RedisServer redis;
    private final List<L7Server> proxies = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    @BeforeEach
    void start() throws Exception
    {
        redis = RedisServer.start(dir);
        for (int i = 0; i < 2; i++)
        {
            final int port = ChildServer.freePort();
            ports.add(port);
            proxies.add(new L7Server(L7ConfigLoader.parse(CONFIG.formatted(port, redis.address().getPort(),
                backend.address().getHostString() + ":" + backend.address().getPort()), "global.yaml"), 1));
        }
    }

    @AfterEach
    void close()
    {
        proxies.forEach(L7Server::close);
        redis.close();
        backend.close();
    }

    @Test
    void twoProxiesShareOneLimitAndFallBackToTheirOwnWhileRedisIsAway() throws Exception
    {
        // six requests at once (burst 5), then one an hour: twelve from one address, to either proxy in turn
        assertThat(statuses("127.0.0.2", 12)).containsExactly(200, 200, 200, 200, 200, 200, 429, 429, 429, 429, 429, 429);
        assertThat(proxies.get(0).metrics().redis().decisions(true) + proxies.get(1).metrics().redis().decisions(true))
            .as("one round trip per request that passed").isEqualTo(6);

        redis.stop();
        final long stoppedNs = System.nanoTime();
        // each proxy alone now: its local limit, burst 5, for an address it has not counted locally
        assertThat(statuses("127.0.0.3", 14)).containsExactly(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200,
            429, 429);
        assertThat(System.nanoTime() - stoppedNs).as("nothing waited on the absent Redis").isLessThan(TimeUnit.SECONDS.toNanos(30));
        for (final L7Server proxy : proxies)
        {
            assertThat(proxy.metrics().rateLimits().limit("api", "client-address").fallbacks(RateLimitMetrics.Fallback.LOCAL))
                .isEqualTo(7);
        }

        redis.begin();
        RedisServer.waitFor(() -> proxies.stream().allMatch(proxy -> proxy.metrics().redis().connected() > 0),
            "both proxies connected to Redis again");
        assertThat(statuses("127.0.0.4", 8)).as("shared again, in the restarted (empty) Redis")
            .containsExactly(200, 200, 200, 200, 200, 200, 429, 429);
    }

    /** The status codes of {@code count} requests from {@code from}, sent to the proxies in turn. */
    private List<Integer> statuses(final String from, final int count) throws Exception
    {
        final List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final Process curl = new ProcessBuilder("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10",
                "--interface", from, "http://127.0.0.1:" + ports.get(i % 2) + "/").redirectErrorStream(true).start();
            final String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(curl.waitFor(20, TimeUnit.SECONDS)).isTrue();
            statuses.add(Integer.parseInt(output.strip()));
        }
        return statuses;
    }
}
