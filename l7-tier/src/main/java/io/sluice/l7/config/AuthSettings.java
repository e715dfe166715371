package io.sluice.l7.config;

import com.nimbusds.jose.jwk.JWK;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A route's {@code auth:}: who may send it requests, proven by a JWT ({@link #jwt}) or an API key
 * ({@link #apiKeys}); exactly one of the two is set.
 */
public record AuthSettings(Jwt jwt, ApiKeys apiKeys)
{
    /** Where a request carries its credential; exactly one of the three is set. */
    public record TokenSource(String header, String cookie, String query)
    {
        /** {@code Authorization: Bearer TOKEN} (RFC 6750 2.1), the default place of a JWT. */
        public static final TokenSource BEARER = new TokenSource("Authorization", null, null);
    }

    /**
     * {@code auth.jwt}: a signed JWT, checked against keys fetched from {@code jwks} or read from {@code keys_file}.
     *
     * @param jwks            the JWKS endpoint the proxy fetches keys from, or null when {@code fileKeys} are given.
     * @param fetch           how the JWKS endpoint is fetched and cached; null with {@code fileKeys}.
     * @param fileKeys        the public keys of {@code keys_file} (a JWKS or a PEM key or certificate), or null.
     * @param issuer          the {@code iss} a token must have, or null for any.
     * @param audiences       a token's {@code aud} must name one of these; empty for any.
     * @param algorithms      the JWS algorithms a token may be signed with (asymmetric only: never none, never HMAC).
     * @param clockSkew       how far {@code exp} and {@code nbf} may be off the proxy's clock.
     * @param token           where the token is.
     * @param claimsToHeaders claim name to the request header its value goes to the backend in.
     * @param forwardToken    whether the token itself goes on to the backend.
     * @param require         claim name to the values one of which it must have (403 otherwise).
     * @param cacheTokens     how many verified tokens the route keeps, so a token's signature is checked once
     *                        ({@code cache.max_tokens}); 0 checks every request's.
     */
    public record Jwt(URI jwks, JwksFetch fetch, List<JWK> fileKeys, String issuer, List<String> audiences,
        List<String> algorithms, Duration clockSkew, TokenSource token, Map<String, String> claimsToHeaders,
        boolean forwardToken, Map<String, List<String>> require, int cacheTokens)
    {
        /** {@code cache.max_tokens} when the route says nothing: at ~1 KiB a token, ~10 MiB at most per route. */
        public static final int DEFAULT_CACHE_TOKENS = 10_000;

        public Jwt
        {
            fileKeys = fileKeys == null ? null : List.copyOf(fileKeys);
            audiences = List.copyOf(audiences);
            algorithms = List.copyOf(algorithms);
            claimsToHeaders = Map.copyOf(claimsToHeaders);
            require = Map.copyOf(require);
        }
    }

    /**
     * How a JWKS endpoint is fetched.
     *
     * @param minCache          the least time fetched keys are kept before the next fetch (a max-age below it is raised).
     * @param maxCache          the most (a max-age above it, or none given, is lowered to it).
     * @param unknownKeyRefetch the least time between two fetches a token with an unknown {@code kid} makes.
     * @param timeout           how long one fetch may take; requests that wait for the first keys wait this long at most.
     */
    public record JwksFetch(Duration minCache, Duration maxCache, Duration unknownKeyRefetch, Duration timeout)
    {
        public static final JwksFetch DEFAULTS = new JwksFetch(Duration.ofMinutes(1), Duration.ofHours(24),
            Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    /**
     * {@code auth.api_keys}: a key the client shows, known by its SHA-256 hash.
     *
     * @param hashes key name to the lower-case hex SHA-256 of the key, as {@code file} lists them.
     * @param source where a request carries its key (a header or a query parameter).
     */
    public record ApiKeys(Map<String, String> hashes, TokenSource source)
    {
        public ApiKeys
        {
            hashes = Map.copyOf(hashes);
        }
    }
}
