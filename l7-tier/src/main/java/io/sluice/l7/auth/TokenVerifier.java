package io.sluice.l7.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.sluice.l7.config.AuthSettings;
import io.sluice.l7.metrics.AuthRefusal;

import java.text.ParseException;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A JWT checked as a route's {@code auth.jwt} says: a JWS (never {@code alg: none}) by an
 * algorithm the route allows, whose signature one of the keys for that algorithm verifies
 * ({@link KeySet#candidates}, then nimbus's {@link JWSVerifierFactory}, which refuses a key of the
 * wrong type again), then {@code exp} (required), {@code nbf}, {@code iss} and {@code aud} with
 * the clock skew. Immutable; shared by every event loop.
 */
final class TokenVerifier
{
    private static final JWSVerifierFactory VERIFIERS = new DefaultJWSVerifierFactory();

    private final Set<JWSAlgorithm> algorithms;
    private final String issuer;
    private final List<String> audiences;
    private final long skewMillis;

    TokenVerifier(final AuthSettings.Jwt settings)
    {
        algorithms = settings.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toUnmodifiableSet());
        issuer = settings.issuer();
        audiences = settings.audiences();
        skewMillis = settings.clockSkew().toMillis();
    }

    /** Checks {@code token} with {@code keys} at {@code nowMillis} (wall clock). */
    Verdict verify(final String token, final KeySet keys, final long nowMillis)
    {
        final SignedJWT jwt;
        try
        {
            jwt = SignedJWT.parse(token);
        }
        catch (final ParseException ex)
        {
            // alg none comes here too: nimbus reads no JWS header without a signature algorithm
            return Verdict.refused(AuthRefusal.MALFORMED, "not a signed JWT");
        }
        final JWSHeader header = jwt.getHeader();
        final JWSAlgorithm algorithm = header.getAlgorithm();
        if (!algorithms.contains(algorithm))
        {
            return Verdict.refused(AuthRefusal.ALGORITHM, "algorithm not allowed" +
                (AuthAnswers.printable(algorithm.getName()) ? ": " + algorithm.getName() : ""));
        }
        final Verdict signature = signature(jwt, keys);
        if (signature != null)
        {
            return signature;
        }
        final JWTClaimsSet claims;
        try
        {
            claims = jwt.getJWTClaimsSet();
        }
        catch (final ParseException ex)
        {
            return Verdict.refused(AuthRefusal.MALFORMED, "the claims are not a JSON object of JWT claims");
        }
        return claims(claims, nowMillis);
    }

    /** Null when a candidate key verifies the signature, else the refusal. */
    private static Verdict signature(final SignedJWT jwt, final KeySet keys)
    {
        final JWSHeader header = jwt.getHeader();
        final String keyId = header.getKeyID();
        final List<KeySet.Entry> candidates = keys.candidates(header.getAlgorithm(), keyId);
        if (candidates.isEmpty())
        {
            return Verdict.refused(AuthRefusal.UNKNOWN_KEY, keyId != null && !keys.hasKeyId(keyId) ? "unknown key id" :
                "no key for the token's algorithm");
        }
        for (final KeySet.Entry candidate : candidates)
        {
            try
            {
                final JWSVerifier verifier = VERIFIERS.createJWSVerifier(header, candidate.publicKey());
                if (jwt.verify(verifier))
                {
                    return null;
                }
            }
            catch (final JOSEException ex)
            {
                // this key cannot check this signature (the factory found its type wrong for the algorithm): the next may
            }
        }
        return Verdict.refused(AuthRefusal.SIGNATURE, "the signature does not verify");
    }

    private Verdict claims(final JWTClaimsSet claims, final long nowMillis)
    {
        final Date expires = claims.getExpirationTime();
        if (expires == null)
        {
            return Verdict.refused(AuthRefusal.EXPIRED, "the token has no exp");
        }
        if (nowMillis - skewMillis >= expires.getTime())
        {
            return Verdict.refused(AuthRefusal.EXPIRED, "the token expired");
        }
        final Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && nowMillis + skewMillis < notBefore.getTime())
        {
            return Verdict.refused(AuthRefusal.NOT_YET_VALID, "the token is not valid yet (nbf)");
        }
        if (issuer != null && !issuer.equals(claims.getIssuer()))
        {
            return Verdict.refused(AuthRefusal.ISSUER, "wrong issuer");
        }
        final List<String> audience = claims.getAudience();
        if (!audiences.isEmpty() && (audience == null || audiences.stream().noneMatch(audience::contains)))
        {
            return Verdict.refused(AuthRefusal.AUDIENCE, "wrong audience");
        }
        return Verdict.valid(claims);
    }
}
