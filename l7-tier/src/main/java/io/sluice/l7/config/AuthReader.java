package io.sluice.l7.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A route's {@code auth:}, one of
 * {@code { jwt: { jwks | keys_file, issuer, audience, algorithms, clock_skew, token, claims_to_headers, forward_token,
 * require, cache: { max_tokens } } }} and {@code { api_keys: { file, header | query } }}. The files are read here, so a bad one refuses the
 * configuration in one line and a reload leaves the running keys serving.
 */
final class AuthReader
{
    /**
     * The asymmetric JWS algorithms the JDK verifies: RSA PKCS#1 and PSS, ECDSA on P-256, P-384 and P-521. HMAC is
     * not among them (it needs a shared secret, and its confusion with a public key is the classic JWT attack), nor
     * EdDSA and ES256K (nimbus needs Tink or BouncyCastle for those).
     */
    static final List<String> ALGORITHMS = List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384",
        "ES512");
    static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    static final String DEFAULT_API_KEY_HEADER = "X-Api-Key";
    /** A bound on {@code cache.max_tokens} that still fits in a heap: ~1 KiB a token, 10 GiB. */
    private static final int MAX_CACHE_TOKENS = 10_000_000;
    private static final String[] JWKS_KEYS = {"url", "cache_min", "cache_max", "unknown_kid_interval", "timeout"};

    private AuthReader()
    {
    }

    static AuthSettings auth(final ConfigNode node)
    {
        final ConfigMapping fields = node.mapping("jwt", "api_keys");
        if (fields.has("jwt") == fields.has("api_keys"))
        {
            throw node.error("needs one of jwt: {...} and api_keys: {...}");
        }
        final ConfigNode jwt = fields.optional("jwt");
        return jwt != null ? new AuthSettings(jwt(jwt), null) : new AuthSettings(null, apiKeys(fields.required("api_keys")));
    }

    private static AuthSettings.Jwt jwt(final ConfigNode node)
    {
        final ConfigMapping fields = node.mapping("jwks", "keys_file", "issuer", "audience", "algorithms", "clock_skew",
            "token", "claims_to_headers", "forward_token", "require", "cache");
        if (fields.has("jwks") == fields.has("keys_file"))
        {
            throw node.error("needs one of jwks: URL and keys_file: FILE");
        }
        final ConfigNode jwksNode = fields.optional("jwks");
        final ConfigNode keysFileNode = fields.optional("keys_file");
        final ConfigNode issuerNode = fields.optional("issuer");
        final ConfigNode audienceNode = fields.optional("audience");
        final ConfigNode algorithmsNode = fields.optional("algorithms");
        final ConfigNode skewNode = fields.optional("clock_skew");
        final ConfigNode tokenNode = fields.optional("token");
        final ConfigNode forwardNode = fields.optional("forward_token");
        final ConfigNode cacheNode = fields.optional("cache");
        final ConfigNode maxTokensNode = cacheNode == null ? null : cacheNode.mapping("max_tokens").optional("max_tokens");
        return new AuthSettings.Jwt(
            jwksNode == null ? null : jwksUrl(jwksNode.isMapping() ? jwksNode.mapping(JWKS_KEYS).required("url") : jwksNode),
            jwksNode == null ? null : jwksFetch(jwksNode),
            keysFileNode == null ? null : JwkFiles.publicKeys(keysFileNode),
            issuerNode == null ? null : issuerNode.text(),
            audienceNode == null ? List.of() : texts(audienceNode, "audience"),
            algorithmsNode == null ? ALGORITHMS : algorithms(algorithmsNode),
            skewNode == null ? DEFAULT_CLOCK_SKEW : skewNode.parse(Durations::parse),
            tokenNode == null ? AuthSettings.TokenSource.BEARER :
                tokenSource(tokenNode, tokenNode.mapping("header", "cookie", "query"), true),
            claimsToHeaders(fields.optional("claims_to_headers")),
            forwardNode == null || forwardNode.bool(),
            require(fields.optional("require")),
            maxTokensNode == null ? AuthSettings.Jwt.DEFAULT_CACHE_TOKENS : maxTokensNode.integer(0, MAX_CACHE_TOKENS));
    }

    /** {@code jwks: URL}, or {@code jwks: { url, cache_min, cache_max, unknown_kid_interval, timeout }}. */
    private static AuthSettings.JwksFetch jwksFetch(final ConfigNode node)
    {
        final AuthSettings.JwksFetch defaults = AuthSettings.JwksFetch.DEFAULTS;
        if (!node.isMapping())
        {
            return defaults;
        }
        final ConfigMapping fields = node.mapping(JWKS_KEYS);
        final Duration min = duration(fields, "cache_min", defaults.minCache());
        final Duration max = duration(fields, "cache_max", defaults.maxCache());
        if (max.compareTo(min) < 0)
        {
            throw fields.required(fields.has("cache_max") ? "cache_max" : "cache_min").error("cache_max is less than cache_min");
        }
        return new AuthSettings.JwksFetch(min, max, duration(fields, "unknown_kid_interval", defaults.unknownKeyRefetch()),
            duration(fields, "timeout", defaults.timeout()));
    }

    private static Duration duration(final ConfigMapping fields, final String key, final Duration otherwise)
    {
        final ConfigNode node = fields.optional(key);
        return node == null ? otherwise : node.parse(Durations::parse);
    }

    private static URI jwksUrl(final ConfigNode node)
    {
        return node.parse(text ->
        {
            try
            {
                final URI url = new URI(text);
                if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null)
                {
                    throw new IllegalArgumentException("'" + text + "' is not an http:// or https:// URL with a host");
                }
                return url;
            }
            catch (final URISyntaxException ex)
            {
                throw new IllegalArgumentException("'" + text + "' is not a URL: " + ex.getReason());
            }
        });
    }

    private static List<String> algorithms(final ConfigNode node)
    {
        final List<String> algorithms = new ArrayList<>();
        final FirstUses<String> seen = new FirstUses<>();
        for (final ConfigNode item : node.nonEmptyList("algorithm"))
        {
            final String algorithm = item.text();
            if (!ALGORITHMS.contains(algorithm))
            {
                throw item.error("'" + algorithm + "' is not an algorithm sluice verifies (" +
                    (algorithm.toUpperCase(Locale.ROOT).startsWith("HS") || "none".equalsIgnoreCase(algorithm) ?
                        "never none or HMAC; " : "") + "known: " + String.join(", ", ALGORITHMS) + ")");
            }
            seen.claim(algorithm, item, item, "'" + algorithm + "'");
            algorithms.add(algorithm);
        }
        return algorithms;
    }

    /** {@code { header: NAME } | { cookie: NAME } | { query: NAME }}; a cookie only for a JWT. */
    private static AuthSettings.TokenSource tokenSource(final ConfigNode node, final ConfigMapping fields, final boolean cookies)
    {
        final int given = (fields.has("header") ? 1 : 0) + (fields.has("cookie") ? 1 : 0) + (fields.has("query") ? 1 : 0);
        if (given != 1)
        {
            throw node.error("needs one of " +
                (cookies ? "header: NAME, cookie: NAME and query: NAME" : "header: NAME and query: NAME"));
        }
        final ConfigNode header = fields.optional("header");
        final ConfigNode cookie = fields.optional("cookie");
        final ConfigNode query = fields.optional("query");
        return new AuthSettings.TokenSource(header == null ? null : header.parse(HttpSyntax::headerName),
            cookie == null ? null : cookie.parse(text -> HttpSyntax.token(text, "a cookie name")),
            query == null ? null : query.parse(text -> HttpSyntax.token(text, "a query parameter name")));
    }

    /** {@code { CLAIM: HEADER }}: two claims may not write one header. */
    private static Map<String, String> claimsToHeaders(final ConfigNode node)
    {
        final Map<String, String> headers = new LinkedHashMap<>();
        if (node == null)
        {
            return headers;
        }
        final FirstUses<String> names = new FirstUses<>();
        for (final ConfigNode.Entry entry : node.entries())
        {
            final String header = entry.value().parse(HttpSyntax::headerName);
            names.claim(header.toLowerCase(Locale.ROOT), entry.value(), entry.value(), "'" + header + "'");
            headers.put(entry.name(), header);
        }
        return headers;
    }

    /** {@code { CLAIM: VALUE | [VALUE, ...] }}. */
    private static Map<String, List<String>> require(final ConfigNode node)
    {
        final Map<String, List<String>> require = new LinkedHashMap<>();
        if (node != null)
        {
            for (final ConfigNode.Entry entry : node.entries())
            {
                require.put(entry.name(), texts(entry.value(), "value"));
            }
        }
        return require;
    }

    /** One text, or a non-empty list of them. */
    private static List<String> texts(final ConfigNode node, final String what)
    {
        if (!node.isList())
        {
            return List.of(node.text());
        }
        final List<String> texts = new ArrayList<>();
        for (final ConfigNode item : node.nonEmptyList(what))
        {
            texts.add(item.text());
        }
        return texts;
    }

    /** {@code { file: FILE, header: NAME | query: NAME }}, the header X-Api-Key when neither is given. */
    private static AuthSettings.ApiKeys apiKeys(final ConfigNode node)
    {
        final ConfigMapping fields = node.mapping("file", "header", "query");
        final AuthSettings.TokenSource source = fields.has("header") || fields.has("query") ? tokenSource(node, fields, false)
            : new AuthSettings.TokenSource(DEFAULT_API_KEY_HEADER, null, null);
        return new AuthSettings.ApiKeys(ApiKeyFiles.hashes(fields.required("file")), source);
    }
}
