package io.sluice.l7.cache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.util.IllegalReferenceCountException;

import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One stored response: its status, its headers as they went to the client (without framing and
 * hop-by-hop fields), its body copied once into a buffer of its own, and what RFC 9111 needs to
 * judge it later: when it was received, its age then, its freshness lifetime, its
 * directives, the request header values it was chosen by ({@code Vary}) and its purge tags. Never
 * changed once made (a 304 makes a new one that shares the body). Each answer from it gets a
 * retained duplicate of the body; the cache's own reference goes when it leaves the cache.
 */
final class StoredResponse implements Cached
{
    /** Beyond the body and the fields: the entry, its key and this object, roughly. */
    private static final int OVERHEAD = 256;

    private final String key;
    private final String primaryKey;
    private final HttpResponseStatus status;
    private final HttpHeaders headers;
    private final ByteBuf body;
    private final long responseTimeMs;
    private final long correctedInitialAgeMs;
    private final long freshnessLifetimeMs;
    private final CacheControl directives;
    private final List<String> varyNames;
    /** The request's values of {@link #varyNames}, in order, as {@link #varyValue} gives them. */
    private final List<String> varyValues;
    private final VaryValue varyValue;
    private final Set<String> tags;
    private final int weight;

    /**
     * @param headers          the response's fields; kept as given (the caller made them the cache's own).
     * @param body             the cache's own reference, which {@link #release} gives up.
     * @param requestTimeMs    when the request that got this response was sent (RFC 9111 4.2.3 request_time).
     * @param defaultLifetimeMs the route's default_ttl: the lifetime of a response that gives none.
     */
    StoredResponse(final String key, final String primaryKey, final HttpResponseStatus status, final HttpHeaders headers,
        final ByteBuf body, final long requestTimeMs, final long responseTimeMs, final long defaultLifetimeMs,
        final List<String> varyNames, final List<String> varyValues, final VaryValue varyValue, final Set<String> tags)
    {
        this.key = key;
        this.primaryKey = primaryKey;
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.responseTimeMs = responseTimeMs;
        this.directives = CacheControl.parse(headers.getAll(HttpHeaderNames.CACHE_CONTROL));
        this.varyNames = List.copyOf(varyNames);
        this.varyValues = List.copyOf(varyValues);
        this.varyValue = varyValue;
        this.tags = Set.copyOf(tags);
        final long dateMs = dateMs(headers, HttpHeaderNames.DATE, responseTimeMs);
        final long apparentAgeMs = Math.max(0, responseTimeMs - dateMs);
        final long ageValueMs = ageSeconds(headers) * 1000;
        this.correctedInitialAgeMs = Math.max(apparentAgeMs, ageValueMs + (responseTimeMs - requestTimeMs));
        this.freshnessLifetimeMs = lifetimeMs(directives, headers, dateMs, defaultLifetimeMs);
        this.weight = (int)Math.min(Integer.MAX_VALUE, OVERHEAD + (long)body.capacity() + key.length() + headerBytes(headers));
    }

    String key()
    {
        return key;
    }

    String primaryKey()
    {
        return primaryKey;
    }

    HttpResponseStatus status()
    {
        return status;
    }

    HttpHeaders headers()
    {
        return headers;
    }

    Set<String> tags()
    {
        return tags;
    }

    CacheControl directives()
    {
        return directives;
    }

    long ageMs(final long nowMs)
    {
        return correctedInitialAgeMs + Math.max(0, nowMs - responseTimeMs);
    }

    /** Freshness left, in ms: negative once stale. */
    long ttlMs(final long nowMs)
    {
        return freshnessLifetimeMs - ageMs(nowMs);
    }

    /**
     * Usable for this request without asking the backend (RFC 9111 4.2, 5.2.1): not no-cache
     * (which always revalidates), no older than the request's max-age, fresh for its min-fresh
     * more, or stale by no more than its max-stale allows.
     */
    boolean satisfies(final CacheControl asked, final long nowMs)
    {
        if (directives.noCache() || asked.maxAge() != CacheControl.ABSENT && ageMs(nowMs) > asked.maxAge() * 1000)
        {
            return false;
        }
        final long ttlMs = ttlMs(nowMs);
        if (asked.minFresh() != CacheControl.ABSENT)
        {
            return ttlMs >= asked.minFresh() * 1000;
        }
        return ttlMs > 0 || asked.maxStale() != CacheControl.ABSENT && servableStale(nowMs, asked.maxStale());
    }

    /** May be served stale, {@code allowanceSeconds} past its freshness at most (stale-while-revalidate, stale-if-error). */
    boolean servableStale(final long nowMs, final long allowanceSeconds)
    {
        return allowanceSeconds >= 0 && directives.mayServeStale() && -ttlMs(nowMs) <= allowanceSeconds * 1000;
    }

    /**
     * Stale, and within its stale-while-revalidate (RFC 5861 3): served at once while a
     * background request refreshes it, unless it is no-cache or the request wants more than a
     * stale response gives (a max-age, a min-fresh).
     */
    boolean servableWhileRevalidating(final CacheControl asked, final long nowMs)
    {
        return !directives.noCache() && ttlMs(nowMs) <= 0 && asked.maxAge() == CacheControl.ABSENT
            && asked.minFresh() == CacheControl.ABSENT && servableStale(nowMs, directives.staleWhileRevalidate());
    }

    /** Whether it was chosen by the same values of its Vary headers as {@code request} has. */
    boolean matches(final HttpHeaders request)
    {
        for (int i = 0; i < varyNames.size(); i++)
        {
            if (!varyValue.of(request, varyNames.get(i)).equals(varyValues.get(i)))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * This response as an answer (a retained duplicate of the body; none for HEAD), with its Age
     * and a Cache-Status; null when it left the cache and its body went meanwhile.
     */
    FullHttpResponse answer(final long nowMs, final boolean head, final String cacheStatus)
    {
        final ByteBuf content;
        if (head)
        {
            content = Unpooled.EMPTY_BUFFER;
        }
        else
        {
            try
            {
                content = body.retainedDuplicate();
            }
            catch (final IllegalReferenceCountException ex)
            {
                return null; // evicted on another event loop between the lookup and here
            }
        }
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content, headers.copy(),
            EmptyHttpHeaders.INSTANCE);
        decorate(response.headers(), nowMs, cacheStatus);
        return response;
    }

    /** A 304 from the stored fields, for a client whose own condition it meets (RFC 9110 15.4.5). */
    FullHttpResponse notModified(final long nowMs, final String cacheStatus)
    {
        final HttpHeaders fields = headers.copy();
        fields.remove(HttpHeaderNames.CONTENT_LENGTH);
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED,
            Unpooled.EMPTY_BUFFER, fields, EmptyHttpHeaders.INSTANCE);
        decorate(fields, nowMs, cacheStatus);
        return response;
    }

    /** The body for a response the backend began (its 304 or error replaced by this): a retained duplicate, or null. */
    ByteBuf retainedBody()
    {
        try
        {
            return body.retainedDuplicate();
        }
        catch (final IllegalReferenceCountException ex)
        {
            return null;
        }
    }

    /** Age (RFC 9111 5.1) and Cache-Status (ahead of any an upstream cache gave, RFC 9211 2). */
    void decorate(final HttpHeaders fields, final long nowMs, final String cacheStatus)
    {
        fields.set(HttpHeaderNames.AGE, ageMs(nowMs) / 1000);
        final String upstream = headers.get(CacheStatus.NAME);
        fields.set(CacheStatus.NAME, upstream == null ? cacheStatus : cacheStatus + ", " + upstream);
    }

    /**
     * The stored response refreshed by a 304 (RFC 9111 4.3.4): its fields updated by the 304's
     * (not the framing ones), its age and lifetime from now; the body is shared. Null when the
     * body went meanwhile.
     */
    StoredResponse refreshedBy(final HttpHeaders notModified, final long requestTimeMs, final long responseTimeMs,
        final long defaultLifetimeMs)
    {
        final ByteBuf shared = retainedBody();
        if (shared == null)
        {
            return null;
        }
        final HttpHeaders merged = headers.copy();
        merged.remove(HttpHeaderNames.AGE); // the 304's own, if it has one, is the age now
        for (final Map.Entry<String, String> field : notModified)
        {
            merged.remove(field.getKey());
        }
        for (final Map.Entry<String, String> field : notModified)
        {
            merged.add(field.getKey(), field.getValue());
        }
        merged.set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        merged.remove(HttpHeaderNames.TRANSFER_ENCODING);
        return new StoredResponse(key, primaryKey, status, merged, shared, requestTimeMs,
            responseTimeMs, defaultLifetimeMs, varyNames, varyValues, varyValue, tags);
    }

    int bodyBytes()
    {
        return body.readableBytes();
    }

    @Override
    public int weight()
    {
        return weight;
    }

    @Override
    public void release()
    {
        body.release();
    }

    /** RFC 9111 4.2.1: s-maxage (a shared cache's), then max-age, then Expires - Date, then the route's default. */
    static long lifetimeMs(final CacheControl directives, final HttpHeaders headers, final long dateMs,
        final long defaultLifetimeMs)
    {
        if (directives.sMaxAge() != CacheControl.ABSENT)
        {
            return directives.sMaxAge() * 1000;
        }
        if (directives.maxAge() != CacheControl.ABSENT)
        {
            return directives.maxAge() * 1000;
        }
        final String expires = headers.get(HttpHeaderNames.EXPIRES);
        if (expires != null)
        {
            final Date expiresAt = DateFormatter.parseHttpDate(expires);
            return expiresAt == null ? 0 : Math.max(0, expiresAt.getTime() - dateMs); // 5.3: an invalid date is the past
        }
        return defaultLifetimeMs;
    }

    /** A date field in ms, or {@code otherwise} when absent or not a date. */
    static long dateMs(final HttpHeaders headers, final CharSequence name, final long otherwise)
    {
        final String text = headers.get(name);
        final Date date = text == null ? null : DateFormatter.parseHttpDate(text);
        return date == null ? otherwise : date.getTime();
    }

    private static long ageSeconds(final HttpHeaders headers)
    {
        final String age = headers.get(HttpHeaderNames.AGE);
        if (age == null)
        {
            return 0;
        }
        try
        {
            return Math.max(0, Long.parseLong(age.strip()));
        }
        catch (final NumberFormatException ex)
        {
            return 0; // RFC 9111 5.1: an Age that is not digits is ignored
        }
    }

    private static long headerBytes(final HttpHeaders headers)
    {
        long bytes = 0;
        for (final Map.Entry<String, String> field : headers)
        {
            bytes += field.getKey().length() + field.getValue().length() + 4;
        }
        return bytes;
    }
}
