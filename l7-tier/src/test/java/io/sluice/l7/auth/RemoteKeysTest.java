package io.sluice.l7.auth;

import io.sluice.l7.cache.ControlledBackend;
import io.sluice.l7.config.AuthSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route's keys from a JWKS URL served by a real HTTP server (the JDK's), on a clock the test
 * moves: the first fetch, the cache lifetime from max-age within the route's bounds, one refetch
 * per interval for unknown key ids however many requests ask, and the last good keys kept through
 * a 500, garbage, a refused connection and a server that does not answer in time.
 */
final class RemoteKeysTest
{
    private static final String PATH = "/.well-known/jwks.json";
    private static final AuthSettings.JwksFetch FETCH = new AuthSettings.JwksFetch(Duration.ofSeconds(60),
        Duration.ofSeconds(600), Duration.ofSeconds(30), Duration.ofSeconds(2));

    private final ControlledBackend provider = new ControlledBackend();
    private final AtomicLong nanos = new AtomicLong(1_000);
    /** What the provider answers: status, body, Cache-Control. */
    private final AtomicReference<Object[]> answer = new AtomicReference<>();

    RemoteKeysTest()
    {
        provider.on(PATH, exchange ->
        {
            final Object[] now = answer.get();
            ControlledBackend.send(exchange, (Integer)now[0], ((String)now[1]).getBytes(StandardCharsets.UTF_8),
                "Cache-Control", (String)now[2]);
        });
    }

    @AfterEach
    void close()
    {
        provider.close();
    }

    private void serve(final int status, final String body, final String cacheControl)
    {
        answer.set(new Object[] {status, body, cacheControl});
    }

    private RemoteKeys keys()
    {
        return keys(URI.create("http://" + provider.address() + PATH));
    }

    private RemoteKeys keys(final URI url)
    {
        return new RemoteKeys("api", url, FETCH, nanos::get);
    }

    private void advance(final Duration by)
    {
        nanos.addAndGet(by.toNanos());
    }

    private static void await(final CompletableFuture<Void> fetch) throws Exception
    {
        fetch.get(5, TimeUnit.SECONDS);
    }

    /** current() starts a refresh without waiting for it: wait for the fetch count to reach {@code fetches}. */
    private static void awaitFetches(final RemoteKeys keys, final long fetches) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (keys.fetches() < fetches && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertThat(keys.fetches()).isEqualTo(fetches);
        await(keys.firstKeys()); // the fetch under way, if any, is over
    }

    @Test
    void keysAreKeptForTheirMaxAgeWithinTheRoutesBounds() throws Exception
    {
        serve(200, Tokens.jwks(Tokens.rsa("k1")), "public, max-age=120");
        final RemoteKeys keys = keys();
        await(keys.firstKeys());
        assertThat(keys.keysKnown()).isEqualTo(1);
        assertThat(provider.requests(PATH)).isEqualTo(1);

        advance(Duration.ofSeconds(119));
        assertThat(keys.current().size()).isEqualTo(1);
        assertThat(keys.fetches()).as("still fresh").isEqualTo(1);
        serve(200, Tokens.jwks(Tokens.rsa("k1"), Tokens.rsa("k2")), "max-age=5");
        advance(Duration.ofSeconds(1));
        assertThat(keys.current().size()).as("the request that finds them stale goes on with them").isEqualTo(1);
        awaitFetches(keys, 2);
        assertThat(keys.keysKnown()).isEqualTo(2);

        advance(Duration.ofSeconds(59));
        keys.current();
        assertThat(keys.fetches()).as("max-age=5 is raised to cache_min, 60 s").isEqualTo(2);
        serve(200, Tokens.jwks(Tokens.rsa("k2")), "max-age=86400");
        advance(Duration.ofSeconds(1));
        keys.current();
        awaitFetches(keys, 3);
        advance(Duration.ofSeconds(599));
        keys.current();
        advance(Duration.ofSeconds(1));
        keys.current();
        awaitFetches(keys, 4);
        assertThat(provider.requests(PATH)).as("a day's max-age lowered to cache_max, 600 s").isEqualTo(4);
    }

    @Test
    void aBurstOfUnknownKeyIdsMakesOneFetchPerInterval() throws Exception
    {
        serve(200, Tokens.jwks(Tokens.rsa("k1")), "max-age=3600");
        final RemoteKeys keys = keys();
        await(keys.firstKeys());
        final List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (int i = 0; i < 100; i++)
        {
            final CompletableFuture<Void> wait = keys.unknownKey();
            if (wait != null)
            {
                waits.add(wait);
            }
        }
        for (final CompletableFuture<Void> wait : waits)
        {
            await(wait);
        }
        assertThat(provider.requests(PATH)).as("the first fetch and one for the whole burst").isEqualTo(2);
        assertThat(keys.unknownKey()).as("within the interval: no fetch, refused at once").isNull();
        advance(Duration.ofSeconds(29));
        assertThat(keys.unknownKey()).isNull();
        advance(Duration.ofSeconds(1));
        await(keys.unknownKey());
        assertThat(provider.requests(PATH)).isEqualTo(3);
    }

    @Test
    void aFailingUrlKeepsTheLastGoodKeys() throws Exception
    {
        serve(200, Tokens.jwks(Tokens.rsa("k1")), "max-age=60");
        final RemoteKeys keys = keys();
        await(keys.firstKeys());
        final KeySet good = keys.current();

        serve(500, "oops", "no-store");
        advance(Duration.ofSeconds(60));
        await(keys.unknownKey());
        assertThat(keys.current()).isSameAs(good);
        assertThat(keys.failures()).isEqualTo(1);

        serve(200, "{\"keys\": [ {\"kty\": ", "max-age=60");
        advance(Duration.ofSeconds(30)); // a failure is tried again after the unknown-kid interval
        await(keys.unknownKey());
        assertThat(keys.current()).isSameAs(good);
        assertThat(keys.failures()).isEqualTo(2);

        serve(200, "{\"keys\": [{\"kty\": \"oct\", \"k\": \"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\"}]}", "max-age=60");
        advance(Duration.ofSeconds(30));
        await(keys.unknownKey());
        assertThat(keys.current()).as("a JWKS of no public key is no better").isSameAs(good);
        assertThat(keys.failures()).isEqualTo(3);
        assertThat(keys.keysKnown()).isEqualTo(1);
    }

    @Test
    void aRefusedConnectionOrASilentServerGivesNoKeysWithinTheTimeout() throws Exception
    {
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0))
        {
            closedPort = socket.getLocalPort();
        }
        final RemoteKeys refused = keys(URI.create("http://127.0.0.1:" + closedPort + PATH));
        await(refused.firstKeys());
        assertThat(refused.current()).isNull();
        assertThat(refused.failures()).isEqualTo(1);
        assertThat(refused.firstKeys().isDone()).as("tried again after a second, not at every request").isTrue();
        assertThat(refused.fetches()).isEqualTo(1);

        provider.on("/silent", exchange -> sleep());
        final long start = System.nanoTime();
        final RemoteKeys silent = keys(URI.create("http://" + provider.address() + "/silent"));
        await(silent.firstKeys());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(silent.current()).isNull();
        assertThat(silent.failures()).isEqualTo(1);
    }

    private static void sleep() throws IOException
    {
        try
        {
            Thread.sleep(6_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException(ex);
        }
    }
}
