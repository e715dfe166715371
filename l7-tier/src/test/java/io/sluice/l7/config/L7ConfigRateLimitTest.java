package io.sluice.l7.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static io.sluice.l7.config.L7ConfigFiltersTest.onlyRoute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** A route's {@code rate_limit:}: each key kind, the defaults, and each refusal as its one line naming the route. */
class L7ConfigRateLimitTest
{
    @Test
    void everyKindOfKeyAndTheDefaults()
    {
        final Route route = onlyRoute("""
            routes:
              - name: api
                rate_limit:
                  - { key: client-address, rate: 100/s, burst: 20 }
                  - { key: { client-address: { v4: 24, v6: 64 } }, rate: 1000/m, action: delay, max_delay: 250ms }
                  - { key: { header: X-Api-Key }, rate: /h, dry_run: true }
                  - { name: per-user, key: [{ claim: sub }, { cookie: sid }, api-key], rate: 5/d, max_keys: 1024 }
                compress: {}
                to: p
            """);
        assertThat(route.filters()).hasSize(2);
        assertThat(route.filters().getFirst()).as("before compress").isEqualTo(new RouteFilter.RateLimit(List.of(
            new RouteFilter.RateLimit.Limit("client-address", List.of(new RouteFilter.RateLimit.ClientAddress(32, 128)), 100,
                Duration.ofSeconds(1), 20, RouteFilter.RateLimit.Action.REJECT, Duration.ZERO, false, false,
                RouteFilter.RateLimit.OnStoreError.LOCAL, 1_000_000),
            new RouteFilter.RateLimit.Limit("client-address-24-64", List.of(new RouteFilter.RateLimit.ClientAddress(24, 64)), 1000,
                Duration.ofMinutes(1), 0, RouteFilter.RateLimit.Action.DELAY, Duration.ofMillis(250), false, false,
                RouteFilter.RateLimit.OnStoreError.LOCAL, 1_000_000),
            new RouteFilter.RateLimit.Limit("header-x-api-key", List.of(new RouteFilter.RateLimit.Header("X-Api-Key")), 1,
                Duration.ofHours(1), 0, RouteFilter.RateLimit.Action.REJECT, Duration.ZERO, true, false,
                RouteFilter.RateLimit.OnStoreError.LOCAL, 1_000_000),
            new RouteFilter.RateLimit.Limit("per-user", List.of(new RouteFilter.RateLimit.Claim("sub"),
                new RouteFilter.RateLimit.Cookie("sid"), new RouteFilter.RateLimit.ApiKey()), 5, Duration.ofDays(1), 0,
                RouteFilter.RateLimit.Action.REJECT, Duration.ZERO, false, false, RouteFilter.RateLimit.OnStoreError.LOCAL, 1024))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("refusals")
    void aBadLimitIsRefusedInOneLineNamingTheRoute(final String description, final String limit, final String message)
    {
        assertThatThrownBy(() -> onlyRoute("routes:\n  - name: api\n    to: p\n    rate_limit:\n      - " + limit + "\n"))
            .isInstanceOf(ConfigException.class)
            .hasMessage(message);
    }

    static Stream<Arguments> refusals()
    {
        return Stream.of(
            arguments("a rate of 0", "{ key: client-address, rate: 0/s }",
                "l7.yaml:5: routes[0].rate_limit[0].rate: route 'api': '0/s': the count is not 1-1000000000"),
            arguments("a rate without a unit", "{ key: client-address, rate: 100 }",
                "l7.yaml:5: routes[0].rate_limit[0].rate: route 'api': '100' is not a rate (requests per s, m, h or d: 100/s, 1000/m)"),
            arguments("a negative burst", "{ key: client-address, rate: 10/s, burst: -1 }",
                "l7.yaml:5: routes[0].rate_limit[0].burst: route 'api': '-1' is not 0-1000000"),
            arguments("a burst more than a year early", "{ key: client-address, rate: 1/d, burst: 400 }",
                "l7.yaml:5: routes[0].rate_limit[0].burst: route 'api': 400 at 1/d lets a request come more than 366 days early"),
            arguments("an unknown key kind", "{ key: { query: id }, rate: 10/s }",
                "l7.yaml:5: routes[0].rate_limit[0].key.query: route 'api': 'query' is not a key kind; known: client-address, header, "
                    + "cookie, claim, api-key"),
            arguments("an unknown key word", "{ key: client-ip, rate: 10/s }",
                "l7.yaml:5: routes[0].rate_limit[0].key: route 'api': 'client-ip' is not a key kind; known: client-address, header, "
                    + "cookie, claim, api-key (header, cookie and claim as { header: NAME })"),
            arguments("a key part twice", "{ key: [api-key, api-key], rate: 10/s }",
                "l7.yaml:5: routes[0].rate_limit[0].key[1]: route 'api': this key part is already used by routes[0].rate_limit[0].key[0]"),
            arguments("a prefix too long", "{ key: { client-address: { v4: 33 } }, rate: 10/s }",
                "l7.yaml:5: routes[0].rate_limit[0].key.client-address.v4: route 'api': '33' is not 1-32"),
            arguments("global without redis", "{ key: { header: X-Api-Key }, rate: 1000/m, global: true }",
                "l7.yaml:5: routes[0].rate_limit[0].global: route 'api': global: true needs the top-level redis: (where every proxy "
                    + "counts)"),
            arguments("max_delay without delay", "{ key: client-address, rate: 10/s, max_delay: 1s }",
                "l7.yaml:5: routes[0].rate_limit[0].max_delay: route 'api': only with action: delay"),
            arguments("an unknown action", "{ key: client-address, rate: 10/s, action: drop }",
                "l7.yaml:5: routes[0].rate_limit[0].action: route 'api': 'drop' is not one of reject, delay"),
            arguments("on_redis_error on a local limit", "{ key: client-address, rate: 10/s, on_redis_error: allow }",
                "l7.yaml:5: routes[0].rate_limit[0].on_redis_error: route 'api': only with global: true"),
            arguments("an unknown key", "{ key: client-address, rate: 10/s, window: 1s }",
                "l7.yaml:5: routes[0].rate_limit[0].window: unknown key; allowed here: name, key, rate, burst, action, max_delay, "
                    + "dry_run, global, on_redis_error, max_keys"));
    }

    @Test
    void twoLimitsOfOneNameAreRefused()
    {
        assertThatThrownBy(() -> onlyRoute("""
            routes:
              - name: api
                rate_limit:
                  - { key: client-address, rate: 10/s }
                  - { key: client-address, rate: 100/m }
                to: p
            """))
            .isInstanceOf(ConfigException.class)
            .hasMessage("l7.yaml:5: routes[0].rate_limit[1]: route 'api': 'client-address' is routes[0].rate_limit[0]'s name too "
                + "(give one a name:)");
    }

    @Test
    void noLimitIsRefused()
    {
        assertThatThrownBy(() -> onlyRoute("routes: [{ name: api, rate_limit: [], to: p }]\n"))
            .isInstanceOf(ConfigException.class)
            .hasMessage("l7.yaml:1: routes[0].rate_limit: needs at least one limit");
    }
}
