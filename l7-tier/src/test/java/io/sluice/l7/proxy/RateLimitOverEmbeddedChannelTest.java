package io.sluice.l7.proxy;

import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.config.RouteFilter;
import io.sluice.l7.filter.FilterChain;
import io.sluice.l7.filter.Identity;
import io.sluice.l7.filter.RequestFilter;
import io.sluice.l7.metrics.RateLimitMetrics;
import io.sluice.l7.ratelimit.LimitDecision;
import io.sluice.l7.ratelimit.RateLimitFilter;
import io.sluice.l7.ratelimit.SharedLimiter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route's rate limits through the proxy's real request path over in-memory channels: the 429
 * and its fields exactly, the RateLimit fields on the responses let through, keys a request
 * lacks, dry runs, delays on the event loop's clock, keys from the identity, and a global limit
 * whose shared store answers later, refuses, or fails (each {@code on_redis_error}). Leaks fail the test.
 */
@ExtendWith(LeakTracking.class)
final class RateLimitOverEmbeddedChannelTest
{
    private static final String ONE_SERVER = """
        routes: [{ name: all, to: p }]
        pools:
          p: { servers: [{ name: a, address: 198.18.0.1:8080 }] }
        """;
    private static final String GET = "GET /x HTTP/1.1\r\nHost: test\r\n\r\n";
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final String KEYED = "GET /x HTTP/1.1\r\nHost: test\r\nX-Api-Key: k1\r\n\r\n";
    /** A store that cannot be reached: every decision fails, as a client's would after its timeout. */
    private static final SharedLimiter UNREACHABLE = (key, interval, burst, cost) ->
        CompletableFuture.failedFuture(new IOException("redis 127.0.0.1:6379: connection refused"));

    private final EmbeddedProxy proxy = new EmbeddedProxy();
    /** The limits' clock, frozen unless a test moves it. */
    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);

    @AfterEach
    void close()
    {
        proxy.close();
    }

    /** The limits of a route's {@code rate_limit:} as the file gives them (a file with {@code redis:} may say global). */
    private static RouteFilter.RateLimit limits(final String rateLimit)
    {
        return (RouteFilter.RateLimit)L7ConfigLoader.parse("""
            listeners: [{ name: web, address: 127.0.0.1:8080 }]
            pools: { p: { servers: [{ name: a, address: 198.18.0.1:8080 }] } }
            routes:
              - name: all
                to: p
                rate_limit:
            """ + rateLimit.indent(6), "l7.yaml").routes().getFirst().filters().getFirst();
    }

    /** A client of a proxy whose one route has {@code before} and then these limits, over the test's clock. */
    private EmbeddedProxy.Client client(final List<RequestFilter> before, final RouteFilter.RateLimit limits,
        final SharedLimiter shared)
    {
        proxy.configure(ONE_SERVER);
        final RateLimitFilter filter = new RateLimitFilter("all", limits, () -> shared, clock::get);
        final List<RequestFilter> requestFilters = new ArrayList<>(before);
        requestFilters.add(filter);
        proxy.filters(new FilterChain(requestFilters, List.of(filter)));
        return proxy.connect();
    }

    private RateLimitMetrics.Limit metrics(final String limit)
    {
        return proxy.metrics().rateLimits().limit("all", limit);
    }

    /** The request goes to the backend; the backend's 200 comes back. */
    private RawHttp.Response passes(final EmbeddedProxy.Client client, final String request)
    {
        client.send(request);
        proxy.forwarded().answer(OK);
        final RawHttp.Response response = client.response();
        assertThat(response.status()).isEqualTo(200);
        return response;
    }

    @Test
    void theConfiguredLimitAnswers429WithRetryAfterAndTheFields()
    {
        proxy.configure("""
            routes: [{ name: all, to: p, rate_limit: [{ key: client-address, rate: 1/h, burst: 2 }] }]
            pools:
              p: { servers: [{ name: a, address: 198.18.0.1:8080 }] }
            """);
        final EmbeddedProxy.Client client = proxy.connect();

        for (int remaining = 2; remaining >= 0; remaining--)
        {
            final RawHttp.Response response = passes(client, GET);
            assertThat(response.header("ratelimit-policy")).isEqualTo("\"client-address\";q=1;w=3600");
            assertThat(response.header("ratelimit")).isEqualTo("\"client-address\";r=" + remaining + ";t=3600");
        }
        client.send(GET);
        final RawHttp.Response refused = client.response();
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("retry-after")).isEqualTo("3600");
        assertThat(refused.header("ratelimit-policy")).isEqualTo("\"client-address\";q=1;w=3600");
        assertThat(refused.header("ratelimit")).isEqualTo("\"client-address\";r=0;t=3600");
        assertThat(refused.header("content-type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(refused.text()).isEqualTo("too many requests\n");
        assertThat(proxy.anythingForwarded()).isFalse();
        assertThat(client.isOpen()).as("a refusal keeps the connection").isTrue();

        final RateLimitMetrics.Limit counted = proxy.metrics().rateLimits().limit("all", "client-address");
        assertThat(counted.count(RateLimitMetrics.Outcome.ALLOWED)).isEqualTo(3);
        assertThat(counted.count(RateLimitMetrics.Outcome.LIMITED)).isEqualTo(1);
        assertThat(proxy.metrics().prometheusText())
            .contains("sluice_l7_rate_limit_requests_total{route=\"all\",limit=\"client-address\",result=\"limited\"} 1\n");
    }

    @Test
    void aCacheHitIsCountedAndACachedResponseKeepsNoFieldsOfAnotherRequest()
    {
        proxy.configure("""
            routes: [{ name: all, to: p, rate_limit: [{ key: client-address, rate: 1/h, burst: 1 }], cache: {} }]
            pools:
              p: { servers: [{ name: a, address: 198.18.0.1:8080 }] }
            """);
        final EmbeddedProxy.Client client = proxy.connect();

        client.send(GET);
        proxy.forwarded().answer("HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\nContent-Length: 2\r\n\r\nok");
        assertThat(client.response().header("ratelimit")).isEqualTo("\"client-address\";r=1;t=3600");
        client.send(GET);
        final RawHttp.Response hit = client.response();
        assertThat(hit.header("cache-status")).startsWith("sluice; hit");
        assertThat(hit.header("ratelimit")).as("not stored with the first response").isNull();
        client.send(GET);
        assertThat(client.response().status()).as("the hit was counted").isEqualTo(429);
    }

    @Test
    void severalLimitsAreListedInOrderAndTheFirstRefusalAnswers()
    {
        final EmbeddedProxy.Client client = client(List.of(), limits("""
            - { name: fast, key: client-address, rate: 10/s, burst: 1 }
            - { name: tenant, key: { header: X-Tenant }, rate: 2/m }
            """), null);

        final RawHttp.Response first = passes(client, "GET /x HTTP/1.1\r\nHost: test\r\nX-Tenant: t1\r\n\r\n");
        assertThat(first.header("ratelimit-policy")).isEqualTo("\"fast\";q=10;w=1, \"tenant\";q=2;w=60");
        assertThat(first.header("ratelimit")).isEqualTo("\"fast\";r=1;t=1, \"tenant\";r=0;t=30");
        clock.addAndGet(SECOND);

        client.send("GET /x HTTP/1.1\r\nHost: test\r\nX-Tenant: t1\r\n\r\n");
        final RawHttp.Response refused = client.response();
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("retry-after")).as("the tenant's 30 s less the second gone by").isEqualTo("29");
        assertThat(refused.header("ratelimit")).isEqualTo("\"fast\";r=1;t=1, \"tenant\";r=0;t=29");

        final RawHttp.Response other = passes(client, GET);
        assertThat(other.header("ratelimit")).as("no X-Tenant: that limit does not apply").isEqualTo("\"fast\";r=0;t=1");
        assertThat(metrics("tenant").count(RateLimitMetrics.Outcome.ALLOWED)).isEqualTo(1);
        assertThat(metrics("tenant").count(RateLimitMetrics.Outcome.LIMITED)).isEqualTo(1);
        assertThat(metrics("fast").count(RateLimitMetrics.Outcome.ALLOWED)).as("counted the refused one too").isEqualTo(3);
    }

    @Test
    void aRequestWithoutTheKeyIsNotLimitedNorTold()
    {
        final EmbeddedProxy.Client client = client(List.of(), limits("- { key: { cookie: sid }, rate: 1/h }"), null);

        for (int i = 0; i < 3; i++)
        {
            final RawHttp.Response response = passes(client, GET);
            assertThat(response.header("ratelimit")).isNull();
            assertThat(response.header("ratelimit-policy")).isNull();
        }
        passes(client, "GET /x HTTP/1.1\r\nHost: test\r\nCookie: sid=abc\r\n\r\n");
        client.send("GET /x HTTP/1.1\r\nHost: test\r\nCookie: a=1; sid=abc\r\n\r\n");
        assertThat(client.response().status()).isEqualTo(429);
        passes(client, "GET /x HTTP/1.1\r\nHost: test\r\nCookie: sid=other\r\n\r\n");
    }

    @Test
    void aDryRunCountsAndLetsEverythingGo()
    {
        final EmbeddedProxy.Client client = client(List.of(), limits("- { key: client-address, rate: 1/h, burst: 1, dry_run: true }"),
            null);

        for (int i = 0; i < 5; i++)
        {
            assertThat(passes(client, GET).header("ratelimit")).as("a dry run tells the client nothing").isNull();
        }
        assertThat(metrics("client-address").count(RateLimitMetrics.Outcome.ALLOWED)).isEqualTo(2);
        assertThat(metrics("client-address").count(RateLimitMetrics.Outcome.DRY_RUN)).isEqualTo(3);
        assertThat(metrics("client-address").count(RateLimitMetrics.Outcome.LIMITED)).isZero();
    }

    @Test
    void aDelayHoldsTheRequestUntilItsTurnThenRefusesPastTheMaximum()
    {
        final RouteFilter.RateLimit limits = limits("- { key: client-address, rate: 10/s, action: delay, max_delay: 250ms }");
        final EmbeddedProxy.Client first = client(List.of(), limits, null);
        passes(first, GET);

        final EmbeddedProxy.Client second = proxy.connect();
        second.send(GET);
        assertThat(second.exchange().state()).isEqualTo(ExchangeState.FILTERING);
        second.advanceTime(99);
        assertThat(proxy.anythingForwarded()).as("not before its turn").isFalse();
        second.advanceTime(1);
        proxy.forwarded().answer(OK);
        assertThat(second.response().header("ratelimit")).isEqualTo("\"client-address\";r=0;t=1");

        final EmbeddedProxy.Client third = proxy.connect();
        third.send(GET); // 200 ms
        final EmbeddedProxy.Client fourth = proxy.connect();
        fourth.send(GET); // would wait 300 ms
        final RawHttp.Response refused = fourth.response();
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("retry-after")).isEqualTo("1");
        third.advanceTime(200);
        proxy.forwarded().answer(OK);
        assertThat(third.response().status()).isEqualTo(200);
        assertThat(metrics("client-address").count(RateLimitMetrics.Outcome.DELAYED)).isEqualTo(2);
        assertThat(metrics("client-address").count(RateLimitMetrics.Outcome.LIMITED)).isEqualTo(1);
    }

    @Test
    void claimAndApiKeyComeFromTheIdentity()
    {
        // Stands in for the route's authentication filter: who the request is from, from a header the test sends.
        final RequestFilter authenticates = (request, context) ->
        {
            final String user = request.headers().get("x-user");
            final String key = request.headers().get("x-key");
            if (user != null)
            {
                context.identity(new Identity("jwt", user, Map.of("sub", user, "tenant", "t-" + user.charAt(0))));
            }
            else if (key != null)
            {
                context.identity(new Identity("api_key", key, Map.of()));
            }
            return RequestFilter.Outcome.CONTINUE;
        };
        final EmbeddedProxy.Client client = client(List.of(authenticates), limits("""
            - { name: tenant, key: { claim: tenant }, rate: 1/h, burst: 1 }
            - { name: key, key: api-key, rate: 1/h }
            """), null);

        passes(client, "GET /x HTTP/1.1\r\nHost: test\r\nX-User: alice\r\n\r\n");
        passes(client, "GET /x HTTP/1.1\r\nHost: test\r\nX-User: anna\r\n\r\n");
        client.send("GET /x HTTP/1.1\r\nHost: test\r\nX-User: ann\r\n\r\n");
        assertThat(client.response().status()).as("the third of tenant t-a").isEqualTo(429);
        passes(client, "GET /x HTTP/1.1\r\nHost: test\r\nX-User: bob\r\n\r\n");

        assertThat(passes(client, "GET /x HTTP/1.1\r\nHost: test\r\nX-Key: ci\r\n\r\n").header("ratelimit"))
            .isEqualTo("\"key\";r=0;t=3600");
        client.send("GET /x HTTP/1.1\r\nHost: test\r\nX-Key: ci\r\n\r\n");
        assertThat(client.response().status()).isEqualTo(429);
        passes(client, "GET /x HTTP/1.1\r\nHost: test\r\nX-Key: deploy\r\n\r\n");
        passes(client, GET);
    }

    /** A global limit as a file with {@code redis:} would give it. */
    private static RouteFilter.RateLimit global(final RouteFilter.RateLimit.OnStoreError onError)
    {
        return new RouteFilter.RateLimit(List.of(new RouteFilter.RateLimit.Limit("shared", List.of(
            new RouteFilter.RateLimit.Header("X-Api-Key")), 1, Duration.ofHours(1), 1, RouteFilter.RateLimit.Action.REJECT,
            Duration.ZERO, false, true, onError, 1024)));
    }

    @Test
    void aGlobalLimitWaitsForTheStoreAndTellsItsAnswer()
    {
        final List<CompletableFuture<LimitDecision>> asked = new ArrayList<>();
        final List<String> keys = new ArrayList<>();
        final SharedLimiter store = (key, interval, burst, cost) ->
        {
            keys.add(key + " " + interval + " " + burst + " " + cost);
            final CompletableFuture<LimitDecision> decision = new CompletableFuture<>();
            asked.add(decision);
            return decision;
        };
        final EmbeddedProxy.Client client = client(List.of(), global(RouteFilter.RateLimit.OnStoreError.DENY), store);

        client.send(KEYED);
        assertThat(client.exchange().state()).isEqualTo(ExchangeState.FILTERING);
        assertThat(keys).containsExactly("all shared 2:k1 " + TimeUnit.HOURS.toNanos(1) + " 1 1");
        asked.getFirst().complete(new LimitDecision(true, 1, 0, TimeUnit.HOURS.toNanos(1)));
        client.runPendingTasks();
        proxy.forwarded().answer(OK);
        assertThat(client.response().header("ratelimit")).isEqualTo("\"shared\";r=1;t=3600");

        client.send(KEYED);
        asked.get(1).complete(new LimitDecision(false, 0, 90 * SECOND + 1, 2 * TimeUnit.HOURS.toNanos(1)));
        client.runPendingTasks();
        final RawHttp.Response refused = client.response();
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("retry-after")).isEqualTo("91");
        assertThat(metrics("shared").sharedErrors()).isZero();

        passes(client, GET);
        assertThat(asked).as("no key, no question").hasSize(2);
    }

    @Test
    void aFailingStoreFallsBackToTheLocalLimit()
    {
        final EmbeddedProxy.Client client = client(List.of(), global(RouteFilter.RateLimit.OnStoreError.LOCAL), UNREACHABLE);

        for (int remaining = 1; remaining >= 0; remaining--)
        {
            client.send(KEYED);
            client.runPendingTasks();
            proxy.forwarded().answer(OK);
            assertThat(client.response().header("ratelimit")).isEqualTo("\"shared\";r=" + remaining + ";t=3600");
        }
        client.send(KEYED);
        client.runPendingTasks();
        assertThat(client.response().status()).as("this proxy's own count: burst 1, then the rate").isEqualTo(429);
        assertThat(metrics("shared").sharedErrors()).isEqualTo(3);
        assertThat(metrics("shared").fallbacks(RateLimitMetrics.Fallback.LOCAL)).isEqualTo(3);
        assertThat(metrics("shared").count(RateLimitMetrics.Outcome.LIMITED)).isEqualTo(1);
    }

    @Test
    void aFailingStoreFailsOpenOrClosedAsTheLimitSays()
    {
        final EmbeddedProxy.Client open = client(List.of(), global(RouteFilter.RateLimit.OnStoreError.ALLOW), UNREACHABLE);
        for (int i = 0; i < 4; i++)
        {
            open.send(KEYED);
            open.runPendingTasks();
            proxy.forwarded().answer(OK);
            final RawHttp.Response response = open.response();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("ratelimit")).as("nothing decided, nothing told").isNull();
        }
        assertThat(metrics("shared").fallbacks(RateLimitMetrics.Fallback.ALLOW)).isEqualTo(4);

        final EmbeddedProxy.Client closed = client(List.of(), global(RouteFilter.RateLimit.OnStoreError.DENY), UNREACHABLE);
        closed.send(KEYED);
        closed.runPendingTasks();
        final RawHttp.Response refused = closed.response();
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("retry-after")).isEqualTo("1");
        assertThat(metrics("shared").fallbacks(RateLimitMetrics.Fallback.DENY)).isEqualTo(1);
        assertThat(metrics("shared").sharedErrors()).isEqualTo(5);
        assertThat(proxy.metrics().prometheusText())
            .contains("sluice_l7_rate_limit_fallbacks_total{route=\"all\",limit=\"shared\",to=\"deny\"} 1\n")
            .contains("sluice_l7_rate_limit_shared_errors_total{route=\"all\",limit=\"shared\"} 5\n");
    }

    @Test
    void withoutAStoreAGlobalLimitFallsBackToo()
    {
        final EmbeddedProxy.Client client = client(List.of(), global(RouteFilter.RateLimit.OnStoreError.LOCAL), null);

        passes(client, KEYED);
        passes(client, KEYED);
        client.send(KEYED);
        assertThat(client.response().status()).isEqualTo(429);
        assertThat(metrics("shared").fallbacks(RateLimitMetrics.Fallback.LOCAL)).isEqualTo(3);
    }
}
