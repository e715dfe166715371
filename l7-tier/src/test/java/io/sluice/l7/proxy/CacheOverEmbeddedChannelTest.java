package io.sluice.l7.proxy;

import io.netty.handler.codec.DateFormatter;
import io.sluice.l7.cache.CacheStats;
import io.sluice.l7.cache.ResponseCache;
import io.sluice.l7.config.CacheSettings;
import io.sluice.l7.filter.FilterChain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.ConnectException;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The response cache on the proxy's real request path over in-memory channels, with a clock the
 * test moves: a table of RFC 9111 cases (stored or not, then fresh or not), a table of request
 * directives (max-age, max-stale, min-fresh, only-if-cached, no-cache), then Vary, revalidation
 * with the 304 merged, stale-while-revalidate refreshed by one background request, stale-if-error
 * for a backend's 5xx and for the proxy's own 502/504 (refused, closed, timed out), request
 * coalescing and its timeout and the waiters let go when the leader fails, and the bad inputs (a
 * malformed Cache-Control, a body over max_object, a Content-Length that lies). Leaks fail the test.
 */
@ExtendWith(LeakTracking.class)
final class CacheOverEmbeddedChannelTest
{
    private static final String ONE_SERVER = """
        routes: [{ name: all, to: p }]
        pools:
          p: { servers: [{ name: a, address: 198.18.0.1:8080 }] }
        """;
    private static final CacheSettings SETTINGS = new CacheSettings(1 << 20, 1024, Duration.ZERO, false, List.of(), false,
        Duration.ofSeconds(5));

    private final EmbeddedProxy proxy = new EmbeddedProxy();
    private final AtomicLong nowMs = new AtomicLong(1_800_000_000_000L);
    private ResponseCache cache;

    @AfterEach
    void close()
    {
        proxy.close();
        if (cache != null)
        {
            cache.close();
        }
    }

    private EmbeddedProxy.Client client(final CacheSettings settings)
    {
        cache = new ResponseCache("all", settings, null, nowMs::get);
        proxy.configure(ONE_SERVER);
        proxy.filters(new FilterChain(List.of(cache), List.of(cache)));
        return proxy.connect();
    }

    /** A client whose first GET stored the backend's {@link #ok} with these fields; the clock then moved {@code laterMs} on. */
    private EmbeddedProxy.Client stored(final String fields, final long laterMs)
    {
        final EmbeddedProxy.Client client = client(SETTINGS);
        client.send(get(""));
        proxy.forwarded().answer(ok(fields));
        client.response();
        nowMs.addAndGet(laterMs);
        return client;
    }

    private String date(final long offsetMs)
    {
        return DateFormatter.format(new Date(nowMs.get() + offsetMs));
    }

    /** A 200 with {@code fields} (each line ending in CRLF), a Date of now and the body "hello". */
    /** The first GET of /x, answered by the backend with {@code fields} (and stored, when they let it be). */
    private void stored(final EmbeddedProxy.Client client, final String fields)
    {
        client.send(get(""));
        proxy.forwarded().answer(ok(fields));
        client.response();
    }

    private String ok(final String fields)
    {
        return "HTTP/1.1 200 OK\r\nDate: " + date(0) + "\r\n" + fields + "Content-Length: 5\r\n\r\nhello";
    }

    private static String get(final String fields)
    {
        return "GET /x HTTP/1.1\r\nHost: test\r\n" + fields + "\r\n";
    }

    /**
     * One RFC 9111 case: the first request goes to the backend, which answers; then the same
     * request again is answered from the cache ({@code hit}) or goes to the backend.
     */
    record Case(String name, String method, String requestFields, String status, String responseFields, boolean hit)
    {
        @Override
        public String toString()
        {
            return name;
        }
    }

    static List<Case> cases()
    {
        return List.of(
            new Case("max-age is fresh", "GET", "", "200 OK", "Cache-Control: max-age=60\r\n", true),
            new Case("s-maxage wins over max-age in a shared cache", "GET", "", "200 OK", "Cache-Control: max-age=0, s-maxage=60\r\n", true),
            new Case("no-store is not stored", "GET", "", "200 OK", "Cache-Control: no-store, max-age=60\r\n", false),
            new Case("private is not stored", "GET", "", "200 OK", "Cache-Control: private, max-age=60\r\n", false),
            new Case("no-cache is revalidated every time", "GET", "", "200 OK", "Cache-Control: no-cache, max-age=60\r\nETag: \"v1\"\r\n",
                false),
            new Case("Expires in the future is fresh", "GET", "", "200 OK", "Expires: EXPIRES+60000\r\n", true),
            new Case("Expires in the past is stale", "GET", "", "200 OK", "Expires: EXPIRES-60000\r\n", false),
            new Case("an invalid Expires is in the past", "GET", "", "200 OK", "Expires: 0\r\n", false),
            new Case("no freshness and no default_ttl: not stored", "GET", "", "200 OK", "", false),
            new Case("500 is not cacheable", "GET", "", "500 Internal Server Error", "Cache-Control: max-age=60\r\n", false),
            new Case("404 is cacheable by default", "GET", "", "404 Not Found", "Cache-Control: max-age=60\r\n", true),
            new Case("301 is cacheable by default", "GET", "", "301 Moved Permanently", "Cache-Control: max-age=60\r\nLocation: /y\r\n", true),
            new Case("302 is not", "GET", "", "302 Found", "Cache-Control: max-age=60\r\nLocation: /y\r\n", false),
            new Case("Set-Cookie is not stored by default", "GET", "", "200 OK", "Cache-Control: max-age=60\r\nSet-Cookie: a=b\r\n", false),
            new Case("Vary: * never matches", "GET", "", "200 OK", "Cache-Control: max-age=60\r\nVary: *\r\n", false),
            new Case("Authorization: not stored", "GET", "Authorization: Bearer x\r\n", "200 OK", "Cache-Control: max-age=60\r\n", false),
            new Case("Authorization with public", "GET", "Authorization: Bearer x\r\n", "200 OK", "Cache-Control: public, max-age=60\r\n",
                true),
            new Case("Authorization with s-maxage", "GET", "Authorization: Bearer x\r\n", "200 OK", "Cache-Control: s-maxage=60\r\n", true),
            new Case("Authorization with must-revalidate", "GET", "Authorization: Bearer x\r\n", "200 OK",
                "Cache-Control: must-revalidate, max-age=60\r\n", true),
            new Case("a malformed Cache-Control is not stored", "GET", "", "200 OK", "Cache-Control: max-age=soon\r\n", false),
            new Case("an unterminated quote is malformed", "GET", "", "200 OK", "Cache-Control: max-age=60, x=\"oops\r\n", false),
            new Case("the request's no-store", "GET", "Cache-Control: no-store\r\n", "200 OK", "Cache-Control: max-age=60\r\n", false),
            new Case("the request's no-cache reloads", "GET", "Cache-Control: no-cache\r\n", "200 OK", "Cache-Control: max-age=60\r\n",
                false),
            new Case("Pragma: no-cache reloads", "GET", "Pragma: no-cache\r\n", "200 OK", "Cache-Control: max-age=60\r\n", false),
            new Case("POST is not cached", "POST", "Content-Length: 0\r\n", "200 OK", "Cache-Control: max-age=60\r\n", false),
            new Case("an Age past max-age is stale", "GET", "", "200 OK", "Cache-Control: max-age=60\r\nAge: 61\r\n", false),
            new Case("an Age within max-age is fresh", "GET", "", "200 OK", "Cache-Control: max-age=60\r\nAge: 30\r\n", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rfc9111(final Case table)
    {
        final EmbeddedProxy.Client client = client(SETTINGS);
        final String request = table.method() + " /x HTTP/1.1\r\nHost: test\r\n" + table.requestFields() + "\r\n";
        final String fields = table.responseFields().replace("EXPIRES+60000", date(60_000)).replace("EXPIRES-60000", date(-60_000));

        client.send(request);
        proxy.forwarded().answer("HTTP/1.1 " + table.status() + "\r\nDate: " + date(0) + "\r\n" + fields
            + "Content-Length: 5\r\n\r\nhello");
        final RawHttp.Response first = client.response();
        assertThat(first.text()).isEqualTo("hello");
        assertThat(first.header("cache-status")).as("every response of the route says what the cache did").startsWith("sluice; ");

        nowMs.addAndGet(1000);
        client.send(request);
        assertThat(proxy.anythingForwarded()).as("forwarded the second time").isEqualTo(!table.hit());
        if (table.hit())
        {
            final RawHttp.Response second = client.response();
            assertThat(second.status()).isEqualTo(first.status());
            assertThat(second.text()).isEqualTo("hello");
            assertThat(second.header("cache-status")).startsWith("sluice; hit; ttl=");
            assertThat(Long.parseLong(second.header("age"))).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void ageCountsTheBackendsAgeAndTheTimeStored()
    {
        final EmbeddedProxy.Client client = client(SETTINGS);
        client.send(get(""));
        proxy.forwarded().answer(ok("Cache-Control: max-age=60\r\nAge: 10\r\n"));
        assertThat(client.response().header("cache-status")).isEqualTo("sluice; fwd=uri-miss; fwd-status=200; stored; ttl=60");

        nowMs.addAndGet(5000);
        client.send(get(""));
        final RawHttp.Response hit = client.response();
        assertThat(hit.header("age")).isEqualTo("15");
        assertThat(hit.header("cache-status")).isEqualTo("sluice; hit; ttl=45");
    }

    @Test
    void aHeadIsAnsweredFromTheStoredGet()
    {
        final EmbeddedProxy.Client client = client(SETTINGS);
        stored(client, "Cache-Control: max-age=60\r\n");

        client.send("HEAD /x HTTP/1.1\r\nHost: test\r\n\r\n");
        assertThat(proxy.anythingForwarded()).isFalse();
        final String head = client.received();
        assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("content-length: 5").endsWith("\r\n\r\n");
    }

    @Test
    void theClientsOwnConditionIsAnsweredFromTheStore()
    {
        final EmbeddedProxy.Client client = client(SETTINGS);
        stored(client, "Cache-Control: max-age=60\r\nETag: \"v1\"\r\n");

        client.send(get("If-None-Match: W/\"v1\"\r\n"));
        assertThat(proxy.anythingForwarded()).isFalse();
        assertThat(client.received()).startsWith("HTTP/1.1 304 Not Modified\r\n").containsIgnoringCase("etag: \"v1\"");
    }

    @Test
    void variantsAreStoredPerVaryValue()
    {
        final EmbeddedProxy.Client client = client(SETTINGS);
        client.send(get("Accept-Language: en\r\n"));
        proxy.forwarded().answer(ok("Cache-Control: max-age=60\r\nVary: Accept-Language\r\n"));
        client.response();

        client.send(get("Accept-Language: de\r\n"));
        final EmbeddedProxy.Forwarded german = proxy.forwarded();
        german.answer("HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\nVary: Accept-Language\r\nContent-Length: 5\r\n\r\nhallo");
        assertThat(client.response().header("cache-status")).startsWith("sluice; fwd=vary-miss; fwd-status=200; stored");

        client.send(get("Accept-Language: en\r\n"));
        assertThat(client.response().text()).isEqualTo("hello");
        client.send(get("Accept-Language:  de \r\n"));
        assertThat(client.response().text()).as("whitespace is not a different value").isEqualTo("hallo");
        assertThat(proxy.anythingForwarded()).isFalse();
    }

    @Test
    void theKeyMayNormaliseTheQueryAndTakeHeaders()
    {
        final EmbeddedProxy.Client client = client(new CacheSettings(1 << 20, 1024, Duration.ZERO, true, List.of("x-tenant"), false,
            Duration.ofSeconds(5)));
        client.send("GET /x?b=2&a=1 HTTP/1.1\r\nHost: test\r\nX-Tenant: t1\r\n\r\n");
        proxy.forwarded().answer(ok("Cache-Control: max-age=60\r\n"));
        client.response();

        client.send("GET /x?a=1&b=2 HTTP/1.1\r\nHost: TEST\r\nX-Tenant: t1\r\n\r\n");
        assertThat(client.response().header("cache-status")).as("parameters in order, host in lower case").startsWith("sluice; hit");
        client.send("GET /x?a=1&b=2 HTTP/1.1\r\nHost: test\r\nX-Tenant: t2\r\n\r\n");
        assertThat(proxy.anythingForwarded()).as("another tenant, another key").isTrue();
        proxy.forwarded().answer(ok("Cache-Control: max-age=60\r\n"));
        client.response();

        assertThat(cache.purgeKey("http://test/x?a=1&b=2")).as("every tenant's").isEqualTo(2);
    }

    @Test
    void aStaleResponseIsRevalidatedAndThe304Merged()
    {
        final EmbeddedProxy.Client client = client(SETTINGS);
        stored(client, "Cache-Control: max-age=10\r\nETag: \"v1\"\r\nLast-Modified: " + date(-100_000) + "\r\nX-Version: 1\r\n");

        nowMs.addAndGet(20_000);
        client.send(get(""));
        final EmbeddedProxy.Forwarded revalidation = proxy.forwarded();
        assertThat(revalidation.request().header("if-none-match")).isEqualTo("\"v1\"");
        assertThat(revalidation.request().header("if-modified-since")).isNotNull();
        revalidation.answer("HTTP/1.1 304 Not Modified\r\nDate: " + date(0) + "\r\nCache-Control: max-age=30\r\nX-Version: 2\r\n\r\n");
        final RawHttp.Response refreshed = client.response();
        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(refreshed.text()).isEqualTo("hello");
        assertThat(refreshed.header("x-version")).as("the 304's fields replace the stored ones").isEqualTo("2");
        assertThat(refreshed.header("cache-status")).isEqualTo("sluice; fwd=stale; fwd-status=304; stored; ttl=30");

        nowMs.addAndGet(20_000);
        client.send(get(""));
        assertThat(proxy.anythingForwarded()).as("fresh again for the 304's max-age").isFalse();
        assertThat(client.response().header("x-version")).isEqualTo("2");
        assertThat(cache.stats().revalidated()).isEqualTo(1);
    }

    @Test
    void aRevalidationAnsweredWithANewResponseReplacesTheStoredOne()
    {
        final EmbeddedProxy.Client client = client(SETTINGS);
        stored(client, "Cache-Control: max-age=10\r\nETag: \"v1\"\r\n");

        nowMs.addAndGet(20_000);
        client.send(get(""));
        proxy.forwarded().answer("HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\nETag: \"v2\"\r\nContent-Length: 3\r\n\r\nnew");
        assertThat(client.response().text()).isEqualTo("new");
        client.send(get(""));
        assertThat(client.response().text()).isEqualTo("new");
        assertThat(proxy.anythingForwarded()).isFalse();
    }

    @Test
    void underStaleWhileRevalidateEveryClientGetsTheStaleCopyAtOnceAndOneBackgroundRequestRefreshesIt()
    {
        final EmbeddedProxy.Client first = stored("Cache-Control: max-age=10, stale-while-revalidate=60\r\nETag: \"v1\"\r\n"
            + "X-Version: 1\r\n", 20_000);
        first.send(get(""));
        final RawHttp.Response stale = first.response();
        assertThat(stale.text()).as("answered before the backend was asked").isEqualTo("hello");
        assertThat(stale.header("cache-status")).isEqualTo("sluice; hit; ttl=-10; detail=stale-while-revalidate");
        final EmbeddedProxy.Forwarded refresh = proxy.forwarded();
        assertThat(refresh.request().header("if-none-match")).isEqualTo("\"v1\"");

        final EmbeddedProxy.Client second = proxy.connect();
        second.send(get(""));
        assertThat(second.response().header("cache-status")).endsWith("detail=stale-while-revalidate");
        assertThat(proxy.anythingForwarded()).as("one refresh for the key").isFalse();

        refresh.answer("HTTP/1.1 304 Not Modified\r\nDate: " + date(0) + "\r\nCache-Control: max-age=10, stale-while-revalidate=60\r\n"
            + "X-Version: 2\r\n\r\n");
        first.send(get(""));
        final RawHttp.Response refreshed = first.response();
        assertThat(refreshed.header("cache-status")).isEqualTo("sluice; hit; ttl=10");
        assertThat(refreshed.header("x-version")).as("the 304's fields merged").isEqualTo("2");
        assertThat(proxy.anythingForwarded()).isFalse();
        assertThat(proxy.connections()).as("the refresh's connection went back to the pool").hasSize(1);
        assertThat(cache.stats().backgroundRefreshes()).isEqualTo(1);
        assertThat(cache.stats().revalidated()).isEqualTo(1);
        assertThat(cache.stats().staleServed()).isEqualTo(2);
    }

    @Test
    void aBackgroundRefreshAnsweredWithANewResponseStoresIt()
    {
        final EmbeddedProxy.Client client = stored("Cache-Control: max-age=10, stale-while-revalidate=60\r\n", 20_000);
        client.send(get(""));
        assertThat(client.response().text()).isEqualTo("hello");
        final EmbeddedProxy.Forwarded refresh = proxy.forwarded();
        assertThat(refresh.request().header("if-none-match")).as("nothing to validate with: a plain GET").isNull();
        refresh.answer("HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nnew\r\n0\r\n\r\n");

        client.send(get(""));
        final RawHttp.Response hit = client.response();
        assertThat(hit.text()).isEqualTo("new");
        assertThat(hit.header("cache-status")).startsWith("sluice; hit; ttl=");
    }

    @Test
    void aBackgroundRefreshThatFailsLeavesTheStaleCopyAndTheNextStaleRequestTriesAgain()
    {
        final EmbeddedProxy.Client client = stored("Cache-Control: max-age=10, stale-while-revalidate=60\r\n", 20_000);
        client.send(get(""));
        client.response();
        proxy.forwarded().connection().close();
        assertThat(cache.stats().refreshFailures()).isEqualTo(1);

        client.send(get(""));
        assertThat(client.response().text()).isEqualTo("hello");
        assertThat(proxy.forwarded().request().uri()).isEqualTo("/x");
        assertThat(cache.stats().backgroundRefreshes()).isEqualTo(2);
    }

    @Test
    void aFailingBackendIsAnsweredWithTheStaleCopyUnderStaleIfError()
    {
        final EmbeddedProxy.Client client = client(SETTINGS);
        stored(client, "Cache-Control: max-age=10, stale-if-error=60\r\n");

        nowMs.addAndGet(20_000);
        client.send(get(""));
        proxy.forwarded().answer("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nboom");
        final RawHttp.Response stale = client.response();
        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.text()).isEqualTo("hello");
        assertThat(stale.header("cache-status")).isEqualTo("sluice; fwd=stale; fwd-status=500; ttl=-10; detail=stale-if-error");

        nowMs.addAndGet(60_000);
        client.send(get(""));
        proxy.forwarded().answer("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nboom");
        assertThat(client.response().status()).as("past stale-if-error the error goes through").isEqualTo(500);
    }

    @Test
    void mustRevalidateForbidsServingStale()
    {
        final EmbeddedProxy.Client client = client(SETTINGS);
        stored(client, "Cache-Control: max-age=10, must-revalidate, stale-if-error=60\r\n");

        nowMs.addAndGet(20_000);
        client.send(get(""));
        proxy.forwarded().answer("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nboom");
        assertThat(client.response().status()).isEqualTo(503);
    }

    @Test
    void concurrentMissesMakeOneBackendRequestAndTheOthersAreAnsweredFromIt()
    {
        final EmbeddedProxy.Client leader = client(SETTINGS);
        leader.send(get(""));
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        final EmbeddedProxy.Client second = proxy.connect();
        final EmbeddedProxy.Client third = proxy.connect();
        second.send(get(""));
        third.send("HEAD /x HTTP/1.1\r\nHost: test\r\n\r\n");
        assertThat(proxy.anythingForwarded()).as("the others wait").isFalse();

        forwarded.answer(ok("Cache-Control: max-age=60\r\n"));
        second.runPendingTasks();
        third.runPendingTasks();
        assertThat(leader.response().text()).isEqualTo("hello");
        final RawHttp.Response coalesced = second.response();
        assertThat(coalesced.text()).isEqualTo("hello");
        assertThat(coalesced.header("cache-status")).isEqualTo("sluice; hit; ttl=60; detail=coalesced");
        assertThat(third.received()).startsWith("HTTP/1.1 200 OK\r\n").contains("detail=coalesced");
        assertThat(proxy.connections()).hasSize(1);
        assertThat(cache.stats().coalescedWaits()).isEqualTo(2);
    }

    @Test
    void anUncacheableResponseSendsTheWaitersToTheBackend()
    {
        final EmbeddedProxy.Client leader = client(SETTINGS);
        leader.send(get(""));
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        final EmbeddedProxy.Client waiting = proxy.connect();
        waiting.send(get(""));

        forwarded.answer(ok("Cache-Control: private\r\n"));
        waiting.runPendingTasks();
        assertThat(leader.response().header("cache-status")).isEqualTo("sluice; fwd=uri-miss; fwd-status=200; detail=private");
        final EmbeddedProxy.Forwarded own = proxy.forwarded();
        own.answer(ok("Cache-Control: private\r\n"));
        assertThat(waiting.response().text()).isEqualTo("hello");
    }

    @Test
    void aWaiterGoesToTheBackendItselfAfterTheCoalescingTimeout()
    {
        final EmbeddedProxy.Client leader = client(SETTINGS);
        leader.send(get(""));
        proxy.forwarded();
        final EmbeddedProxy.Client waiting = proxy.connect();
        waiting.send(get(""));
        assertThat(proxy.anythingForwarded()).isFalse();

        waiting.advanceTime(5_001);
        final EmbeddedProxy.Forwarded own = proxy.forwarded();
        own.answer(ok("Cache-Control: max-age=60\r\n"));
        assertThat(waiting.response().text()).isEqualTo("hello");
        assertThat(cache.stats().coalesceTimeouts()).isEqualTo(1);
    }

    @Test
    void aBodyOverMaxObjectStreamsThroughAndIsNotStored()
    {
        final EmbeddedProxy.Client client = client(SETTINGS);
        client.send(get(""));
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        forwarded.answer("HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\nTransfer-Encoding: chunked\r\n\r\n");
        final String chunk = "a".repeat(1000);
        forwarded.answer("3e8\r\n" + chunk + "\r\n");
        assertThat(client.received()).as("streamed as it comes").contains("stored").endsWith(chunk + "\r\n");
        forwarded.answer("3e8\r\n" + chunk + "\r\n0\r\n\r\n");
        assertThat(client.received()).endsWith("0\r\n\r\n");

        client.send(get(""));
        assertThat(proxy.anythingForwarded()).isTrue();
        assertThat(cache.stats().notStoredBodies()).isEqualTo(1);
    }

    @Test
    void aChunkedBodyIsStoredAndServedWithItsLength()
    {
        final EmbeddedProxy.Client client = client(SETTINGS);
        client.send(get(""));
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        forwarded.answer("HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
        forwarded.answer("2\r\nde\r\n0\r\n\r\n");
        assertThat(client.received()).endsWith("0\r\n\r\n");

        client.send(get(""));
        assertThat(proxy.anythingForwarded()).isFalse();
        final RawHttp.Response hit = client.response();
        assertThat(hit.text()).isEqualTo("abcde");
        assertThat(hit.header("content-length")).isEqualTo("5");
        assertThat(hit.header("transfer-encoding")).isNull();
    }

    @Test
    void aWebSocketUpgradeBypassesTheCache()
    {
        final EmbeddedProxy.Client client = client(SETTINGS);
        client.send(get("Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\n"));
        proxy.forwarded().answer("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
        assertThat(client.received()).startsWith("HTTP/1.1 101 Switching Protocols\r\n").contains("fwd=bypass");
    }

    @Test
    void aContentLengthOverMaxObjectIsNotStoredAtAll()
    {
        final EmbeddedProxy.Client client = client(SETTINGS);
        client.send(get(""));
        proxy.forwarded().answer("HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\nContent-Length: 2000\r\n\r\n" + "b".repeat(2000));
        final RawHttp.Response response = client.response();
        assertThat(response.body()).hasSize(2000);
        assertThat(response.header("cache-status")).endsWith("detail=too-large");
    }

    @Test
    void aBackendThatSendsLessThanItsContentLengthIsNotStored()
    {
        final EmbeddedProxy.Client client = client(SETTINGS);
        client.send(get(""));
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        forwarded.answer("HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\nContent-Length: 10\r\n\r\nhalf");
        forwarded.connection().close();
        assertThat(client.isOpen()).isFalse();

        final EmbeddedProxy.Client again = proxy.connect();
        again.send(get(""));
        assertThat(proxy.anythingForwarded()).isTrue();
        final CacheStats stats = cache.stats();
        assertThat(stats.responses()).isZero();
        assertThat(stats.notStoredBodies()).isEqualTo(1);
    }

    @Test
    void aMalformedCacheControlIsCounted()
    {
        final EmbeddedProxy.Client client = client(SETTINGS);
        client.send(get(""));
        proxy.forwarded().answer(ok("Cache-Control: max-age=\"60\r\n"));
        assertThat(client.response().header("cache-status")).endsWith("detail=malformed-cache-control");
        assertThat(cache.stats().malformedCacheControl()).isEqualTo(1);
    }

    @Test
    void anUnsafeMethodInvalidatesTheStoredResponse()
    {
        final EmbeddedProxy.Client client = client(SETTINGS);
        stored(client, "Cache-Control: max-age=60\r\n");

        client.send("DELETE /x HTTP/1.1\r\nHost: test\r\n\r\n");
        proxy.forwarded().answer("HTTP/1.1 204 No Content\r\n\r\n");
        assertThat(client.response().header("cache-status")).isEqualTo("sluice; fwd=bypass; fwd-status=204");
        client.send(get(""));
        assertThat(proxy.anythingForwarded()).isTrue();
    }

    @Test
    void purgesByKeyPathPrefixAndTag()
    {
        final EmbeddedProxy.Client client = client(SETTINGS);
        for (final String path : List.of("/a/1", "/a/2", "/b/1"))
        {
            client.send("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n");
            proxy.forwarded().answer(ok("Cache-Control: max-age=60\r\nSurrogate-Key: all " + path.substring(1, 2) + "\r\n"));
            assertThat(client.response().header("surrogate-key")).as("tags are the cache's, not the client's").isNull();
        }
        assertThat(cache.stats().responses()).isEqualTo(3);
        assertThat(cache.purgeKey("http://test/b/1")).isEqualTo(1);
        assertThat(cache.purgePathPrefix("/a/")).isEqualTo(2);
        assertThat(cache.stats().responses()).isZero();

        client.send("GET /a/1 HTTP/1.1\r\nHost: test\r\n\r\n");
        proxy.forwarded().answer(ok("Cache-Control: max-age=60\r\nSurrogate-Key: all a\r\n"));
        client.response();
        assertThat(cache.purgeTag("b")).isZero();
        assertThat(cache.purgeTag("a")).isEqualTo(1);
        client.send("GET /a/1 HTTP/1.1\r\nHost: test\r\n\r\n");
        assertThat(proxy.anythingForwarded()).isTrue();
    }

    /** What a request with a directive gets, after a first plain request stored the response. */
    enum Expect
    {
        HIT, FORWARDED, REVALIDATED, NOT_CACHED
    }

    /**
     * One request directive (RFC 9111 5.2.1): the response stored by a first request, then,
     * {@code laterMs} on, a request with {@code requestFields}.
     */
    record Directive(String name, String responseFields, long laterMs, String requestFields, Expect expect)
    {
        @Override
        public String toString()
        {
            return name;
        }
    }

    static List<Directive> requestDirectives()
    {
        final String maxAge10 = "Cache-Control: max-age=10\r\n";
        final String maxAge60 = "Cache-Control: max-age=60\r\n";
        final String tagged = "Cache-Control: max-age=60\r\nETag: \"v1\"\r\n";
        return List.of(
            new Directive("max-stale takes a stale response", maxAge10, 20_000, "Cache-Control: max-stale\r\n", Expect.HIT),
            new Directive("max-stale=30 takes one 10 s stale", maxAge10, 20_000, "Cache-Control: max-stale=30\r\n", Expect.HIT),
            new Directive("max-stale=5 does not take one 10 s stale", maxAge10, 20_000, "Cache-Control: max-stale=5\r\n",
                Expect.FORWARDED),
            new Directive("max-stale does not override must-revalidate", "Cache-Control: max-age=10, must-revalidate\r\n", 20_000,
                "Cache-Control: max-stale\r\n", Expect.FORWARDED),
            new Directive("min-fresh beyond the freshness left", maxAge60, 1_000, "Cache-Control: min-fresh=100\r\n",
                Expect.FORWARDED),
            new Directive("min-fresh within the freshness left", maxAge60, 1_000, "Cache-Control: min-fresh=30\r\n", Expect.HIT),
            new Directive("max-age=10 does not take a response 20 s old", maxAge60, 20_000, "Cache-Control: max-age=10\r\n",
                Expect.FORWARDED),
            new Directive("max-age=10 takes a response 5 s old", maxAge60, 5_000, "Cache-Control: max-age=10\r\n", Expect.HIT),
            new Directive("no-cache revalidates", tagged, 1_000, "Cache-Control: no-cache\r\n", Expect.REVALIDATED),
            new Directive("max-age=0 revalidates", tagged, 1_000, "Cache-Control: max-age=0\r\n", Expect.REVALIDATED),
            new Directive("Pragma: no-cache revalidates", tagged, 1_000, "Pragma: no-cache\r\n", Expect.REVALIDATED),
            new Directive("only-if-cached is answered from the store", maxAge60, 1_000, "Cache-Control: only-if-cached\r\n",
                Expect.HIT),
            new Directive("only-if-cached and only a stale response: 504", maxAge10, 20_000, "Cache-Control: only-if-cached\r\n",
                Expect.NOT_CACHED),
            new Directive("only-if-cached with max-stale takes the stale one", maxAge10, 20_000,
                "Cache-Control: only-if-cached, max-stale\r\n", Expect.HIT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestDirectives")
    void requestDirective(final Directive table)
    {
        final EmbeddedProxy.Client client = stored(table.responseFields(), table.laterMs());
        client.send(get(table.requestFields()));
        switch (table.expect())
        {
            case HIT ->
            {
                assertThat(proxy.anythingForwarded()).isFalse();
                assertThat(client.response().header("cache-status")).startsWith("sluice; hit; ttl=");
            }
            case FORWARDED ->
            {
                proxy.forwarded().answer(ok("Cache-Control: max-age=60\r\n"));
                assertThat(client.response().header("cache-status")).contains("; fwd=");
            }
            case REVALIDATED ->
            {
                final EmbeddedProxy.Forwarded revalidation = proxy.forwarded();
                assertThat(revalidation.request().header("if-none-match")).isEqualTo("\"v1\"");
                revalidation.answer("HTTP/1.1 304 Not Modified\r\nDate: " + date(0) + "\r\nCache-Control: max-age=60\r\n"
                    + "ETag: \"v1\"\r\n\r\n");
                final RawHttp.Response refreshed = client.response();
                assertThat(refreshed.status()).isEqualTo(200);
                assertThat(refreshed.text()).isEqualTo("hello");
                assertThat(refreshed.header("cache-status")).isEqualTo("sluice; fwd=request; fwd-status=304; stored; ttl=60");
            }
            case NOT_CACHED ->
            {
                assertThat(proxy.anythingForwarded()).isFalse();
                final RawHttp.Response refused = client.response();
                assertThat(refused.status()).isEqualTo(504);
                assertThat(refused.header("cache-status")).isEqualTo("sluice; detail=only-if-cached");
            }
        }
    }

    @Test
    void onlyIfCachedWithNothingStoredIsA504AndNeverReachesTheBackend()
    {
        final EmbeddedProxy.Client client = client(SETTINGS);
        client.send(get("Cache-Control: only-if-cached\r\n"));
        assertThat(client.response().status()).isEqualTo(504);
        assertThat(proxy.connections()).isEmpty();
    }

    /** A response stored now, asked for again 20 s later: stale (max-age=10) and within its stale-if-error=60. */
    private EmbeddedProxy.Client storedThenStale()
    {
        return stored("Cache-Control: max-age=10, stale-if-error=60\r\n", 20_000);
    }

    private static void assertStaleOnError(final RawHttp.Response response, final int failure)
    {
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("hello");
        assertThat(response.header("cache-status")).isEqualTo("sluice; fwd=stale; fwd-status=" + failure
            + "; ttl=-10; detail=stale-if-error");
    }

    @Test
    void aBackendThatRefusesTheConnectionIsAnsweredWithTheStaleCopy()
    {
        final EmbeddedProxy.Client client = storedThenStale();
        proxy.connections().getFirst().channel().close(); // no pooled connection: the next is a new one
        proxy.holdConnects();
        client.send(get(""));
        proxy.connected(new ConnectException("Connection refused"));
        assertStaleOnError(client.response(), 502);
        assertThat(cache.stats().staleServed()).isEqualTo(1);
    }

    @Test
    void aBackendThatClosesWithoutAnAnswerIsAnsweredWithTheStaleCopy()
    {
        final EmbeddedProxy.Client client = storedThenStale();
        client.send(get(""));
        proxy.forwarded().connection().close();
        assertStaleOnError(client.response(), 502);
    }

    @Test
    void aBackendThatDoesNotAnswerInTimeIsAnsweredWithTheStaleCopy()
    {
        final EmbeddedProxy.Client client = storedThenStale();
        client.send(get(""));
        proxy.forwarded();
        client.exchange().timedOut(); // as the connection's clock does when the request timeout passes
        assertStaleOnError(client.response(), 504);
    }

    @Test
    void aBackend503WithNoOtherServerToTryIsAnsweredWithTheStaleCopy()
    {
        final EmbeddedProxy.Client client = storedThenStale();
        client.send(get(""));
        proxy.forwarded().answer("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy");
        assertStaleOnError(client.response(), 503);
    }

    @Test
    void theRequestsOwnStaleIfErrorAllowsTheStaleCopy()
    {
        final EmbeddedProxy.Client client = stored("Cache-Control: max-age=10\r\n", 20_000);
        client.send(get("Cache-Control: stale-if-error=60\r\n"));
        proxy.forwarded().answer("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nboom");
        assertStaleOnError(client.response(), 500);

        client.send(get(""));
        proxy.forwarded().answer("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nboom");
        assertThat(client.response().status()).as("without it the error goes through").isEqualTo(500);
    }

    @Test
    void theProxysOwnAnswerSaysWhyWhenNothingStoredCanStandIn()
    {
        final EmbeddedProxy.Client client = client(SETTINGS);
        proxy.holdConnects();
        client.send(get(""));
        proxy.connected(new ConnectException("Connection refused"));
        final RawHttp.Response failed = client.response();
        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.header("cache-status")).isEqualTo("sluice; fwd=uri-miss; detail=backend-failed");
    }

    @Test
    void waitersGoToTheBackendAtOnceWhenTheLeaderGetsTheProxysError()
    {
        final EmbeddedProxy.Client leader = client(SETTINGS);
        proxy.holdConnects();
        leader.send(get(""));
        final EmbeddedProxy.Client waiting = proxy.connect();
        waiting.send(get(""));

        proxy.connected(new ConnectException("Connection refused"));
        assertThat(leader.response().status()).isEqualTo(502);
        waiting.runPendingTasks();
        proxy.connected(null);
        proxy.forwarded().answer(ok("Cache-Control: max-age=60\r\n"));
        assertThat(waiting.response().text()).isEqualTo("hello");
        assertThat(cache.stats().coalesceTimeouts()).isZero();
    }

    @Test
    void waitersGoToTheBackendAtOnceWhenTheLeadersClientGoes()
    {
        final EmbeddedProxy.Client leader = client(SETTINGS);
        leader.send(get(""));
        proxy.forwarded();
        final EmbeddedProxy.Client waiting = proxy.connect();
        waiting.send(get(""));
        assertThat(proxy.anythingForwarded()).isFalse();

        leader.close();
        waiting.runPendingTasks();
        proxy.forwarded().answer(ok("Cache-Control: max-age=60\r\n"));
        assertThat(waiting.response().text()).isEqualTo("hello");
        assertThat(cache.stats().coalesceTimeouts()).isZero();
    }
}
