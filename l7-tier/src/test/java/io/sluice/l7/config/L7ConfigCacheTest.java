package io.sluice.l7.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** A route's {@code cache:}: its defaults, every key, and each refusal as its one line. */
class L7ConfigCacheTest
{
    private static final String LISTENERS = "listeners: [{ name: web, address: 198.18.1.1:80 }]\n";
    private static final String POOLS = "pools: { p: { servers: [{ name: a, address: 198.18.0.21:80 }] } }\n";

    private static Route onlyRoute(final String routes)
    {
        return L7ConfigLoader.parse(routes + LISTENERS + POOLS, "l7.yaml").routes().getFirst();
    }

    @Test
    void anEmptyCacheTakesTheDefaultsAndComesAfterTheOtherFilters()
    {
        final Route route = onlyRoute("""
            routes:
              - name: r
                cache: {}
                filters: [{ request_headers: { set: { X-B: "2" } } }]
                to: p
            """);

        assertThat(route.filters()).hasSize(2);
        assertThat(route.filters().getLast()).isEqualTo(new RouteFilter.Cache(CacheSettings.DEFAULTS));
        assertThat(CacheSettings.DEFAULTS.defaultTtl()).as("no freshness is made up unless asked").isZero();
    }

    @Test
    void everyKey()
    {
        final Route route = onlyRoute("""
            routes:
              - name: r
                cache:
                  size: 64MiB
                  max_object: 1MiB
                  default_ttl: 5m
                  key: { query: normalised, headers: [X-Tenant, Accept-Language] }
                  store_set_cookie: true
                  coalesce_timeout: 2s
                to: p
            """);

        assertThat(route.filters()).containsExactly(new RouteFilter.Cache(new CacheSettings(64 * Sizes.MIB, Sizes.MIB,
            Duration.ofMinutes(5), true, List.of("x-tenant", "accept-language"), true, Duration.ofSeconds(2))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refuses(final String description, final String cache, final String message)
    {
        assertThatThrownBy(() -> L7ConfigLoader.parse("routes: [{ name: r, to: p, cache: " + cache + " }]\n" + LISTENERS + POOLS, "l7.yaml"))
            .isInstanceOf(ConfigException.class)
            .hasMessage(message);
    }

    static Stream<Arguments> refusals()
    {
        return Stream.of(
            arguments("an unknown key", "{ ttl: 5m }", "l7.yaml:1: routes[0].cache.ttl: unknown key; allowed here: size, max_object, "
                + "default_ttl, key, store_set_cookie, coalesce_timeout"),
            arguments("an object larger than the cache", "{ size: 1MiB, max_object: 2MiB }",
                "l7.yaml:1: routes[0].cache.max_object: 2MiB is more than the cache's size (1MiB)"),
            arguments("a query mode that is not one", "{ key: { query: sorted } }",
                "l7.yaml:1: routes[0].cache.key.query: 'sorted' is not normalised or as-is"),
            arguments("a header twice", "{ key: { headers: [X-A, x-a] } }",
                "l7.yaml:1: routes[0].cache.key.headers[1]: 'x-a' is already used by routes[0].cache.key.headers[0]"),
            arguments("a TTL without a unit", "{ default_ttl: 300 }",
                "l7.yaml:1: routes[0].cache.default_ttl: '300' is not a duration (an integer and ms, s, m or h: 250ms, 5s, 2m, 1h)"),
            arguments("a size in the wrong unit", "{ size: 10MB }",
                "l7.yaml:1: routes[0].cache.size: '10MB' is not a size (the units are B, KiB, MiB and GiB, powers of 1024, with no space: "
                    + "8KiB)"));
    }
}
