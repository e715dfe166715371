package io.sluice.l7.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import io.sluice.l7.metrics.AuthMetrics;

import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tokens a route's verifier accepted, so that a client sending one token again and again has its signature
 * checked once, not on every request (Envoy's {@code jwt_cache_config}): an ES256 check is the JDK's P-256
 * arithmetic, by far the dearest thing a request through an authenticating route does.
 *
 * <p>A token is kept with its verdict (claims and identity, made once) and only as long as it holds: it is found
 * again only while the route checks with the very key set it was verified with (keys fetched anew that differ from
 * the last ones make every token be verified again, so a token whose key left the JWKS is refused on its next
 * request), and only while its {@code exp} and {@code nbf} hold on the clock, with the route's skew, checked on every
 * hit. Issuer and audience are the route's (one cache per route's filter), and its {@code require} and
 * {@code claims_to_headers} apply to each request after the cache as before. Refusals are not kept: a client could
 * fill the cache with them.
 *
 * <p>Keyed by the token itself, so two tokens never share an entry; it is never logged. At most
 * {@code max_tokens} (about 1 KiB each): up to {@value #MAX_STRIPES} stripes, each an LRU list under its own lock
 * that a lookup holds for a hash map probe and a relink, so event loops meet only when their tokens share a stripe,
 * and a hit allocates nothing.
 */
final class VerifiedTokens
{
    static final int MAX_STRIPES = 64;
    /** The fewest tokens a stripe holds when the bound allows: fewer stripes make the LRU order closer to the true one. */
    private static final int MIN_STRIPE_TOKENS = 16;

    /** A verified token: its verdict, the keys it was verified with, and the times it holds between. */
    private record Verified(Verdict verdict, KeySet keys, long expiresMillis, long notBeforeMillis)
    {
    }

    /** One stripe: least recently used first, the eldest dropped past its share of the bound. */
    private static final class Stripe extends LinkedHashMap<String, Verified>
    {
        private final int capacity;
        private long evictions;

        Stripe(final int capacity)
        {
            super(16, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, Verified> eldest)
        {
            if (size() <= capacity)
            {
                return false;
            }
            evictions++;
            return true;
        }
    }

    private final Stripe[] stripes;
    private final long skewMillis;

    /** @param maxTokens at least 1. */
    VerifiedTokens(final int maxTokens, final Duration clockSkew)
    {
        final int count = Math.clamp(Integer.highestOneBit(Math.max(1, maxTokens / MIN_STRIPE_TOKENS)), 1, MAX_STRIPES);
        stripes = new Stripe[count];
        for (int i = 0; i < count; i++)
        {
            // the bound shared out exactly: the first stripes take one more when it does not divide
            stripes[i] = new Stripe(maxTokens / count + (i < maxTokens % count ? 1 : 0));
        }
        skewMillis = clockSkew.toMillis();
    }

    /** The verdict kept for {@code token} that holds with {@code keys} at {@code nowMillis}; null (a miss) otherwise. */
    Verdict find(final String token, final KeySet keys, final long nowMillis, final AuthMetrics.Route metrics)
    {
        final Stripe stripe = stripeOf(token);
        Verified found;
        synchronized (stripe)
        {
            found = stripe.get(token);
            if (found != null && (found.keys() != keys || nowMillis - skewMillis >= found.expiresMillis()
                || nowMillis + skewMillis < found.notBeforeMillis()))
            {
                stripe.remove(token); // the verifier says why now, and keeps it again if it holds after all
                found = null;
            }
        }
        if (found == null)
        {
            metrics.jwtCacheMissed();
            return null;
        }
        metrics.jwtCacheHit();
        return found.verdict();
    }

    /** Keeps a verdict that holds ({@link Verdict#refusal()} null), found with {@code keys}; the eldest may go for it. */
    void keep(final String token, final Verdict verdict, final KeySet keys, final AuthMetrics.Route metrics)
    {
        final JWTClaimsSet claims = verdict.claims();
        final Date notBefore = claims.getNotBeforeTime();
        final Verified verified = new Verified(verdict, keys, claims.getExpirationTime().getTime(),
            notBefore == null ? Long.MIN_VALUE : notBefore.getTime());
        final Stripe stripe = stripeOf(token);
        final long evicted;
        synchronized (stripe)
        {
            final long before = stripe.evictions;
            stripe.put(token, verified);
            evicted = stripe.evictions - before;
        }
        if (evicted > 0)
        {
            metrics.jwtCacheEvicted();
        }
    }

    /** Tokens kept now. */
    int size()
    {
        int size = 0;
        for (final Stripe stripe : stripes)
        {
            synchronized (stripe)
            {
                size += stripe.size();
            }
        }
        return size;
    }

    private Stripe stripeOf(final String token)
    {
        // the high bits of a multiplicative spread: a token's own hash is its last characters' (a signature's) mostly
        return stripes[(int)(((token.hashCode() * 0x9E3779B9L) & 0xFFFF_FFFFL) * stripes.length >>> 32)];
    }
}
