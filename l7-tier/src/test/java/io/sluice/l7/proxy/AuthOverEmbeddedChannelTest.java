package io.sluice.l7.proxy;

import com.nimbusds.jose.jwk.RSAKey;
import io.sluice.l7.auth.Tokens;
import io.sluice.l7.cache.ControlledBackend;
import io.sluice.l7.metrics.AuthMetrics;
import io.sluice.l7.metrics.AuthRefusal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route's {@code auth:} through the proxy's real request path over in-memory channels: a JWT
 * from each place a route may look (a bearer header, a cookie, a query parameter), claims copied
 * into headers the client cannot forge, the token taken out, RFC 6750 answers for a missing or
 * bad token and 403 for an identity the route refuses, API keys by hash, and a request that waits
 * for the first JWKS fetch from a real HTTP server. Leaks fail the test.
 */
@ExtendWith(LeakTracking.class)
final class AuthOverEmbeddedChannelTest
{
    private static final RSAKey KEY = Tokens.rsa("k1");
    private static final String POOLS = """
        pools:
          p: { servers: [{ name: a, address: 198.18.0.1:8080 }] }
        """;

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    @TempDir
    Path directory;
    private final EmbeddedProxy proxy = new EmbeddedProxy();

    @AfterEach
    void close()
    {
        proxy.close();
    }

    private Path keysFile() throws IOException
    {
        return Files.writeString(directory.resolve("jwks.json"), Tokens.jwks(KEY));
    }

    private EmbeddedProxy.Client jwtRoute(final String jwtKeys) throws IOException
    {
        proxy.configure("""
            routes:
              - name: api
                auth:
                  jwt: { keys_file: "%s", issuer: "%s", audience: %s, %s }
                request_headers: { set: { X-Route: api } }
                to: p
            """.formatted(keysFile(), Tokens.ISSUER, Tokens.AUDIENCE, jwtKeys) + POOLS);
        return proxy.connect();
    }

    private static String token(final String subject)
    {
        return Tokens.sign(KEY, Tokens.claims(subject, System.currentTimeMillis()).claim("tenant", "acme")
            .claim("roles", List.of("reader", "admin")).build());
    }

    private AuthMetrics.Route metrics()
    {
        return proxy.metrics().auth().route("api");
    }

    @Test
    void aValidBearerTokenGoesOnWithItsClaimsInHeadersTheClientCannotForge() throws IOException
    {
        final EmbeddedProxy.Client client = jwtRoute("claims_to_headers: { sub: X-User, tenant: X-Tenant, roles: X-Roles }");

        client.send("GET /x HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer " + token("alice") +
            "\r\nX-User: mallory\r\nX-Tenant: evil\r\n\r\n");
        final RawHttp.Request forwarded = proxy.forwarded().request();
        assertThat(forwarded.header("x-user")).isEqualTo("alice");
        assertThat(forwarded.header("x-tenant")).isEqualTo("acme");
        assertThat(forwarded.header("x-roles")).isEqualTo("reader, admin");
        assertThat(forwarded.header("authorization")).as("forward_token defaults to true").startsWith("Bearer ");
        assertThat(forwarded.header("x-route")).as("the route's other filters ran after it").isEqualTo("api");
        assertThat(metrics().acceptedCount()).isEqualTo(1);
    }

    @Test
    void aMissingTokenIsAChallengeAndABadOneSaysWhatWasWrong() throws IOException
    {
        final EmbeddedProxy.Client client = jwtRoute("clock_skew: 1s");

        client.send("GET /x HTTP/1.1\r\nHost: test\r\nX-User: mallory\r\n\r\n");
        final RawHttp.Response missing = client.response();
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.header("www-authenticate")).isEqualTo("Bearer realm=\"api\"");

        final String expired = Tokens.sign(KEY, Tokens.claims("alice", System.currentTimeMillis() - 600_000).build());
        client.send("GET /x HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer " + expired + "\r\n\r\n");
        final RawHttp.Response refused = client.response();
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("www-authenticate"))
            .isEqualTo("Bearer realm=\"api\", error=\"invalid_token\", error_description=\"the token expired\"")
            .doesNotContain(expired);
        assertThat(refused.header("cache-control")).isEqualTo("no-store");

        client.send("GET /x HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer " + Tokens.unsigned(Tokens.claims("alice",
            System.currentTimeMillis()).build()) + "\r\n\r\n");
        assertThat(client.response().status()).isEqualTo(401);
        assertThat(proxy.connections()).as("no backend saw any of them").isEmpty();
        assertThat(metrics().refusedCount(AuthRefusal.MISSING)).isEqualTo(1);
        assertThat(metrics().refusedCount(AuthRefusal.EXPIRED)).isEqualTo(1);
        assertThat(metrics().refusedCount(AuthRefusal.MALFORMED)).isEqualTo(1);
    }

    @Test
    void aValidIdentityTheRouteDoesNotTakeIs403() throws IOException
    {
        final EmbeddedProxy.Client client = jwtRoute("require: { tenant: [acme, initech], roles: superuser }");

        client.send("GET /x HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer " + token("alice") + "\r\n\r\n");
        final RawHttp.Response response = client.response();
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("www-authenticate")).isEqualTo("Bearer realm=\"api\", error=\"insufficient_scope\", " +
            "error_description=\"the roles claim is not one this route takes\"");
        assertThat(metrics().refusedCount(AuthRefusal.FORBIDDEN)).isEqualTo(1);
    }

    @Test
    void aTokenInACookieIsTakenOutAndTheOtherCookiesGoOn() throws IOException
    {
        final EmbeddedProxy.Client client = jwtRoute("token: { cookie: session }, forward_token: false");

        client.send("GET /x HTTP/1.1\r\nHost: test\r\nCookie: theme=dark; session=" + token("bob") + "; lang=en\r\n\r\n");
        assertThat(proxy.forwarded().request().header("cookie")).isEqualTo("theme=dark; lang=en");
    }

    @Test
    void aTokenInTheQueryIsTakenOutOfTheTarget() throws IOException
    {
        final EmbeddedProxy.Client client = jwtRoute("token: { query: access_token }, forward_token: false");

        client.send("GET /x?a=1&access_token=" + token("bob") + "&b=2 HTTP/1.1\r\nHost: test\r\n\r\n");
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        assertThat(forwarded.request().uri()).isEqualTo("/x?a=1&b=2");
        forwarded.answer(OK);
        assertThat(client.response().status()).isEqualTo(200);

        client.send("GET /x?access_token=one&access_token=two HTTP/1.1\r\nHost: test\r\n\r\n");
        final RawHttp.Response twice = client.response();
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.header("www-authenticate")).contains("error=\"invalid_request\"");
    }

    @Test
    void apiKeysAreKnownByTheirHashAndNamed() throws Exception
    {
        final String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest("s3cret-key".getBytes(StandardCharsets.UTF_8)));
        final Path keys = Files.writeString(directory.resolve("keys"), "# name sha256\nbilling " + hash + "\n");
        proxy.configure("""
            routes:
              - name: api
                auth: { api_keys: { file: "%s" } }
                to: p
            """.formatted(keys) + POOLS);
        final EmbeddedProxy.Client client = proxy.connect();

        client.send("GET /x HTTP/1.1\r\nHost: test\r\nX-Api-Key: s3cret-key\r\n\r\n");
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        assertThat(forwarded.request().header("x-api-key")).isEqualTo("s3cret-key");
        forwarded.answer(OK);
        assertThat(client.response().status()).isEqualTo(200);
        client.send("GET /y HTTP/1.1\r\nHost: test\r\nX-Api-Key: guess\r\n\r\n");
        final RawHttp.Response wrong = client.response();
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.header("www-authenticate"))
            .isEqualTo("ApiKey realm=\"api\", error=\"invalid_token\", error_description=\"unknown API key\"");
        client.send("GET /z HTTP/1.1\r\nHost: test\r\n\r\n");
        assertThat(client.response().header("www-authenticate")).isEqualTo("ApiKey realm=\"api\"");
        assertThat(metrics().acceptedCount()).isEqualTo(1);
        assertThat(metrics().refusedCount(AuthRefusal.UNKNOWN_API_KEY)).isEqualTo(1);
    }

    /**
     * RFC 9111 3.5 for a route whose auth takes the credentials: an API key is not Authorization,
     * yet each user's answer is that user's. Neither stored nor served to another user unless the
     * response says it may be shared ({@code public}).
     */
    @Test
    void anAuthenticatedAnswerIsNotSharedThroughTheCache() throws Exception
    {
        final HexFormat hex = HexFormat.of();
        final MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        final Path keys = Files.writeString(directory.resolve("keys"),
            "alice " + hex.formatHex(sha256.digest("alice-key".getBytes(StandardCharsets.UTF_8))) + "\n" +
            "bob " + hex.formatHex(sha256.digest("bob-key".getBytes(StandardCharsets.UTF_8))) + "\n");
        proxy.configure("""
            routes:
              - name: api
                auth: { api_keys: { file: "%s" } }
                cache: { size: 1MiB }
                to: p
            """.formatted(keys) + POOLS);
        final EmbeddedProxy.Client client = proxy.connect();

        client.send("GET /me HTTP/1.1\r\nHost: test\r\nX-Api-Key: alice-key\r\n\r\n");
        proxy.forwarded().answer("HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\nContent-Length: 5\r\n\r\nalice");
        assertThat(client.response().text()).isEqualTo("alice");
        client.send("GET /me HTTP/1.1\r\nHost: test\r\nX-Api-Key: bob-key\r\n\r\n");
        proxy.forwarded().answer("HTTP/1.1 200 OK\r\nCache-Control: public, max-age=60\r\nContent-Length: 3\r\n\r\nbob");
        assertThat(client.response().text()).isEqualTo("bob");
        // bob's answer said public: it was stored, and another user may have it
        client.send("GET /me HTTP/1.1\r\nHost: test\r\nX-Api-Key: alice-key\r\n\r\n");
        final RawHttp.Response shared = client.response();
        assertThat(shared.text()).isEqualTo("bob");
        assertThat(shared.header("cache-status")).contains("hit");
    }

    /** {@code provider} serves {@code key} at {@code /jwks} slowly: a request sent at once comes while the fetch is under way. */
    static void slowJwks(final ControlledBackend provider, final RSAKey key)
    {
        provider.on("/jwks", exchange ->
        {
            try
            {
                Thread.sleep(300);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            ControlledBackend.send(exchange, 200, Tokens.jwks(key).getBytes(StandardCharsets.UTF_8));
        });
    }

    /** The client's exchange waits for the first keys ({@link #slowJwks}); runs its tasks until it has them (5 s at most). */
    static void awaitKeys(final EmbeddedProxy.Client client) throws InterruptedException
    {
        assertThat(client.exchange().state()).isEqualTo(ExchangeState.FILTERING);
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (client.exchange().state() == ExchangeState.FILTERING && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
            client.runPendingTasks();
        }
    }

    @Test
    void aRequestBeforeTheFirstKeysWaitsForTheFetch() throws Exception
    {
        try (ControlledBackend provider = new ControlledBackend())
        {
            slowJwks(provider, KEY);
            proxy.configure("""
                routes:
                  - name: api
                    auth: { jwt: { jwks: "http://%s/jwks", claims_to_headers: { sub: X-User } } }
                    to: p
                """.formatted(provider.address()) + POOLS);
            final EmbeddedProxy.Client client = proxy.connect();

            client.send("GET /x HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer " + token("carol") + "\r\n\r\n");
            awaitKeys(client);
            assertThat(proxy.forwarded().request().header("x-user")).isEqualTo("carol");
            assertThat(metrics().jwksFetches()).isEqualTo(1);
            assertThat(metrics().keysKnown()).isEqualTo(1);
        }
    }
}
