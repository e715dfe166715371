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

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * A route's shared HTTP cache (RFC 9111), in memory: as a request filter it answers GET and HEAD
 * from a stored response the request's directives accept (fresh, or within its max-stale), makes
 * concurrent misses for one key wait for the one backend request the first of them makes
 * (request coalescing), and adds a stale response's validators to the request that revalidates
 * it; as a response filter it decides whether the backend's response may be stored, copies its
 * body as it streams past ({@link StoringBody}), turns a 304 to its revalidation into the
 * refreshed stored response, and serves a stale one for a failing backend when stale-if-error
 * allows: a backend's 5xx, or the proxy's own 502, 503 or 504 ({@link #onProxyAnswer}). Entries
 * are evicted by Caffeine's W-TinyLFU, weighed in bytes. Every response of the route carries a
 * {@code Cache-Status} saying what happened.
 *
 * <p>Stale-while-revalidate: a stale response within it is served at once, and one background
 * request ({@link FilterContext#background}, coalesced with any other fill of the key) refreshes
 * it; no client waits for the backend.
 */
public final class ResponseCache implements RequestFilter, ResponseFilter
{
    private final String route;
    private final CacheSettings settings;
    private final CacheKey keys;
    private final LongSupplier clockMs;
    private final long defaultTtlMs;
    private final long coalesceTimeoutMs;
    /** Accept-Encoding keyed by the coding the route's compression chooses, or null when the route does not compress. */
    private final VaryValue byCoding;
    // Not final: a reload's cache takes these over from the one it replaces ({@link #carryOver}) before it serves.
    private Cache<String, Cached> store;
    /** The backend requests in flight by primary key, each with its waiters. */
    private Map<String, Fill> fills = new ConcurrentHashMap<>();
    /** Makes each {@link VaryNames} a generation of its own, so variants of a replaced or purged one are never found. */
    private AtomicLong varyGenerations = new AtomicLong();
    private CacheCounters counters = new CacheCounters();

    /**
     * @param coding the coding the route's compression chooses for a request's headers (its token, or
     *               {@code identity}), or null when the route does not compress.
     */
    public ResponseCache(final String route, final CacheSettings settings, final Function<HttpHeaders, String> coding)
    {
        this(route, settings, coding, System::currentTimeMillis);
    }

    /** @param clockMs wall-clock time in ms (Date and Expires are wall-clock; tests move it). */
    public ResponseCache(final String route, final CacheSettings settings, final Function<HttpHeaders, String> coding,
        final LongSupplier clockMs)
    {
        this.route = route;
        this.settings = settings;
        this.keys = new CacheKey(settings);
        this.clockMs = clockMs;
        this.defaultTtlMs = settings.defaultTtl().toMillis();
        this.coalesceTimeoutMs = settings.coalesceTimeout().toMillis();
        this.byCoding = coding == null ? null : VaryValue.byCoding(coding);
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
        final boolean authorized = CacheRules.authorized(headers, context);
        final String primaryKey = keys.of(request, context.tlsSession() != null);
        final long nowMs = clockMs.getAsLong();
        final StoredResponse stored = lookup(primaryKey, headers);
        final StoredResponse usable = stored != null && (!authorized || stored.directives().allowsAuthorized()) ? stored : null;
        if (usable != null && !reload && usable.satisfies(asked, nowMs) && answer(context, usable, nowMs, head, null))
        {
            counters.hits.increment();
            return Outcome.ANSWERED;
        }
        if (asked.onlyIfCached())
        {
            context.answer(CacheRules.notStored()); // RFC 9111 5.2.1.7: what is stored, else a 504; never the backend
            return Outcome.ANSWERED;
        }
        if (authorized || CacheRules.conditionalOrRanged(headers))
        {
            // Its answer may differ from every other request's (and a conditional or ranged
            // response is not a whole one to store): it goes alone, and may still be stored.
            counters.misses.increment();
            return Outcome.CONTINUE;
        }
        final boolean whileRevalidating = usable != null && !reload && usable.servableWhileRevalidating(asked, nowMs);
        return coalesce(request, context, primaryKey, usable, nowMs, head, reload, whileRevalidating);
    }

    /**
     * A miss, or a stored response that must be revalidated, that no request directive sends
     * alone: the first request for the key leads the backend request (with the stored response's
     * validators), the others wait for it. Under stale-while-revalidate every one is answered
     * with the stale copy at once, and the leader's backend request goes in the background.
     *
     * @param stale  the stored response the request may not use as it is, or null.
     * @param reload the client asked for the backend's answer: it leads, or goes alone, never waits for another's.
     */
    private Outcome coalesce(final HttpRequest request, final FilterContext context, final String primaryKey,
        final StoredResponse stale, final long nowMs, final boolean head, final boolean reload, final boolean whileRevalidating)
    {
        final Fill fill = new Fill(context, nowMs, stale);
        while (true)
        {
            final Fill current = fills.get(primaryKey);
            if (current != null && nowMs - current.startedMs() <= coalesceTimeoutMs)
            {
                if (whileRevalidating && answer(context, stale, nowMs, head, CacheStatus.WHILE_REVALIDATING))
                {
                    counters.staleServed.increment();
                    return Outcome.ANSWERED;
                }
                if (reload)
                {
                    counters.misses.increment();
                    return Outcome.CONTINUE; // not a response that began before it asked
                }
                return await(current, context, head) ? Outcome.PENDING : Outcome.CONTINUE;
            }
            if (head && !whileRevalidating)
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
        // A safety net: a leader's exchange that ends without a response tells the filters
        // (onProxyAnswer, onAborted), but should one end otherwise, the next request leads after the timeout.
        fill.expiry(context.executor().schedule(() -> fills.remove(primaryKey, fill), coalesceTimeoutMs, TimeUnit.MILLISECONDS));
        if (whileRevalidating && answer(context, stale, nowMs, head, CacheStatus.WHILE_REVALIDATING))
        {
            counters.staleServed.increment();
            counters.backgroundRefreshes.increment();
            final HttpRequest refresh = CacheRules.revalidation(request, stale.headers());
            context.background(refresh, this, new Refresh(this, primaryKey, fill, refresh.headers()));
            return Outcome.ANSWERED;
        }
        counters.misses.increment();
        if (head)
        {
            release(primaryKey, fill); // its stale body went meanwhile: nothing to refresh in the background for it
            return Outcome.CONTINUE;
        }
        if (stale != null)
        {
            CacheRules.addValidators(request.headers(), stale.headers());
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

    /** Answers with the stored response (a hit; {@code detail} may be null); false when its body left the cache meanwhile. */
    private boolean answer(final FilterContext context, final StoredResponse stored, final long nowMs, final boolean head,
        final String detail)
    {
        final FullHttpResponse response = response(context.request().headers(), stored, nowMs, head,
            CacheStatus.hit(stored.ttlMs(nowMs), detail));
        if (response == null)
        {
            return false;
        }
        context.answer(response);
        return true;
    }

    /** The stored response for this request (a 304 when the client's own condition holds), or null when its body went. */
    private static FullHttpResponse response(final HttpHeaders request, final StoredResponse stored, final long nowMs,
        final boolean head, final String cacheStatus)
    {
        return CacheRules.notModified(request, stored) ? stored.notModified(nowMs, cacheStatus)
            : stored.answer(nowMs, head, cacheStatus);
    }

    /** The stored response under the key that the request's headers choose (by Vary), or null. */
    private StoredResponse lookup(final String primaryKey, final HttpHeaders request)
    {
        final Cached cached = store.getIfPresent(primaryKey);
        final Cached variant = cached instanceof VaryNames vary ? store.getIfPresent(vary.variantKey(primaryKey, request))
            : cached;
        return variant instanceof StoredResponse stored && stored.matches(request) ? stored : null;
    }

    /** The fill {@code context}'s request leads for the key, or null. */
    private Fill ledFill(final String primaryKey, final FilterContext context)
    {
        final Fill current = fills.get(primaryKey);
        return current != null && current.ledBy(context) ? current : null;
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
        final Fill fill = ledFill(primaryKey, context);
        final StoredResponse revalidating = fill == null ? null : fill.stale();
        final String forward = forwardKind(revalidating != null, requestDirectives, asked, primaryKey);
        if (revalidating != null)
        {
            final BodyTransformer replaced = fromRevalidation(response, code, fill, revalidating, requestDirectives, forward,
                primaryKey, nowMs);
            if (replaced != null)
            {
                return replaced;
            }
        }
        final String refusal = head ? null : CacheRules.refusal(CacheRules.authorized(asked, context), response, code, settings);
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
     * becomes the stale one when stale-if-error (the response's or the request's) allows. Null
     * when neither (the response is then judged as any other).
     */
    private BodyTransformer fromRevalidation(final HttpResponse response, final int code, final Fill fill,
        final StoredResponse revalidating, final CacheControl asked, final String forward, final String primaryKey,
        final long nowMs)
    {
        final StoredResponse answer;
        final String status;
        if (code == HttpResponseStatus.NOT_MODIFIED.code() && CacheRules.hasValidator(revalidating.headers()))
        {
            answer = revalidating.refreshedBy(response.headers(), fill.startedMs(), nowMs, defaultTtlMs);
            if (answer == null)
            {
                return null;
            }
            store.put(answer.key(), answer);
            counters.revalidated.increment();
            status = CacheStatus.revalidated(forward, answer.ttlMs(nowMs));
        }
        else if (CacheRules.ERROR_STATUSES.contains(code)
            && revalidating.servableStale(nowMs, CacheRules.staleIfError(revalidating, asked)))
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
        final Set<String> tags = CacheRules.tags(fields);
        fields.remove(CacheRules.SURROGATE_KEY);
        final HttpHeaders kept = fields.copy();
        kept.remove(HttpHeaderNames.TRANSFER_ENCODING);
        kept.remove(HttpHeaderNames.CONNECTION);
        final long contentLength = HttpUtil.getContentLength(response, -1L);
        final PendingStore pending = new PendingStore(this, primaryKey, response, kept, request, tags,
            fill == null ? nowMs : fill.startedMs(), fill, byCoding);
        final long ttlMs = StoredResponse.lifetimeMs(CacheControl.parse(fields.getAll(HttpHeaderNames.CACHE_CONTROL)), fields,
            StoredResponse.dateMs(fields, HttpHeaderNames.DATE, nowMs), defaultTtlMs);
        fields.set(CacheStatus.NAME, CacheStatus.stored(forward, code, ttlMs));
        return new StoringBody(pending, settings.maxObjectBytes(), contentLength);
    }

    /**
     * The proxy answers the request itself with a 5xx (the backend failed, timed out, or none is
     * up): a stored response within stale-if-error (the response's or the request's) goes in its
     * place; else the answer says in its Cache-Status why the request went forward. The fill the
     * request led is over either way: its waiters go to the backend themselves.
     */
    @Override
    public FullHttpResponse onProxyAnswer(final FullHttpResponse answer, final int backendStatus, final FilterContext context)
    {
        final HttpRequest request = context.request();
        final HttpMethod method = request.method();
        final boolean head = HttpMethod.HEAD.equals(method);
        final HttpHeaders headers = request.headers();
        final CacheControl asked = CacheRules.requestDirectives(headers);
        final int answerStatus = answer.status().code();
        if (!head && !HttpMethod.GET.equals(method) || CacheRules.bypasses(asked, headers))
        {
            answer.headers().set(CacheStatus.NAME, CacheStatus.proxyAnswer("bypass", backendStatus, answerStatus));
            return answer;
        }
        final String primaryKey = keys.of(request, context.tlsSession() != null);
        final long nowMs = clockMs.getAsLong();
        final Fill fill = ledFill(primaryKey, context);
        final String forward = forwardKind(fill != null && fill.stale() != null, asked, headers, primaryKey);
        release(primaryKey, fill);
        final StoredResponse stored = lookup(primaryKey, headers);
        if (stored != null && (!CacheRules.authorized(headers, context) || stored.directives().allowsAuthorized())
            && stored.servableStale(nowMs, CacheRules.staleIfError(stored, asked)))
        {
            final FullHttpResponse stale = response(headers, stored, nowMs, head,
                CacheStatus.staleOnError(stored.ttlMs(nowMs), backendStatus > 0 ? backendStatus : answerStatus));
            if (stale != null)
            {
                counters.staleServed.increment();
                answer.release();
                return stale;
            }
        }
        answer.headers().set(CacheStatus.NAME, CacheStatus.proxyAnswer(forward, backendStatus, answerStatus));
        return answer;
    }

    /**
     * The leader of a fill went without a response (its client, a timeout): the waiters go to the
     * backend now, not at the coalescing timeout.
     */
    @Override
    public void onAborted(final FilterContext context)
    {
        final HttpRequest request = context.request();
        if (HttpMethod.GET.equals(request.method()))
        {
            final String primaryKey = keys.of(request, context.tlsSession() != null);
            release(primaryKey, ledFill(primaryKey, context));
        }
    }

    /**
     * The response to a background revalidation ({@link Refresh}): a 304 refreshes the stored
     * response, a new one that may be stored replaces it as its body streams in; anything else
     * (an error, a response not to keep) leaves the stale copy as it is. The fill's waiters are
     * answered from what is stored, or sent on.
     */
    BodyTransformer refreshed(final String primaryKey, final Fill fill, final HttpHeaders request, final HttpResponse response)
    {
        final int code = response.status().code();
        final long nowMs = clockMs.getAsLong();
        final StoredResponse stale = fill.stale();
        if (code == HttpResponseStatus.NOT_MODIFIED.code())
        {
            final StoredResponse refreshed = CacheRules.hasValidator(stale.headers())
                ? stale.refreshedBy(response.headers(), fill.startedMs(), nowMs, defaultTtlMs) : null;
            if (refreshed == null)
            {
                release(primaryKey, fill);
                return null;
            }
            store.put(refreshed.key(), refreshed);
            counters.revalidated.increment();
            fills.remove(primaryKey, fill);
            answerWaiters(fill, refreshed);
            return null;
        }
        // false: only requests without credentials lead a fill (an authorized one goes to the backend alone)
        if (CacheRules.refusal(false, response, code, settings) != null)
        {
            release(primaryKey, fill);
            return null;
        }
        return storing(response, code, request, primaryKey, fill, nowMs, "stale");
    }

    /**
     * A background revalidation got no response: the stale copy stays, and the next request
     * within stale-while-revalidate tries again.
     */
    void refreshFailed(final String primaryKey, final Fill fill)
    {
        counters.refreshFailures.increment();
        release(primaryKey, fill);
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
            if (current instanceof VaryNames names && names.names().equals(pending.varyNames())
                && names.values() == pending.varyValue())
            {
                vary = names;
            }
            else
            {
                vary = new VaryNames(pending.varyNames(), pending.varyValue(), varyGenerations.incrementAndGet());
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
            pending.requestTimeMs(), nowMs, defaultTtlMs, pending.varyNames(), pending.varyValues(), pending.varyValue(),
            pending.tags());
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

    /**
     * Why the request went to the backend (RFC 9211 2.2): the client's directives did not allow
     * what is stored (request), it was stale (stale), or nothing matched ({@link #missKind}).
     */
    private String forwardKind(final boolean revalidating, final CacheControl asked, final HttpHeaders request,
        final String primaryKey)
    {
        return CacheRules.reload(asked, request) ? "request" : revalidating ? "stale" : missKind(primaryKey);
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
            counters.revalidated.sum(), counters.backgroundRefreshes.sum(), counters.refreshFailures.sum(),
            counters.coalescedWaits.sum(), counters.coalesceTimeouts.sum(), counters.bypassed.sum(), counters.stored.sum(),
            counters.evictions.sum(), counters.malformedCacheControl.sum(), counters.notStoredBodies.sum(), responses, bytes);
    }

    /** Releases every stored body (the route's configuration was replaced, or the server stops). */
    public void close()
    {
        store.invalidateAll();
        store.cleanUp();
    }
}
