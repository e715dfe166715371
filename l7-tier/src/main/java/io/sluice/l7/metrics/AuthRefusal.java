package io.sluice.l7.metrics;

import java.util.Locale;

/**
 * Why a route's authentication refused a request, counted as
 * {@code sluice_l7_auth_refused_total{route,reason}}; every reason is in the exposition from the start.
 */
public enum AuthRefusal
{
    /** No credential where the route looks for one (401 without an error code, RFC 6750 3.1). */
    MISSING,
    /** The credential given twice (two Authorization headers, two cookies or parameters of its name): 400. */
    REPEATED,
    /** Not a signed JWT (an unsigned one, {@code alg: none}, among them), or claims that are not JSON. */
    MALFORMED,
    /** Signed with an algorithm the route does not allow. */
    ALGORITHM,
    /** No key of the JWKS for the token's {@code kid}, or none of the type its algorithm needs. */
    UNKNOWN_KEY,
    /** The signature does not verify with the key it names. */
    SIGNATURE,
    /** Past its {@code exp} (clock skew allowed), or without one. */
    EXPIRED,
    /** Before its {@code nbf} (clock skew allowed). */
    NOT_YET_VALID,
    ISSUER,
    AUDIENCE,
    /** A claim copied into a header holds a character no header value may. */
    CLAIM_VALUE,
    /** A valid identity the route's {@code require} refuses (403). */
    FORBIDDEN,
    /** No key known yet: the first JWKS fetch failed or took longer than its timeout (503). */
    NO_KEYS,
    /** An API key that is not in the route's file. */
    UNKNOWN_API_KEY;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label()
    {
        return label;
    }
}
