package io.sluice.l7.auth;

import com.nimbusds.jose.jwk.JWKSet;
import io.sluice.l7.config.AuthSettings;
import io.sluice.l7.metrics.JwksStats;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.text.ParseException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A route's keys from a JWKS URL, fetched by the proxy with the JDK's {@link HttpClient} and its
 * asynchronous API: no event loop ever waits for the identity provider, the client's own thread
 * parses the answer, and HTTPS, redirects and the JDK's trusted roots come with it (a Netty client
 * would need its own TLS, decoding and redirect code for one small request now and then).
 *
 * <p>The first fetch starts when the route's filter is made; requests that come before it is over
 * wait for it (at most the fetch timeout). Keys are kept for the response's
 * {@code Cache-Control: max-age}, bounded by the route's {@code cache_min} and {@code cache_max}
 * (no max-age: {@code cache_min}); the first request after that starts a fetch and goes on with
 * the keys it has, so no timer or thread of its own outlives a configuration. A token naming an
 * unknown {@code kid} starts a fetch at most once per {@code unknown_kid_interval}, and the
 * requests that come while one is under way wait for it instead of starting another. A fetch
 * that fails (an error status, no answer in time, not a JWKS, no usable key) keeps the last good
 * keys, is counted, and is logged once per streak of failures; the next is tried after the
 * unknown-kid interval (after a second while no key is known at all).
 */
final class RemoteKeys implements KeySource, JwksStats
{
    private static final System.Logger LOG = System.getLogger(RemoteKeys.class.getName());
    /** One client for every route (its selector thread shared); HTTP/1.1, as a JWKS is one small GET now and then. */
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    private static final Pattern MAX_AGE = Pattern.compile("(?:^|[,\\s])max-age\\s*=\\s*\"?([0-9]{1,10})");
    private static final long RETRY_WITHOUT_KEYS_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String route;
    private final URI url;
    private final AuthSettings.JwksFetch settings;
    private final LongSupplier nanoClock;
    private volatile KeySet keys;
    /** When the keys are due to be fetched again (after a failure: when a fetch may be tried again). */
    private volatile long refreshAtNanos;
    private final AtomicReference<CompletableFuture<Void>> inFlight = new AtomicReference<>();
    private final AtomicLong lastUnknownKeyFetchNanos;
    private final LongAdder fetches = new LongAdder();
    private final LongAdder failures = new LongAdder();
    /** In a streak of failures, which was logged when it began. */
    private volatile boolean failing;

    RemoteKeys(final String route, final URI url, final AuthSettings.JwksFetch settings, final LongSupplier nanoClock)
    {
        this.route = route;
        this.url = url;
        this.settings = settings;
        this.nanoClock = nanoClock;
        final long now = nanoClock.getAsLong();
        lastUnknownKeyFetchNanos = new AtomicLong(now - settings.unknownKeyRefetch().toNanos());
        refreshAtNanos = now;
        fetch();
    }

    @Override
    public KeySet current()
    {
        final KeySet known = keys;
        if (nanoClock.getAsLong() - refreshAtNanos >= 0 && inFlight.get() == null)
        {
            fetch();
        }
        return known;
    }

    @Override
    public CompletableFuture<Void> firstKeys()
    {
        final CompletableFuture<Void> fetching = inFlight.get();
        return fetching != null ? fetching : keys != null || nanoClock.getAsLong() - refreshAtNanos < 0 ?
            CompletableFuture.completedFuture(null) : fetch();
    }

    @Override
    public CompletableFuture<Void> unknownKey()
    {
        final CompletableFuture<Void> fetching = inFlight.get();
        if (fetching != null)
        {
            return fetching;
        }
        final long now = nanoClock.getAsLong();
        final long last = lastUnknownKeyFetchNanos.get();
        if (now - last < settings.unknownKeyRefetch().toNanos() || !lastUnknownKeyFetchNanos.compareAndSet(last, now))
        {
            return null;
        }
        return fetch();
    }

    /** The fetch under way, or a new one. */
    private CompletableFuture<Void> fetch()
    {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final CompletableFuture<Void> existing = inFlight.compareAndExchange(null, done);
        if (existing != null)
        {
            return existing;
        }
        fetches.increment();
        final HttpRequest request = HttpRequest.newBuilder(url).timeout(settings.timeout())
            .header("Accept", "application/jwk-set+json, application/json").GET().build();
        CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString())
            .orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS) // the body too, not only the head
            .whenComplete((response, error) ->
            {
                try
                {
                    fetched(response, error);
                }
                finally
                {
                    inFlight.set(null);
                    done.complete(null);
                }
            });
        return done;
    }

    private void fetched(final HttpResponse<String> response, final Throwable error)
    {
        final long now = nanoClock.getAsLong();
        final String failure;
        if (error != null)
        {
            failure = describe(error);
        }
        else if (response.statusCode() != 200)
        {
            failure = "HTTP " + response.statusCode();
        }
        else
        {
            failure = accept(response, now);
        }
        if (failure == null)
        {
            if (failing)
            {
                failing = false;
                LOG.log(System.Logger.Level.INFO, "route '" + route + "': JWKS " + url + " fetched again, " + keysKnown() +
                    " keys");
            }
            return;
        }
        failures.increment();
        final KeySet kept = keys;
        refreshAtNanos = now + (kept == null ? RETRY_WITHOUT_KEYS_NANOS : settings.unknownKeyRefetch().toNanos());
        if (!failing)
        {
            failing = true;
            LOG.log(System.Logger.Level.WARNING, "route '" + route + "': JWKS " + url + " failed: " + failure + "; " +
                (kept == null ? "no key known yet, its requests are answered 503" :
                    "the last good " + kept.size() + " keys kept"));
        }
    }

    /** Takes a 200's keys; null when they were taken, else why not. */
    private String accept(final HttpResponse<String> response, final long now)
    {
        final KeySet fetched;
        try
        {
            fetched = KeySet.of(JWKSet.parse(response.body()).getKeys());
        }
        catch (final ParseException ex)
        {
            return "not a JWKS: " + ex.getMessage();
        }
        if (fetched.size() == 0)
        {
            return "no RSA or EC public key in it";
        }
        if (!fetched.sameKeys(keys))
        {
            keys = fetched; // a new key set: the tokens verified with the last are verified again (VerifiedTokens)
        }
        refreshAtNanos = now + lifetime(response.headers().firstValue("Cache-Control").orElse("")).toNanos();
        return null;
    }

    /** The response's max-age, bounded by cache_min and cache_max; cache_min without one. */
    private Duration lifetime(final String cacheControl)
    {
        final Matcher maxAge = MAX_AGE.matcher(cacheControl);
        if (!maxAge.find() || cacheControl.contains("no-store") || cacheControl.contains("no-cache"))
        {
            return settings.minCache();
        }
        final Duration given = Duration.ofSeconds(Long.parseLong(maxAge.group(1)));
        return given.compareTo(settings.minCache()) < 0 ? settings.minCache() :
            given.compareTo(settings.maxCache()) > 0 ? settings.maxCache() : given;
    }

    private String describe(final Throwable error)
    {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null)
        {
            cause = cause.getCause();
        }
        if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException)
        {
            return "no answer within " + settings.timeout().toMillis() + "ms";
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() :
            cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    @Override
    public long fetches()
    {
        return fetches.sum();
    }

    @Override
    public long failures()
    {
        return failures.sum();
    }

    @Override
    public int keysKnown()
    {
        final KeySet known = keys;
        return known == null ? 0 : known.size();
    }
}
