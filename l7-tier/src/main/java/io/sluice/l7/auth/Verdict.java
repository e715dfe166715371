package io.sluice.l7.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import io.sluice.l7.filter.Identity;
import io.sluice.l7.metrics.AuthRefusal;

/**
 * What a token check found: the token's claims when it holds, else why not.
 *
 * @param refusal     null when the token holds.
 * @param description for a refusal, what was wrong, fit for {@code error_description} (it never repeats the token).
 * @param claims      a valid token's claims; null for a refusal.
 * @param identity    who a valid token says the request is from: {@code jwt}, its {@code sub} (empty without one) and
 *                    its scalar claims; null for a refusal.
 */
record Verdict(AuthRefusal refusal, String description, JWTClaimsSet claims, Identity identity)
{
    static Verdict valid(final JWTClaimsSet claims)
    {
        final String subject = claims.getSubject();
        return new Verdict(null, null, claims, new Identity("jwt", subject == null ? "" : subject,
            ClaimRules.scalarClaims(claims)));
    }

    static Verdict refused(final AuthRefusal refusal, final String description)
    {
        return new Verdict(refusal, description, null, null);
    }
}
