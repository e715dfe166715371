package io.sluice.l7.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import io.netty.handler.codec.http.HttpRequest;
import io.sluice.l7.config.AuthSettings;
import io.sluice.l7.filter.FilterContext;
import io.sluice.l7.filter.RequestFilter;
import io.sluice.l7.metrics.AuthMetrics;
import io.sluice.l7.metrics.AuthRefusal;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * {@code auth.jwt}: a request goes on only with a valid signed JWT ({@link TokenVerifier}) whose
 * claims the route's {@code require} accepts; its {@code claims_to_headers} are set from the
 * token (and never from the client), the token is taken out when {@code forward_token} is false,
 * and the context's identity becomes {@code jwt}, the token's {@code sub} (empty without one)
 * and its scalar claims. A token verified once is kept ({@link VerifiedTokens}, unless {@code cache.max_tokens} is
 * 0), so the requests after it skip the signature check. A request that needs keys not known yet (the first fetch under way, a
 * {@code kid} the keys may have rotated to) is {@link Outcome#PENDING} until the fetch is over,
 * on the fetch's thread, and then decided on its event loop.
 */
final class JwtFilter implements RequestFilter
{
    static final String SCHEME = "Bearer";

    private final String route;
    private final KeySource keys;
    private final TokenVerifier verifier;
    private final ClaimRules claims;
    private final CredentialLocation location;
    private final boolean forwardToken;
    private final LongSupplier wallClockMillis;
    /** The tokens verified, or null when the route keeps none. */
    private final VerifiedTokens verified;

    JwtFilter(final String route, final AuthSettings.Jwt settings, final KeySource keys, final LongSupplier wallClockMillis)
    {
        this.route = route;
        this.keys = keys;
        this.verifier = new TokenVerifier(settings);
        this.claims = new ClaimRules(settings);
        this.location = new CredentialLocation(settings.token(), SCHEME, route);
        this.forwardToken = settings.forwardToken();
        this.wallClockMillis = wallClockMillis;
        this.verified = settings.cacheTokens() == 0 ? null : new VerifiedTokens(settings.cacheTokens(), settings.clockSkew());
    }

    @Override
    public Outcome onRequest(final HttpRequest request, final FilterContext context)
    {
        final AuthMetrics.Route metrics = context.metrics().auth().route(route);
        if (keys instanceof RemoteKeys remote)
        {
            metrics.jwks(remote);
        }
        claims.clearHeaders(request.headers());
        final String token = location.findOrAnswer(request, context, metrics);
        if (token == null)
        {
            return Outcome.ANSWERED;
        }
        final KeySet known = keys.current();
        if (known == null)
        {
            return later(keys.firstKeys(), request, context, token, metrics, true);
        }
        final Verdict verdict = verify(token, known, metrics);
        if (verdict.refusal() == AuthRefusal.UNKNOWN_KEY)
        {
            final CompletableFuture<Void> fetch = keys.unknownKey();
            if (fetch != null)
            {
                return later(fetch, request, context, token, metrics, true);
            }
        }
        return decide(verdict, request, context, metrics);
    }

    /**
     * Decides once {@code fetch} is over, with the keys it left; the exchange's event loop decides, as always.
     *
     * @param mayFetchAgain whether a key id still unknown may start a fetch of its own: the fetch waited for may have
     *                      begun before the provider published the key (a refresh that was under way), and one that
     *                      was started for an unknown key makes {@link KeySource#unknownKey} refuse another anyway.
     */
    private Outcome later(final CompletableFuture<Void> fetch, final HttpRequest request, final FilterContext context,
        final String token, final AuthMetrics.Route metrics, final boolean mayFetchAgain)
    {
        fetch.whenComplete((ignored, error) -> context.executor().execute(() ->
        {
            final KeySet known = keys.current();
            if (known == null)
            {
                noKeys(context, metrics);
                return;
            }
            final Verdict verdict = verify(token, known, metrics);
            final CompletableFuture<Void> again = mayFetchAgain && verdict.refusal() == AuthRefusal.UNKNOWN_KEY ?
                keys.unknownKey() : null;
            if (again != null)
            {
                later(again, request, context, token, metrics, false);
            }
            else if (decide(verdict, request, context, metrics) == Outcome.CONTINUE)
            {
                context.resume();
            }
        }));
        return Outcome.PENDING;
    }

    /** The verdict kept for the token when it still holds, else the verifier's (kept when it holds). */
    private Verdict verify(final String token, final KeySet known, final AuthMetrics.Route metrics)
    {
        final long now = wallClockMillis.getAsLong();
        final Verdict kept = verified == null ? null : verified.find(token, known, now, metrics);
        if (kept != null)
        {
            return kept;
        }
        final Verdict verdict = verifier.verify(token, known, now);
        if (verified != null && verdict.refusal() == null)
        {
            verified.keep(token, verdict, known, metrics);
        }
        return verdict;
    }

    private static void noKeys(final FilterContext context, final AuthMetrics.Route metrics)
    {
        metrics.refused(AuthRefusal.NO_KEYS);
        context.answer(AuthAnswers.noKeys());
    }

    private Outcome decide(final Verdict verdict, final HttpRequest request, final FilterContext context,
        final AuthMetrics.Route metrics)
    {
        if (verdict.refusal() != null)
        {
            metrics.refused(verdict.refusal());
            context.answer(AuthAnswers.invalid(SCHEME, route, verdict.description()));
            return Outcome.ANSWERED;
        }
        final JWTClaimsSet token = verdict.claims();
        final String unmet = claims.unmetRequirement(token);
        if (unmet != null)
        {
            metrics.refused(AuthRefusal.FORBIDDEN);
            context.answer(AuthAnswers.forbidden(SCHEME, route, "the " + unmet + " claim is not one this route takes"));
            return Outcome.ANSWERED;
        }
        final String unsafe = claims.setHeaders(token, request.headers());
        if (unsafe != null)
        {
            metrics.refused(AuthRefusal.CLAIM_VALUE);
            context.answer(AuthAnswers.invalid(SCHEME, route, "the " + unsafe + " claim holds a control character"));
            return Outcome.ANSWERED;
        }
        if (!forwardToken)
        {
            location.remove(request);
        }
        context.identity(verdict.identity());
        metrics.accepted();
        return Outcome.CONTINUE;
    }
}
