package io.sluice.l7.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The concurrency limits' keys: a server's and a pool's {@code max_requests}, a pool's
 * {@code queue}, a listener's {@code max_connections_per_client}; read, defaulted, and refused
 * in one line.
 */
class ConcurrencyKeysTest
{
    private static final String LISTENERS = "listeners: [{ name: web, address: 198.18.1.1:80 }]\n";
    private static final String ROUTES = "routes: [{ name: r, to: p }]\n";

    @Test
    void readsTheLimitsAndTheQueueWithItsDefaults()
    {
        final L7Config config = L7ConfigLoader.parse("""
            listeners: [{ name: web, address: 198.18.1.1:80, max_connections_per_client: 8 }]
            pools:
              p:
                max_requests: 10
                queue: { timeout: 250ms }
                servers: [{ name: a, address: 198.18.0.21:80, max_requests: 4 }, { name: b, address: 198.18.0.22:80 }]
              q: { servers: [{ name: c, address: 198.18.0.23:80 }] }
            """ + ROUTES, "l7.yaml");

        assertThat(config.listeners().getFirst().maxConnectionsPerClient()).isEqualTo(8);
        final Pool p = config.pools().get("p");
        assertThat(p.maxRequests()).isEqualTo(10);
        assertThat(p.queue()).isEqualTo(new Pool.Queue(1024, Duration.ofMillis(250)));
        assertThat(p.servers()).extracting(Server::maxRequests).containsExactly(4, 0);
        final Pool q = config.pools().get("q");
        assertThat(q.maxRequests()).as("no limit").isZero();
        assertThat(q.queue()).isEqualTo(Pool.Queue.DEFAULT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refuses(final String description, final String yaml, final String message)
    {
        assertThatThrownBy(() -> L7ConfigLoader.parse(yaml, "l7.yaml"))
            .isInstanceOf(ConfigException.class)
            .hasMessage(message);
    }

    static Stream<Arguments> refusals()
    {
        return Stream.of(
            arguments("a server's max_requests of 0", """
                pools: { p: { servers: [{ name: a, address: 198.18.0.21:80, max_requests: 0 }] } }
                """ + LISTENERS + ROUTES,
                "l7.yaml:1: pools.p.servers[0].max_requests: 0 is not 1-1000000"),
            arguments("a pool's max_requests that is not a number", """
                pools: { p: { max_requests: many, servers: [{ name: a, address: 198.18.0.21:80 }] } }
                """ + LISTENERS + ROUTES,
                "l7.yaml:1: pools.p.max_requests: 'many' is not an integer"),
            arguments("a queue without a limit", """
                pools: { p: { queue: { size: 10 }, servers: [{ name: a, address: 198.18.0.21:80 }] } }
                """ + LISTENERS + ROUTES,
                "l7.yaml:1: pools.p.queue: only with max_requests on the pool or one of its servers "
                    + "(nothing waits without a limit)"),
            arguments("a queue too long", """
                pools: { p: { max_requests: 1, queue: { size: 100001 }, servers: [{ name: a, address: 198.18.0.21:80 }] } }
                """ + LISTENERS + ROUTES,
                "l7.yaml:1: pools.p.queue.size: 100001 is not 0-100000"),
            arguments("a queue timeout that is not a duration", """
                pools: { p: { max_requests: 1, queue: { timeout: 5 }, servers: [{ name: a, address: 198.18.0.21:80 }] } }
                """ + LISTENERS + ROUTES,
                "l7.yaml:1: pools.p.queue.timeout: '5' is not a duration (an integer and ms, s, m or h: 250ms, 5s, 2m, 1h)"),
            arguments("an unknown queue key", """
                pools: { p: { max_requests: 1, queue: { length: 5 }, servers: [{ name: a, address: 198.18.0.21:80 }] } }
                """ + LISTENERS + ROUTES,
                "l7.yaml:1: pools.p.queue.length: unknown key; allowed here: size, timeout"),
            arguments("a listener's max_connections_per_client of 0", """
                listeners: [{ name: web, address: 198.18.1.1:80, max_connections_per_client: 0 }]
                pools: { p: { servers: [{ name: a, address: 198.18.0.21:80 }] } }
                """ + ROUTES,
                "l7.yaml:1: listeners[0].max_connections_per_client: 0 is not 1-1000000"));
    }
}
