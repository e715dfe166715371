package io.sluice.l7.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The top-level {@code redis:}: absent, its defaults, every key, and each refusal as its one line. */
class L7ConfigRedisTest
{
    private static final String REST = """
        listeners: [{ name: web, address: 198.18.1.1:80 }]
        routes: [{ name: r, to: p }]
        pools: { p: { servers: [{ name: a, address: 198.18.0.21:80 }] } }
        """;

    private static L7Config parse(final String redis)
    {
        return L7ConfigLoader.parse(redis + REST, "l7.yaml");
    }

    @Test
    void absentIsNull()
    {
        assertThat(parse("").redis()).isNull();
    }

    @Test
    void anAddressAloneTakesTheDefaults()
    {
        assertThat(parse("redis: { address: 127.0.0.1:6379 }\n").redis()).isEqualTo(new RedisSettings(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 6379), Duration.ofMillis(50), null, null, 0));
    }

    @Test
    void everyKeyAndAnIpv6Address()
    {
        assertThat(parse("redis: { address: \"[::1]:6380\", timeout: 2s, username: u, password: p, database: 15 }\n").redis())
            .isEqualTo(new RedisSettings(new InetSocketAddress(InetAddress.ofLiteral("::1"), 6380), Duration.ofSeconds(2), "u",
                "p", 15));
    }

    @Test
    void thePasswordIsNeverPrinted()
    {
        assertThat(parse("redis: { address: 127.0.0.1:6379, password: hunter2 }\n").redis().toString())
            .doesNotContain("hunter2").contains("password=(set)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refuses(final String description, final String redis, final String message)
    {
        assertThatThrownBy(() -> parse("redis: " + redis + "\n"))
            .isInstanceOf(ConfigException.class)
            .hasMessage(message);
    }

    static Stream<Arguments> refusals()
    {
        return Stream.of(
            arguments("not a mapping", "127.0.0.1:6379",
                "l7.yaml:1: redis: expected a mapping (address, timeout, username, password, database), found '127.0.0.1:6379'"),
            arguments("no address", "{ timeout: 50ms }", "l7.yaml:1: redis.address: missing"),
            arguments("an unknown key", "{ address: 127.0.0.1:6379, db: 1 }",
                "l7.yaml:1: redis.db: unknown key; allowed here: address, timeout, username, password, database"),
            arguments("a name for an address", "{ address: localhost:6379 }",
                "l7.yaml:1: redis.address: 'localhost:6379' is not ADDR:PORT (ADDR is an IP address; names are not looked up)"),
            arguments("no port", "{ address: 127.0.0.1 }", "l7.yaml:1: redis.address: '127.0.0.1' is not ADDR:PORT"),
            arguments("a timeout that is not a duration", "{ address: 127.0.0.1:6379, timeout: fast }",
                "l7.yaml:1: redis.timeout: 'fast' is not a duration (an integer and ms, s, m or h: 250ms, 5s, 2m, 1h)"),
            arguments("a zero timeout", "{ address: 127.0.0.1:6379, timeout: 0ms }",
                "l7.yaml:1: redis.timeout: '0ms' is not positive"),
            arguments("a timeout too long", "{ address: 127.0.0.1:6379, timeout: 1m }",
                "l7.yaml:1: redis.timeout: 1m is more than 10s (each request with a global limit may wait this long)"),
            arguments("a username without a password", "{ address: 127.0.0.1:6379, username: u }",
                "l7.yaml:1: redis.password: missing (a username needs one)"),
            arguments("an empty password", "{ address: 127.0.0.1:6379, password: \"\" }",
                "l7.yaml:1: redis.password: is empty (leave the key out when Redis asks for none)"),
            arguments("a negative database", "{ address: 127.0.0.1:6379, database: -1 }",
                "l7.yaml:1: redis.database: -1 is not 0 or more"));
    }
}
