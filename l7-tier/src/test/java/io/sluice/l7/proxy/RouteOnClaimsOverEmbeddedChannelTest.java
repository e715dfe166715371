package io.sluice.l7.proxy;

import com.nimbusds.jose.jwk.RSAKey;
import io.sluice.l7.auth.Tokens;
import io.sluice.l7.cache.ControlledBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routes that match on a JWT's claims, through the proxy's real request path: a request is routed, its route's
 * authentication proves who it is from, and it is routed again with those claims (Envoy's clear_route_cache) to
 * the route that matches them, whose own filters and pool take it; without a token, or with other claims, it stays.
 * Leaks fail the test.
 */
@ExtendWith(LeakTracking.class)
final class RouteOnClaimsOverEmbeddedChannelTest
{
    private static final RSAKey KEY = Tokens.rsa("k1");
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static final String ROUTES = """
        routes:
          - name: gold
            match: { path: { prefix: /api }, claims: { tier: gold } }
            request_headers: { set: { X-Route: gold } }
            to: premium
          - name: api
            match: { path: { prefix: /api } }
            auth: { jwt: { %s, claims_to_headers: { sub: X-User }, forward_token: false } }
            request_headers: { set: { X-Route: api } }
            to: standard
        pools:
          standard: { servers: [{ name: s1, address: 198.18.0.1:8080 }] }
          premium: { servers: [{ name: p1, address: 198.18.0.2:8080 }] }
        """;

    @TempDir
    Path directory;
    private final EmbeddedProxy proxy = new EmbeddedProxy();

    @AfterEach
    void close()
    {
        proxy.close();
    }

    private static String token(final String subject, final String tier)
    {
        return Tokens.sign(KEY, Tokens.claims(subject, System.currentTimeMillis()).claim("tier", tier).build());
    }

    private static String get(final String token)
    {
        return "GET /api/orders HTTP/1.1\r\nHost: test\r\n" + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
            + "\r\n";
    }

    @Test
    void eachUserGoesToThePoolItsClaimsChooseAndIsAuthenticatedOnce() throws IOException
    {
        proxy.configure(ROUTES.formatted("keys_file: \"" + Files.writeString(directory.resolve("jwks.json"), Tokens.jwks(KEY))
            + "\""));
        final EmbeddedProxy.Client client = proxy.connect();

        client.send(get(token("alice", "gold")));
        final EmbeddedProxy.Forwarded gold = proxy.forwarded();
        assertThat(gold.server()).isEqualTo("p1");
        assertThat(gold.request().header("x-route")).as("the new route's own filters ran").isEqualTo("gold");
        assertThat(gold.request().header("x-user")).as("what the authentication did stays").isEqualTo("alice");
        assertThat(gold.request().header("authorization")).isNull();
        gold.answer(OK);
        assertThat(client.response().status()).isEqualTo(200);

        client.send(get(token("bob", "silver")));
        final EmbeddedProxy.Forwarded silver = proxy.forwarded();
        assertThat(silver.server()).isEqualTo("s1");
        assertThat(silver.request().header("x-route")).isEqualTo("api");
        silver.answer(OK);
        assertThat(client.response().status()).isEqualTo(200);

        client.send(get(null));
        assertThat(client.response().status()).as("no identity: the gold route cannot take it").isEqualTo(401);

        assertThat(proxy.metrics().auth().route("api").acceptedCount()).isEqualTo(2);
        assertThat(proxy.metrics().auth().route("gold").acceptedCount()).as("gold did not authenticate again").isZero();
        assertThat(proxy.metrics().prometheusText()).as("each exchange counted on the route that took it")
            .contains("sluice_l7_route_requests_total{route=\"gold\"} 1\n", "sluice_l7_route_requests_total{route=\"api\"} 2\n");
    }

    @Test
    void aRequestThatWaitedForTheKeysIsRoutedAgainWhenItResumes() throws Exception
    {
        try (ControlledBackend provider = new ControlledBackend())
        {
            AuthOverEmbeddedChannelTest.slowJwks(provider, KEY);
            proxy.configure(ROUTES.formatted("jwks: \"http://" + provider.address() + "/jwks\""));
            final EmbeddedProxy.Client client = proxy.connect();

            client.send(get(token("carol", "gold")));
            AuthOverEmbeddedChannelTest.awaitKeys(client);
            final EmbeddedProxy.Forwarded gold = proxy.forwarded();
            assertThat(gold.server()).isEqualTo("p1");
            assertThat(gold.request().header("x-user")).isEqualTo("carol");
            gold.answer(OK);
            assertThat(client.response().status()).isEqualTo(200);
        }
    }
}
