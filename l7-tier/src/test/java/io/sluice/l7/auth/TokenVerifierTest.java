package io.sluice.l7.auth;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import io.sluice.l7.config.AuthSettings;
import io.sluice.l7.metrics.AuthRefusal;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Tokens signed here, checked as a route with issuer, audience and the default algorithms checks them. */
final class TokenVerifierTest
{
    private static final long NOW = 1_800_000_000_000L;
    private static final RSAKey RSA = Tokens.rsa("r1");
    private static final ECKey EC = Tokens.ec("e1");
    private static final KeySet KEYS = KeySet.of(List.of(RSA.toPublicJWK(), EC.toPublicJWK()));

    private static AuthSettings.Jwt settings(final List<String> algorithms)
    {
        return new AuthSettings.Jwt(null, null, List.<JWK>of(RSA.toPublicJWK()), Tokens.ISSUER, List.of(Tokens.AUDIENCE),
            algorithms, Duration.ofSeconds(30), AuthSettings.TokenSource.BEARER, Map.of(), true, Map.of(), 0);
    }

    private final TokenVerifier verifier = new TokenVerifier(settings(List.of("RS256", "ES256")));

    private Verdict verify(final String token)
    {
        return verifier.verify(token, KEYS, NOW);
    }

    private static JWTClaimsSet.Builder claims()
    {
        return Tokens.claims("alice", NOW);
    }

    @Test
    void rs256AndEs256TokensSignedByKnownKeysHold()
    {
        final Verdict rsa = verify(Tokens.sign(RSA, claims().build()));
        assertThat(rsa.refusal()).isNull();
        assertThat(rsa.claims().getSubject()).isEqualTo("alice");
        assertThat(verify(Tokens.sign(EC, claims().build())).refusal()).isNull();
    }

    @Test
    void anExpiredTokenIsRefusedPastTheClockSkewOnly()
    {
        assertThat(verify(Tokens.sign(RSA, claims().expirationTime(new Date(NOW - 29_000)).build())).refusal())
            .as("within the 30 s skew").isNull();
        final Verdict expired = verify(Tokens.sign(RSA, claims().expirationTime(new Date(NOW - 31_000)).build()));
        assertThat(expired.refusal()).isEqualTo(AuthRefusal.EXPIRED);
        assertThat(expired.description()).isEqualTo("the token expired");
        assertThat(verify(Tokens.sign(RSA, claims().expirationTime(null).build())).refusal()).as("no exp")
            .isEqualTo(AuthRefusal.EXPIRED);
    }

    @Test
    void aTokenNotYetValidIsRefused()
    {
        assertThat(verify(Tokens.sign(RSA, claims().notBeforeTime(new Date(NOW + 29_000)).build())).refusal()).isNull();
        assertThat(verify(Tokens.sign(RSA, claims().notBeforeTime(new Date(NOW + 31_000)).build())).refusal())
            .isEqualTo(AuthRefusal.NOT_YET_VALID);
    }

    @Test
    void theWrongIssuerOrAudienceIsRefused()
    {
        assertThat(verify(Tokens.sign(RSA, claims().issuer("https://evil.example").build())).refusal())
            .isEqualTo(AuthRefusal.ISSUER);
        assertThat(verify(Tokens.sign(RSA, claims().issuer(null).build())).refusal()).isEqualTo(AuthRefusal.ISSUER);
        assertThat(verify(Tokens.sign(RSA, claims().audience("other").build())).refusal()).isEqualTo(AuthRefusal.AUDIENCE);
        assertThat(verify(Tokens.sign(RSA, claims().audience(List.of("other", Tokens.AUDIENCE)).build())).refusal())
            .as("one of its audiences is the route's").isNull();
    }

    @Test
    void aTokenSignedByAnotherKeyOfTheSameIdIsRefused()
    {
        final Verdict verdict = verify(Tokens.sign(Tokens.rsa("r1"), claims().build()));
        assertThat(verdict.refusal()).isEqualTo(AuthRefusal.SIGNATURE);
        assertThat(verdict.description()).isEqualTo("the signature does not verify");
    }

    @Test
    void anUnknownKeyIdIsSaidSoAndAKeyOfTheWrongTypeIsNeverTried()
    {
        final Verdict unknown = verify(Tokens.sign(Tokens.rsa("r9"), claims().build()));
        assertThat(unknown.refusal()).isEqualTo(AuthRefusal.UNKNOWN_KEY);
        assertThat(unknown.description()).isEqualTo("unknown key id");
        // An ES256 token naming the RSA key's id: that key is not an EC key on P-256, so it is not a candidate.
        final ECKey namedLikeTheRsaKey = Tokens.ec("r1");
        final Verdict mismatched = verify(Tokens.sign(namedLikeTheRsaKey, claims().build()));
        assertThat(mismatched.refusal()).isEqualTo(AuthRefusal.UNKNOWN_KEY);
        assertThat(mismatched.description()).isEqualTo("no key for the token's algorithm");
    }

    @Test
    void anUnsignedTokenIsNeverAccepted()
    {
        final Verdict verdict = verify(Tokens.unsigned(claims().build()));
        assertThat(verdict.refusal()).isEqualTo(AuthRefusal.MALFORMED);
        assertThat(verdict.description()).isEqualTo("not a signed JWT");
        assertThat(verify("not.a.token").refusal()).isEqualTo(AuthRefusal.MALFORMED);
    }

    @Test
    void anHs256TokenMacedWithTheRsaPublicKeyIsRefused()
    {
        final Verdict verdict = verify(Tokens.hmacWithPublicKey(RSA, claims().build()));
        assertThat(verdict.refusal()).isEqualTo(AuthRefusal.ALGORITHM);
        assertThat(verdict.description()).isEqualTo("algorithm not allowed: HS256");
    }

    @Test
    void anAlgorithmTheRouteDoesNotListIsRefusedThoughItsKeyIsKnown()
    {
        final TokenVerifier rsaOnly = new TokenVerifier(settings(List.of("RS256")));
        assertThat(rsaOnly.verify(Tokens.sign(EC, claims().build()), KEYS, NOW).refusal()).isEqualTo(AuthRefusal.ALGORITHM);
    }
}
