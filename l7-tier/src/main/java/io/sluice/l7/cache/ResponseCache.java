package io.sluice.l7.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.sluice.l7.config.CacheSettings;
import io.sluice.l7.filter.BodyTransformer;
import io.sluice.l7.filter.FilterContext;
import io.sluice.l7.filter.RequestFilter;
import io.sluice.l7.filter.ResponseFilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * A route's shared HTTP cache (RFC 9111), in memory: as a request filter it answers GET and HEAD
 * from a fresh stored response, makes concurrent misses for one key wait for the one backend
 * request the first of them makes (request coalescing), and adds a stale response's validators
 * to the request that revalidates it; as a response filter it decides whether the backend's
 * response may be stored, copies its body as it streams past ({@link StoringBody}), turns a 304
 * to its revalidation into the refreshed stored response, and serves a stale one for a failing
 * backend when stale-if-error allows. Entries are evicted by Caffeine's W-TinyLFU, weighed in
 * bytes. Every response of the route carries a {@code Cache-Status} saying what happened.
 *
 * <p>Stale-while-revalidate is served as nginx's {@code proxy_cache_use_stale updating} does: the
 * first request that finds a response stale revalidates it itself, and the others, meanwhile,
 * are answered with the stale copy (a filter cannot make a backend request of its own).
 */
public final class ResponseCache implements RequestFilter, ResponseFilter
{

    private final String route;
    private final CacheSettings settings;
    private final CacheKey keys;
    private final LongSupplier clockMs;
    private final long defaultTtlMs;
    private final long coalesceTimeoutMs;
    // Not final: a reload's cache takes these over from the one it replaces ({@link #carryOver}) before it serves.
    private Cache<String, Cached> store;
    /** The backend requests in flight by primary key, each with its waiters. */
    private Map<String, Fill> fills = new ConcurrentHashMap<>();
    /** Makes each {@link VaryNames} a generation of its own, so variants of a replaced or purged one are never found. */
    private AtomicLong varyGenerations = new AtomicLong();
    private CacheCounters counters = new CacheCounters();

    public ResponseCache(final String route, final CacheSettings settings)
    {
        this(route, settings, System::currentTimeMillis);
    }

    /** @param clockMs wall-clock time in ms (Date and Expires are wall-clock; tests move it). */
    public ResponseCache(final String route, final CacheSettings settings, final LongSupplier clockMs)
    {
        this.route = route;
        this.settings = settings;
        this.keys = new CacheKey(settings);
        this.clockMs = clockMs;
        this.defaultTtlMs = settings.defaultTtl().toMillis();
        this.coalesceTimeoutMs = settings.coalesceTimeout().toMillis();
        this.store = Caffeine.newBuilder()
            .maximumWeight(settings.sizeBytes())
            .weigher((final String key, final Cached cached) -> cached.weight())
            .executor(Runnable::run) // evictions release their bodies at once, on the thread that caused them
            .removalListener((final String key, final Cached cached, final RemovalCause cause) ->
            {
                if (cached != null)
                {
                    cached.release();
                }
                if (cause.wasEvicted())
                {
                    counters.evictions.increment();
                }
            })
            .build();
    }

    public String route()
    {
        return route;
    }

    /**
     * A reload: this cache, of the route of the same name in the new configuration, goes on with
     * {@code previous}'s counts (so its counters only grow) and, when its settings are the same,
     * with its stored responses and fills. Called before this cache serves a request;
     * {@code previous} is left as it is: it serves the requests routed before the reload, and goes
     * on serving if the reload is refused after this; when it is dropped, its bodies (heap
     * memory, outside Netty's pools) go with it.
     */
    public void carryOver(final ResponseCache previous)
    {
        counters = previous.counters;
        if (settings.equals(previous.settings))
        {
            store = previous.store;
            fills = previous.fills;
            varyGenerations = previous.varyGenerations;
        }
    }

    // ---- requests ----

    @Override
    public Outcome onRequest(final HttpRequest request, final FilterContext context)
    {
        final HttpMethod method = request.method();
        final boolean head = HttpMethod.HEAD.equals(method);
        if (!head && !HttpMethod.GET.equals(method))
        {
            return Outcome.CONTINUE;
        }
        final HttpHeaders headers = request.headers();
        final CacheControl asked = CacheRules.requestDirectives(headers);
        if (CacheRules.bypasses(asked, headers))
        {
            return Outcome.CONTINUE;
        }
        final boolean reload = CacheRules.reload(asked, headers);
        final boolean authorized = headers.contains(HttpHeaderNames.AUTHORIZATION);
        final String primaryKey = keys.of(request, context.tlsSession() != null);
        final long nowMs = clockMs.getAsLong();
        final StoredResponse stored = reload ? null : lookup(primaryKey, headers);
        final boolean usable = stored != null && (!authorized || stored.directives().allowsAuthorized());
        if (usable && stored.fresh(nowMs) && answer(context, stored, nowMs, head, null))
        {
            counters.hits.increment();
            return Outcome.ANSWERED;
        }
        if (authorized || reload || CacheRules.conditionalOrRanged(headers))
        {
            // Its answer may differ from every other request's (and a conditional or ranged
            // response is not a whole one to store): it goes alone, and may still be stored.
            counters.misses.increment();
            return Outcome.CONTINUE;
        }
        return coalesce(request, context, primaryKey, usable ? stored : null, nowMs, head);
    }

    /**
     * A miss (or a stale hit) that no request directive sends alone: the first request for the
     * key leads the backend request, the others wait for it, or are served stale meanwhile.
     */
    private Outcome coalesce(final HttpRequest request, final FilterContext context, final String primaryKey,
        final StoredResponse stale, final long nowMs, final boolean head)
    {
        final Fill fill = new Fill(context, nowMs, head ? null : stale);
        while (true)
        {
            final Fill current = fills.get(primaryKey);
            if (current != null && nowMs - current.startedMs() <= coalesceTimeoutMs)
            {
                if (stale != null && stale.servableStale(nowMs, stale.directives().staleWhileRevalidate())
                    && answer(context, stale, nowMs, head, "stale-while-revalidate"))
                {
                    counters.staleServed.increment();
                    return Outcome.ANSWERED;
                }
                return await(current, context, head) ? Outcome.PENDING : Outcome.CONTINUE;
            }
            if (head)
            {
                counters.misses.increment();
                return Outcome.CONTINUE; // a HEAD leads nothing: its response has no body to store
            }
            final boolean led = current == null ? fills.putIfAbsent(primaryKey, fill) == null
                : fills.replace(primaryKey, current, fill);
            if (led)
            {
                break;
            }
        }
        counters.misses.increment();
        // The leader's exchange may end without a response this filter sees (the proxy's own 502, the
        // client gone): its fill then goes after the coalescing timeout, so the next request leads.
        fill.expiry(context.executor().schedule(() -> fills.remove(primaryKey, fill), coalesceTimeoutMs, TimeUnit.MILLISECONDS));
        if (fill.stale() != null)
        {
            CacheRules.addValidators(request.headers(), fill.stale().headers());
        }
        return Outcome.CONTINUE;
    }

    /** Waits for {@code fill}'s response; false when it completed meanwhile (the request then goes to the backend). */
    private boolean await(final Fill fill, final FilterContext context, final boolean head)
    {
        final Waiter waiter = new Waiter(context, head);
        waiter.timeout(context.executor().schedule(() ->
        {
            if (waiter.settle())
            {
                counters.coalesceTimeouts.increment();
                context.resume();
            }
        }, coalesceTimeoutMs, TimeUnit.MILLISECONDS));
        if (!fill.add(waiter))
        {
            waiter.settle();
            counters.misses.increment();
            return false;
        }
        counters.coalescedWaits.increment();
        return true;
    }

    /** Answers with the stored response; false when its body left the cache meanwhile. */
    private boolean answer(final FilterContext context, final StoredResponse stored, final long nowMs, final boolean head,
        final String detail)
    {
        final String status = CacheStatus.hit(stored.ttlMs(nowMs), detail);
        final FullHttpResponse response = CacheRules.notModified(context.request().headers(), stored)
            ? stored.notModified(nowMs, status) : stored.answer(nowMs, head, status);
        if (response == null)
        {
            return false;
        }
        context.answer(response);
        return true;
    }

    /** The stored response under the key that the request's headers choose (by Vary), or null. */
    private StoredResponse lookup(final String primaryKey, final HttpHeaders request)
    {
        final Cached cached = store.getIfPresent(primaryKey);
        final Cached variant = cached instanceof VaryNames vary ? store.getIfPresent(vary.variantKey(primaryKey, request))
            : cached;
        return variant instanceof StoredResponse stored && stored.matches(request) ? stored : null;
    }

    // ---- responses ----

    @Override
    public BodyTransformer onResponse(final HttpResponse response, final FilterContext context)
    {
        final HttpRequest request = context.request();
        final HttpMethod method = request.method();
        final int code = response.status().code();
        final boolean head = HttpMethod.HEAD.equals(method);
        if (!head && !HttpMethod.GET.equals(method))
        {
            if (!HttpMethod.OPTIONS.equals(method) && !HttpMethod.TRACE.equals(method) && code < 400)
            {
                // RFC 9111 4.4: an unsafe method that succeeded invalidates what is stored for its target.
                store.invalidate(keys.of(request, context.tlsSession() != null));
            }
            return bypass(response, code);
        }
        final HttpHeaders asked = request.headers();
        final CacheControl requestDirectives = CacheRules.requestDirectives(asked);
        if (CacheRules.bypasses(requestDirectives, asked))
        {
            return bypass(response, code);
        }
        final String primaryKey = keys.of(request, context.tlsSession() != null);
        final long nowMs = clockMs.getAsLong();
        final Fill current = fills.get(primaryKey);
        final Fill fill = current != null && current.ledBy(context) ? current : null;
        final StoredResponse revalidating = fill == null ? null : fill.stale();
        if (revalidating != null)
        {
            final BodyTransformer replaced = fromRevalidation(response, code, fill, revalidating, primaryKey, nowMs);
            if (replaced != null)
            {
                return replaced;
            }
        }
        final String forward = revalidating != null ? "stale"
            : CacheRules.reload(requestDirectives, asked) ? "request" : missKind(primaryKey);
        final String refusal = head ? null : CacheRules.refusal(asked, response, code, settings);
        if (CacheRules.MALFORMED.equals(refusal))
        {
            counters.malformedCacheControl.increment();
        }
        if (head || refusal != null)
        {
            release(primaryKey, fill);
            response.headers().remove(CacheRules.SURROGATE_KEY);
            response.headers().set(CacheStatus.NAME, CacheStatus.forwarded(forward, code, refusal));
            return null;
        }
        return storing(response, code, asked, primaryKey, fill, nowMs, forward);
    }

    /**
     * A response to a revalidation: a 304 refreshes the stored response and becomes it; a 5xx
     * becomes the stale one when stale-if-error allows. Null when neither (the response is then
     * judged as any other).
     */
    private BodyTransformer fromRevalidation(final HttpResponse response, final int code, final Fill fill,
        final StoredResponse revalidating, final String primaryKey, final long nowMs)
    {
        final StoredResponse answer;
        final String status;
        if (code == 304 && CacheRules.hasValidator(revalidating.headers()))
        {
            answer = revalidating.refreshedBy(response.headers(), fill.startedMs(), nowMs, defaultTtlMs);
            if (answer == null)
            {
                return null;
            }
            store.put(answer.key(), answer);
            counters.revalidated.increment();
            status = CacheStatus.revalidated(answer.ttlMs(nowMs));
        }
        else if (CacheRules.ERROR_STATUSES.contains(code)
            && revalidating.servableStale(nowMs, revalidating.directives().staleIfError()))
        {
            answer = revalidating;
            counters.staleServed.increment();
            status = CacheStatus.staleOnError(answer.ttlMs(nowMs), code);
        }
        else
        {
            return null;
        }
        final ByteBuf body = answer.retainedBody();
        if (body == null)
        {
            return null;
        }
        response.setStatus(answer.status());
        response.headers().clear().add(answer.headers());
        answer.decorate(response.headers(), nowMs, status);
        fills.remove(primaryKey, fill);
        answerWaiters(fill, answer);
        return new ReplacedBody(body);
    }

    /** The response may be stored: its Cache-Status says so, and its body is copied as it streams. */
    private BodyTransformer storing(final HttpResponse response, final int code, final HttpHeaders request,
        final String primaryKey, final Fill fill, final long nowMs, final String forward)
    {
        final HttpHeaders fields = response.headers();
        final List<String> varyNames = CacheRules.varyNames(fields);
        final List<String> varyValues = new ArrayList<>(varyNames.size());
        for (final String name : varyNames)
        {
            varyValues.add(CacheKey.joined(request, name));
        }
        final Set<String> tags = CacheRules.tags(fields);
        fields.remove(CacheRules.SURROGATE_KEY);
        final HttpHeaders kept = fields.copy();
        kept.remove(HttpHeaderNames.TRANSFER_ENCODING);
        kept.remove(HttpHeaderNames.CONNECTION);
        final long contentLength = HttpUtil.getContentLength(response, -1L);
        final PendingStore pending = new PendingStore(this, primaryKey, response.status(), kept, varyNames, varyValues, tags,
            fill == null ? nowMs : fill.startedMs(), fill);
        final long ttlMs = StoredResponse.lifetimeMs(CacheControl.parse(fields.getAll(HttpHeaderNames.CACHE_CONTROL)), fields,
            StoredResponse.dateMs(fields, HttpHeaderNames.DATE, nowMs), defaultTtlMs);
        fields.set(CacheStatus.NAME, CacheStatus.stored(forward, code, ttlMs));
        return new StoringBody(pending, settings.maxObjectBytes(), contentLength);
    }

    /** A whole body arrived for a response that may be stored: it goes in, and answers its fill's waiters. */
    void store(final PendingStore pending, final ByteBuf body)
    {
        final long nowMs = clockMs.getAsLong();
        final String key;
        if (pending.varyNames().isEmpty())
        {
            key = pending.primaryKey();
        }
        else
        {
            final Cached current = store.getIfPresent(pending.primaryKey());
            final VaryNames vary;
            if (current instanceof VaryNames names && names.names().equals(pending.varyNames()))
            {
                vary = names;
            }
            else
            {
                vary = new VaryNames(pending.varyNames(), varyGenerations.incrementAndGet());
                store.put(pending.primaryKey(), vary);
            }
            key = vary.variantKey(pending.primaryKey(), pending.varyValues());
        }
        if (pending.status().code() != HttpResponseStatus.NO_CONTENT.code())
        {
            // A chunked body is served whole, so framed by its length (RFC 9110 8.6: never on a 204).
            pending.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        }
        final StoredResponse stored = new StoredResponse(key, pending.primaryKey(), pending.status(), pending.headers(), body,
            pending.requestTimeMs(), nowMs, defaultTtlMs, pending.varyNames(), pending.varyValues(), pending.tags());
        store.put(key, stored);
        counters.stored.increment();
        if (pending.fill() != null)
        {
            fills.remove(pending.primaryKey(), pending.fill());
            answerWaiters(pending.fill(), stored);
        }
    }

    /** The body was not stored after all: the waiters go to the backend. */
    void notStored(final PendingStore pending)
    {
        counters.notStoredBodies.increment();
        release(pending.primaryKey(), pending.fill());
    }

    /** Each waiter is answered from {@code stored} when it may be (its Vary values match), else sent to the backend. */
    private void answerWaiters(final Fill fill, final StoredResponse stored)
    {
        for (final Waiter waiter : fill.complete())
        {
            if (waiter.settle())
            {
                final FilterContext context = waiter.context();
                context.executor().execute(() ->
                {
                    final long nowMs = clockMs.getAsLong();
                    if (stored.matches(context.request().headers()) && answer(context, stored, nowMs, waiter.head(), "coalesced"))
                    {
                        counters.hits.increment();
                    }
                    else
                    {
                        context.resume();
                    }
                });
            }
        }
    }

    /** No stored response comes of this fill: its waiters go to the backend themselves. */
    private void release(final String primaryKey, final Fill fill)
    {
        if (fill == null)
        {
            return;
        }
        fills.remove(primaryKey, fill);
        for (final Waiter waiter : fill.complete())
        {
            if (waiter.settle())
            {
                waiter.context().resume();
            }
        }
    }

    private BodyTransformer bypass(final HttpResponse response, final int code)
    {
        counters.bypassed.increment();
        response.headers().set(CacheStatus.NAME, CacheStatus.forwarded("bypass", code, null));
        return null;
    }

    /** RFC 9211 2.2: uri-miss when nothing is stored for the target, vary-miss when its variants did not match, else miss. */
    private String missKind(final String primaryKey)
    {
        final Cached cached = store.getIfPresent(primaryKey);
        return cached == null ? "uri-miss" : cached instanceof VaryNames ? "vary-miss" : "miss";
    }

    // ---- purging and figures ----

    /**
     * Removes what is stored for {@code url} ({@code scheme://host/path?query}, as the key has it):
     * every variant, and with {@code key.headers} every value of them (a key's headers follow its
     * URL on lines of their own).
     *
     * @return the count removed.
     */
    public int purgeKey(final String url)
    {
        final String withLines = url + "\n";
        return purge(key -> key.equals(url) || key.startsWith(withLines));
    }

    /** Removes every response whose path starts with {@code prefix}, on any host; the count removed. */
    public int purgePathPrefix(final String prefix)
    {
        return purge(key -> CacheKey.path(key).startsWith(prefix));
    }

    /** Removes every response stored with {@code tag} in its Surrogate-Key; the count removed. */
    public int purgeTag(final String tag)
    {
        int removed = 0;
        for (final Map.Entry<String, Cached> entry : store.asMap().entrySet())
        {
            if (entry.getValue() instanceof StoredResponse stored && stored.tags().contains(tag)
                && store.asMap().remove(entry.getKey(), entry.getValue()))
            {
                removed++;
            }
        }
        return removed;
    }

    private int purge(final Predicate<String> keyMatches)
    {
        int removed = 0;
        for (final String key : List.copyOf(store.asMap().keySet()))
        {
            if (keyMatches.test(key) && store.asMap().remove(key) instanceof StoredResponse)
            {
                removed++;
            }
        }
        return removed;
    }

    /** What the cache holds and did, for the metrics. */
    public CacheStats stats()
    {
        long bytes = 0;
        long responses = 0;
        for (final Cached cached : store.asMap().values())
        {
            if (cached instanceof StoredResponse stored)
            {
                bytes += stored.bodyBytes();
                responses++;
            }
        }
        return new CacheStats(route, counters.hits.sum(), counters.misses.sum(), counters.staleServed.sum(),
            counters.revalidated.sum(), counters.coalescedWaits.sum(), counters.coalesceTimeouts.sum(), counters.bypassed.sum(),
            counters.stored.sum(), counters.evictions.sum(), counters.malformedCacheControl.sum(), counters.notStoredBodies.sum(),
            responses, bytes);
    }

    /** Releases every stored body (the route's configuration was replaced, or the server stops). */
    public void close()
    {
        store.invalidateAll();
        store.cleanUp();
    }
}
