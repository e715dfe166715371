package io.sluice.l7.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.sluice.l7.config.AuthSettings;
import io.sluice.l7.filter.BackgroundReceiver;
import io.sluice.l7.filter.FilterContext;
import io.sluice.l7.filter.Identity;
import io.sluice.l7.filter.RequestFilter;
import io.sluice.l7.filter.ResponseFilter;
import io.sluice.l7.metrics.AuthMetrics;
import io.sluice.l7.metrics.AuthRefusal;
import io.sluice.l7.metrics.L7Metrics;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSession;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JWT route's cache of verified tokens ({@link VerifiedTokens}) in its filter, over a clock and a key set the test
 * moves: a token's second request skips the signature check, yet its exp, its route's require and a key set that
 * changed still hold every time; the bound evicts the least recently used; {@code max_tokens: 0} keeps nothing.
 */
final class JwtCacheTest
{
    private static final long START = 1_800_000_000_000L;
    private static final RSAKey KEY = Tokens.rsa("k1");
    private static final RSAKey NEXT = Tokens.rsa("k2");

    private final L7Metrics metrics = new L7Metrics();
    private long now = START;
    private KeySet keys = keySet(KEY);

    private static KeySet keySet(final JWK... jwks)
    {
        return KeySet.of(List.of(jwks).stream().map(JWK::toPublicJWK).toList());
    }

    private JwtFilter filter(final int maxTokens, final Map<String, List<String>> require)
    {
        final AuthSettings.Jwt settings = new AuthSettings.Jwt(null, null, List.of(KEY.toPublicJWK()), Tokens.ISSUER,
            List.of(Tokens.AUDIENCE), List.of("RS256"), Duration.ofSeconds(1), AuthSettings.TokenSource.BEARER, Map.of(),
            true, require, maxTokens);
        return new JwtFilter("api", settings, () -> keys, () -> now);
    }

    private JwtFilter filter(final int maxTokens)
    {
        return filter(maxTokens, Map.of());
    }

    /** A token of {@code subject} valid from START for a minute. */
    private static String token(final RSAKey key, final String subject, final String tier)
    {
        return Tokens.sign(key, Tokens.claims(subject, START).expirationTime(new java.util.Date(START + 60_000))
            .claim("tier", tier).build());
    }

    private static String token(final String subject)
    {
        return token(KEY, subject, "gold");
    }

    /** The filter's verdict on one request with {@code token}: null when it went on, else the status it was answered. */
    private Context send(final JwtFilter filter, final String token)
    {
        final HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/x");
        request.headers().set("Authorization", "Bearer " + token);
        final Context context = new Context(request);
        context.outcome = filter.onRequest(request, context);
        return context;
    }

    private AuthMetrics.Route counts()
    {
        return metrics.auth().route("api");
    }

    @Test
    void aTokenSeenAgainIsAHitAndKeepsItsIdentity()
    {
        final JwtFilter filter = filter(100);
        final String token = token("alice");

        final Context first = send(filter, token);
        final Context second = send(filter, token);
        assertThat(second.outcome).isEqualTo(RequestFilter.Outcome.CONTINUE);
        assertThat(second.identity).isSameAs(first.identity);
        assertThat(second.identity.name()).isEqualTo("alice");
        assertThat(second.identity.claims()).containsEntry("tier", "gold");
        assertThat(counts().jwtCacheMisses()).isEqualTo(1);
        assertThat(counts().jwtCacheHits()).isEqualTo(1);
        assertThat(counts().acceptedCount()).isEqualTo(2);

        send(filter, token("bob"));
        assertThat(counts().jwtCacheMisses()).as("another token is another entry").isEqualTo(2);
    }

    @Test
    void aKeptTokenStillExpiresOnTheClockWithTheSkew()
    {
        final JwtFilter filter = filter(100);
        final String token = token("alice");
        send(filter, token);

        now = START + 60_000; // exp, but within the one-second skew
        assertThat(send(filter, token).outcome).isEqualTo(RequestFilter.Outcome.CONTINUE);
        now = START + 61_000;
        final Context expired = send(filter, token);
        assertThat(expired.status).isEqualTo(401);
        assertThat(counts().refusedCount(AuthRefusal.EXPIRED)).isEqualTo(1);
        assertThat(counts().jwtCacheHits()).isEqualTo(1);
        assertThat(send(filter, token).status).as("and stays so").isEqualTo(401);
    }

    @Test
    void aKeyThatLeftTheKeySetTakesItsTokensWithIt()
    {
        final JwtFilter filter = filter(100);
        final String token = token("alice");
        send(filter, token);
        send(filter, token);
        assertThat(counts().jwtCacheHits()).isEqualTo(1);

        keys = keySet(NEXT); // rotated: k1 retired
        final Context retired = send(filter, token);
        assertThat(retired.status).isEqualTo(401);
        assertThat(counts().refusedCount(AuthRefusal.UNKNOWN_KEY)).isEqualTo(1);
        assertThat(counts().jwtCacheHits()).as("not served from the cache").isEqualTo(1);

        keys = keySet(KEY, NEXT); // a new set that has k1 again: verified once more, then kept
        send(filter, token);
        send(filter, token);
        assertThat(counts().jwtCacheMisses()).isEqualTo(3);
        assertThat(counts().jwtCacheHits()).isEqualTo(2);
        assertThat(send(filter, token(NEXT, "bob", "silver")).outcome).isEqualTo(RequestFilter.Outcome.CONTINUE);
    }

    @Test
    void aFetchThatBringsTheSameKeysIsTheSameKeySet()
    {
        assertThat(keySet(KEY, NEXT).sameKeys(keySet(KEY, NEXT))).as("so RemoteKeys keeps its tokens").isTrue();
        assertThat(keySet(KEY).sameKeys(keySet(KEY, NEXT))).isFalse();
        assertThat(keySet(KEY, NEXT).sameKeys(keySet(NEXT, KEY))).isFalse();
        assertThat(keySet(KEY).sameKeys(null)).isFalse();
    }

    @Test
    void theRoutesRequireHoldsOnEveryHit()
    {
        final JwtFilter filter = filter(100, Map.of("tier", List.of("gold")));
        final String silver = token(KEY, "carol", "silver");

        assertThat(send(filter, silver).status).isEqualTo(403);
        assertThat(send(filter, silver).status).as("a kept token is still refused").isEqualTo(403);
        assertThat(counts().jwtCacheHits()).isEqualTo(1);
        assertThat(counts().refusedCount(AuthRefusal.FORBIDDEN)).isEqualTo(2);
    }

    @Test
    void theBoundEvictsTheLeastRecentlyUsed()
    {
        final JwtFilter filter = filter(2); // one stripe of two
        final String alice = token("alice");
        final String bob = token("bob");
        send(filter, alice);
        send(filter, bob);
        send(filter, alice); // bob is now the least recently used
        send(filter, token("carol"));
        assertThat(counts().jwtCacheEvictions()).isEqualTo(1);

        send(filter, alice);
        assertThat(counts().jwtCacheHits()).as("alice stayed").isEqualTo(2);
        send(filter, bob);
        assertThat(counts().jwtCacheHits()).as("bob went").isEqualTo(2);
        assertThat(counts().jwtCacheEvictions()).isEqualTo(2);
    }

    @Test
    void manyTokensStayWithinTheBoundOverEveryStripe()
    {
        final VerifiedTokens tokens = new VerifiedTokens(1000, Duration.ZERO);
        final Verdict verdict = new TokenVerifier(new AuthSettings.Jwt(null, null, List.of(), null, List.of(),
            List.of("RS256"), Duration.ZERO, AuthSettings.TokenSource.BEARER, Map.of(), true, Map.of(), 1000))
            .verify(token("alice"), keys, START);
        for (int i = 0; i < 5000; i++)
        {
            tokens.keep("token-" + i, verdict, keys, counts());
        }
        assertThat(tokens.size()).isEqualTo(1000);
        assertThat(counts().jwtCacheEvictions()).isEqualTo(4000);
        assertThat(tokens.find("token-4999", keys, START, counts())).isSameAs(verdict);
    }

    @Test
    void maxTokensZeroKeepsNothing()
    {
        final JwtFilter filter = filter(0);
        final String token = token("alice");
        assertThat(send(filter, token).outcome).isEqualTo(RequestFilter.Outcome.CONTINUE);
        assertThat(send(filter, token).outcome).isEqualTo(RequestFilter.Outcome.CONTINUE);
        assertThat(counts().jwtCacheHits() + counts().jwtCacheMisses()).isZero();
        assertThat(counts().acceptedCount()).isEqualTo(2);
    }

    /** What one request's filter context saw: the identity set, or the status of the answer. */
    private final class Context implements FilterContext
    {
        private final HttpRequest request;
        private RequestFilter.Outcome outcome;
        private Identity identity;
        private int status;

        Context(final HttpRequest request)
        {
            this.request = request;
        }

        @Override
        public HttpRequest request()
        {
            return request;
        }

        @Override
        public String routeName()
        {
            return "api";
        }

        @Override
        public InetSocketAddress client()
        {
            return new InetSocketAddress("192.0.2.10", 50000);
        }

        @Override
        public SSLSession tlsSession()
        {
            return null;
        }

        @Override
        public L7Metrics metrics()
        {
            return metrics;
        }

        @Override
        public EventExecutor executor()
        {
            return ImmediateEventExecutor.INSTANCE;
        }

        @Override
        public void answer(final FullHttpResponse response)
        {
            status = response.status().code();
            response.release();
        }

        @Override
        public void resume()
        {
            throw new AssertionError("the keys are known: nothing waits");
        }

        @Override
        public Identity identity()
        {
            return identity;
        }

        @Override
        public void identity(final Identity identity)
        {
            this.identity = identity;
        }

        @Override
        public void attach(final Object owner, final Object value)
        {
            throw new AssertionError("not used by authentication");
        }

        @Override
        public Object attachment(final Object owner)
        {
            return null;
        }

        @Override
        public void background(final HttpRequest request, final ResponseFilter from, final BackgroundReceiver receiver)
        {
            throw new AssertionError("not used by authentication");
        }
    }
}
