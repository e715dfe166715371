package io.sluice.l7.config;

import com.nimbusds.jose.jwk.RSAKey;
import io.sluice.l7.auth.Tokens;
import io.sluice.l7.route.CompiledRoute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.sluice.l7.config.L7ConfigFiltersTest.onlyRoute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** A route's {@code auth:}: the JWT and API-key shapes with their defaults, its place first in the chain, and refusals. */
class L7ConfigAuthTest
{
    private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @TempDir
    Path directory;

    private static AuthSettings auth(final String auth)
    {
        final Route route = onlyRoute("routes:\n  - name: api\n    to: p\n    auth: " + auth + "\n");
        return ((RouteFilter.Auth)route.filters().getFirst()).settings();
    }

    private static void refused(final String auth, final String message)
    {
        assertThatThrownBy(() -> auth(auth)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void aJwksUrlTakesTheDefaults()
    {
        final AuthSettings.Jwt jwt = auth("{ jwt: { jwks: \"https://id.example/jwks.json\", issuer: \"https://id.example\", "
            + "audience: api } }").jwt();
        assertThat(jwt).isEqualTo(new AuthSettings.Jwt(URI.create("https://id.example/jwks.json"),
            AuthSettings.JwksFetch.DEFAULTS, null, "https://id.example", List.of("api"), AuthReader.ALGORITHMS,
            Duration.ofSeconds(30), AuthSettings.TokenSource.BEARER, Map.of(), true, Map.of(),
            AuthSettings.Jwt.DEFAULT_CACHE_TOKENS));
    }

    @Test
    void everyJwtKeyGiven() throws IOException
    {
        final RSAKey key = Tokens.rsa("k1");
        final Path keys = Files.writeString(directory.resolve("keys.json"), Tokens.jwks(key));
        final AuthSettings.Jwt jwt = auth("""
            { jwt: { keys_file: "%s", audience: [api, admin], algorithms: [ES256, RS256], clock_skew: 5s,
                     token: { cookie: session }, claims_to_headers: { sub: X-User, tenant: X-Tenant }, forward_token: false,
                     require: { tenant: [acme, initech], scope: write } } }""".formatted(keys)).jwt();
        assertThat(jwt.fileKeys()).containsExactly(key.toPublicJWK());
        assertThat(jwt.audiences()).containsExactly("api", "admin");
        assertThat(jwt.algorithms()).containsExactly("ES256", "RS256");
        assertThat(jwt.clockSkew()).isEqualTo(Duration.ofSeconds(5));
        assertThat(jwt.token()).isEqualTo(new AuthSettings.TokenSource(null, "session", null));
        assertThat(jwt.claimsToHeaders()).isEqualTo(Map.of("sub", "X-User", "tenant", "X-Tenant"));
        assertThat(jwt.forwardToken()).isFalse();
        assertThat(jwt.require()).isEqualTo(Map.of("tenant", List.of("acme", "initech"), "scope", List.of("write")));
        assertThat(auth("{ jwt: { jwks: { url: \"http://198.18.0.40:8080/jwks\", cache_min: 10s, cache_max: 1h, "
            + "unknown_kid_interval: 5s, timeout: 2s } } }").jwt().fetch()).isEqualTo(new AuthSettings.JwksFetch(
                Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofSeconds(5), Duration.ofSeconds(2)));
    }

    @Test
    void aPemPublicKeyIsAKeysFileToo() throws Exception
    {
        final RSAKey key = Tokens.rsa("k1");
        final String pem = "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
            .encodeToString(key.toRSAPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        final Path file = Files.writeString(directory.resolve("key.pem"), pem);
        assertThat(auth("{ jwt: { keys_file: \"" + file + "\" } }").jwt().fileKeys()).hasSize(1);
    }

    @Test
    void apiKeysFromAFileOfHashes() throws IOException
    {
        final Path keys = Files.writeString(directory.resolve("keys"), "# billing's key\nbilling " + HASH.toUpperCase() +
            "\n\nreports\t" + HASH.replace('9', '8') + "\n");
        final AuthSettings.ApiKeys apiKeys = auth("{ api_keys: { file: \"" + keys + "\", query: key } }").apiKeys();
        assertThat(apiKeys.hashes()).isEqualTo(Map.of("billing", HASH, "reports", HASH.replace('9', '8')));
        assertThat(apiKeys.source()).isEqualTo(new AuthSettings.TokenSource(null, null, "key"));
        assertThat(auth("{ api_keys: { file: \"" + keys + "\" } }").apiKeys().source())
            .isEqualTo(new AuthSettings.TokenSource("X-Api-Key", null, null));
    }

    @Test
    void theCacheOfVerifiedTokensIsBoundedOrOff()
    {
        final String jwks = "{ jwt: { jwks: \"http://id.example/k\"";
        assertThat(auth(jwks + ", cache: { max_tokens: 500 } } }").jwt().cacheTokens()).isEqualTo(500);
        assertThat(auth(jwks + ", cache: { max_tokens: 0 } } }").jwt().cacheTokens()).isZero();
        assertThat(auth(jwks + ", cache: {} } }").jwt().cacheTokens()).isEqualTo(AuthSettings.Jwt.DEFAULT_CACHE_TOKENS);
        refused(jwks + ", cache: { max_tokens: -1 } } }",
            "l7.yaml:4: routes[0].auth.jwt.cache.max_tokens: -1 is not 0-10000000");
        refused(jwks + ", cache: { size: 10 } } }",
            "l7.yaml:4: routes[0].auth.jwt.cache.size: unknown key; allowed here: max_tokens");
    }

    @Test
    void aRouteMatchesOnClaimsAsOnHeaders()
    {
        final Route route = L7ConfigLoader.parse("""
            routes:
              - name: gold
                match: { path: { prefix: /api }, claims: { tier: gold, sub: { regex: "a.*" }, beta: { present: true } } }
                to: p
              - name: api
                auth: { jwt: { jwks: "http://id.example/k" } }
                to: p
            """ + L7ConfigFiltersTest.LISTENERS + L7ConfigFiltersTest.POOLS, "l7.yaml").routes().getFirst();
        assertThat(route.match().claims()).extracting(ValueMatch::name, ValueMatch::kind, ValueMatch::value).containsExactly(
            tuple("tier", ValueMatch.Kind.EXACT, "gold"), tuple("sub", ValueMatch.Kind.REGEX, "a.*"),
            tuple("beta", ValueMatch.Kind.PRESENT, null));
    }

    @Test
    void aRouteOnClaimsNoRequestCouldReachIsRefusedInOneLine() throws IOException
    {
        final Path keys = Files.writeString(directory.resolve("keys"), "billing " + HASH + "\n");
        final String jwt = "    auth: { jwt: { jwks: \"http://id.example/k\" } }\n";
        final String gold = "  - name: gold\n    match: { claims: { tier: gold } }\n    to: p\n";
        final String api = "  - name: api\n    match: { path: { prefix: /api } }\n    to: p\n";
        routesRefused("routes:\n" + gold + jwt + api + jwt, "l7.yaml:5: routes[0].auth: a route that matches on claims takes "
            + "the identity of the route that authenticated the request: it cannot have auth: of its own");
        routesRefused("routes:\n" + api + jwt + gold, "l7.yaml:7: routes[1].match: matches on claims, but no route after "
            + "it has auth: { jwt: ... }: no request could come to it with claims");
        routesRefused("routes:\n" + gold + api + "    auth: { api_keys: { file: \"" + keys + "\" } }\n",
            "l7.yaml:3: routes[0].match: matches on claims, but no route after it has auth: { jwt: ... }: no request could "
                + "come to it with claims");
        routesRefused("routes:\n  - name: gold\n    match: { claims: { \"\": gold } }\n    to: p\n" + api + jwt,
            "l7.yaml:3: routes[0].match.claims.: a claim name must not be empty");
        routesRefused("routes:\n  - name: gold\n    match: { claim: { tier: gold } }\n    to: p\n" + api + jwt,
            "l7.yaml:3: routes[0].match.claim: unknown key; allowed here: host, path, methods, headers, cookies, query, "
                + "claims");
    }

    private static void routesRefused(final String routes, final String message)
    {
        assertThatThrownBy(() -> L7ConfigLoader.parse(routes + L7ConfigFiltersTest.LISTENERS + L7ConfigFiltersTest.POOLS,
            "l7.yaml")).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void authRunsBeforeTheRoutesOtherFilters() throws IOException
    {
        final Path keys = Files.writeString(directory.resolve("keys"), "billing " + HASH + "\n");
        final Route route = onlyRoute("""
            routes:
              - name: api
                match: { path: { prefix: /api/ } }
                rewrite: { prefix: /v1/ }
                request_headers: { set: { X-A: "1" } }
                filters: [{ request_headers: { set: { X-B: "2" } } }]
                auth: { api_keys: { file: "%s" } }
                to: p
            """.formatted(keys));
        assertThat(new CompiledRoute(route).filters().requestFilter(0).getClass().getSimpleName()).isEqualTo("ApiKeyFilter");
    }

    @Test
    void badAuthIsRefusedInOneLine() throws IOException
    {
        refused("{ jwt: { issuer: x } }", "l7.yaml:4: routes[0].auth.jwt: needs one of jwks: URL and keys_file: FILE");
        refused("{ jwt: { jwks: \"ftp://id.example/k\" } }",
            "l7.yaml:4: routes[0].auth.jwt.jwks: 'ftp://id.example/k' is not an http:// or https:// URL with a host");
        refused("{ jwt: { jwks: \"http://id.example/k\", algorithms: [HS256] } }",
            "l7.yaml:4: routes[0].auth.jwt.algorithms[0]: 'HS256' is not an algorithm sluice verifies (never none or HMAC; "
                + "known: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512)");
        refused("{ jwt: { jwks: { url: \"http://id.example/k\", cache_min: 1h, cache_max: 1m } } }",
            "l7.yaml:4: routes[0].auth.jwt.jwks.cache_max: cache_max is less than cache_min");
        refused("{ jwt: { jwks: \"http://id.example/k\", token: { header: A, query: b } } }",
            "l7.yaml:4: routes[0].auth.jwt.token: needs one of header: NAME, cookie: NAME and query: NAME");
        refused("{ jwt: { jwks: \"http://id.example/k\" }, api_keys: { file: k } }",
            "l7.yaml:4: routes[0].auth: needs one of jwt: {...} and api_keys: {...}");
        final Path secret = Files.writeString(directory.resolve("secret.json"),
            "{\"keys\": [{\"kty\": \"oct\", \"kid\": \"s\", \"k\": \"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\"}]}");
        refused("{ jwt: { keys_file: \"" + secret + "\" } }", "l7.yaml:4: routes[0].auth.jwt.keys_file: keys_file " + secret +
            ": a oct key ('s') cannot check RS*, PS* or ES* signatures: give RSA or EC public keys");
        final Path pasted = Files.writeString(directory.resolve("pasted"),
            "billing " + HASH + "\nreports sk_live_the_key_itself\n");
        refused("{ api_keys: { file: \"" + pasted + "\" } }", "l7.yaml:4: routes[0].auth.api_keys.file: " + pasted +
            ":2: expected NAME and the key's SHA-256 in hex (64 digits)");
        final Path twice = Files.writeString(directory.resolve("twice"), "billing " + HASH + "\nreports " + HASH + "\n");
        refused("{ api_keys: { file: \"" + twice + "\" } }", "l7.yaml:4: routes[0].auth.api_keys.file: " + twice +
            ":2: the same key as line 1 under another name");
    }
}
