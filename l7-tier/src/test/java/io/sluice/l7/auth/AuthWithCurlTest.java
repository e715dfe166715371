package io.sluice.l7.auth;

import com.nimbusds.jose.jwk.RSAKey;
import io.sluice.l7.accesslog.AccessLog;
import io.sluice.l7.cache.ControlledBackend;
import io.sluice.l7.config.ConfigException;
import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.proxy.Transport;
import io.sluice.l7.server.L7Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Authentication end to end: a real L7 server in front of a real backend, its keys from a JWKS a
 * real HTTP server publishes, curl (and the JDK's client for sustained traffic) as the client:
 * a valid and a missing token, the identity in the access log and never the token, users routed
 * to pools by their claims with their tokens verified once, a JWKS rotated while requests keep
 * coming, and API keys changed by a reload, a bad key file refused in one line with the running
 * keys kept.
 */
@ExtendWith(LeakTracking.class)
class AuthWithCurlTest
{
    private static final String CONFIG = """
        listeners: [{ name: web, address: 127.0.0.1:%d }]
        routes:
          - name: api
            auth: %s
            to: p
        pools:
          p: { servers: [{ name: a, address: "%s" }] }
        """;

    @TempDir
    Path directory;
    private final ControlledBackend backend = new ControlledBackend();
    private final ControlledBackend provider = new ControlledBackend();
    private final AtomicReference<String> jwks = new AtomicReference<>();
    private final ByteArrayOutputStream accessLog = new ByteArrayOutputStream();
    private final int port = freePort();
    private L7Server server;

    AuthWithCurlTest()
    {
        backend.on("/hello", exchange ->
        {
            final String user = exchange.getRequestHeaders().getFirst("X-User");
            ControlledBackend.send(exchange, 200, ("hello " + user).getBytes(StandardCharsets.UTF_8));
        });
        provider.on("/jwks", exchange -> ControlledBackend.send(exchange, 200, jwks.get().getBytes(StandardCharsets.UTF_8),
            "Cache-Control", "max-age=1"));
    }

    @AfterEach
    void close()
    {
        if (server != null)
        {
            server.close();
        }
        backend.close();
        provider.close();
    }

    private Path configFile(final String auth) throws IOException
    {
        return Files.writeString(directory.resolve("l7.yaml"), CONFIG.formatted(port, auth, backend.address()));
    }

    private void start(final String auth) throws IOException
    {
        server = new L7Server(L7ConfigLoader.load(configFile(auth)), Transport.best(), 1, new AccessLog(accessLog, false, 1024),
            () -> { });
    }

    private void startJwt()
    {
        try
        {
            start("{ jwt: { jwks: { url: \"http://" + provider.address() + "/jwks\", cache_min: 1s, unknown_kid_interval: 1s }, "
                + "issuer: \"" + Tokens.ISSUER + "\", audience: " + Tokens.AUDIENCE + ", claims_to_headers: { sub: X-User } } }");
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /** curl's status line, headers and body, as it printed them with -i. */
    private String curl(final String... headers) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of("curl", "-sS", "-i", "--max-time", "10"));
        for (final String header : headers)
        {
            command.addAll(List.of("-H", header));
        }
        command.add("http://127.0.0.1:" + port + "/hello");
        final Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(curl.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(curl.exitValue()).as(output).isZero();
        return output;
    }

    private static String token(final RSAKey key, final String subject)
    {
        return Tokens.sign(key, Tokens.claims(subject, System.currentTimeMillis()).build());
    }

    /** The access log once it has {@code lines} lines (it is written by its own thread), or as it is after 5 s. */
    private String accessLogText(final int lines) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String text = accessLog.toString(StandardCharsets.UTF_8);
        while (text.lines().count() < lines && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
            text = accessLog.toString(StandardCharsets.UTF_8);
        }
        return text;
    }

    @Test
    void curlWithAndWithoutATokenAndTheAccessLogNamesTheSubjectNeverTheToken() throws Exception
    {
        final RSAKey key = Tokens.rsa("k1");
        jwks.set(Tokens.jwks(key));
        startJwt();
        final String token = token(key, "alice");

        final String accepted = curl("Authorization: Bearer " + token, "X-User: mallory");
        assertThat(accepted).startsWith("HTTP/1.1 200").endsWith("hello alice");
        final String refused = curl();
        assertThat(refused).startsWith("HTTP/1.1 401").containsIgnoringCase("www-authenticate: Bearer realm=\"api\"\r\n");

        final String log = accessLogText(2);
        assertThat(log.lines().toList().getFirst()).contains("\"status\":200", "\"identity\":\"alice\"");
        assertThat(log.lines().toList().get(1)).contains("\"status\":401", "\"identity\":null");
        assertThat(log).doesNotContain(token);
        assertThat(server.metrics().prometheusText()).contains("sluice_l7_auth_accepted_total{route=\"api\"} 1",
            "sluice_l7_auth_refused_total{route=\"api\",reason=\"missing\"} 1", "sluice_l7_auth_jwks_keys{route=\"api\"} 1");
    }

    /**
     * Two users whose tokens differ in a claim go to two pools (a route that matches on the claim, before the one
     * that authenticates), and each one's second request is served from the route's cache of verified tokens.
     */
    @Test
    void usersGoToThePoolTheirClaimsChooseAndTheirTokensAreVerifiedOnce() throws Exception
    {
        final RSAKey key = Tokens.rsa("k1");
        final Path keys = Files.writeString(directory.resolve("jwks.json"), Tokens.jwks(key));
        try (ControlledBackend premium = new ControlledBackend())
        {
            premium.on("/hello", exchange -> ControlledBackend.send(exchange, 200,
                ("premium " + exchange.getRequestHeaders().getFirst("X-User")).getBytes(StandardCharsets.UTF_8)));
            final Path config = Files.writeString(directory.resolve("l7.yaml"), """
                listeners: [{ name: web, address: 127.0.0.1:%d }]
                routes:
                  - name: gold
                    match: { claims: { tier: gold } }
                    to: premium
                  - name: api
                    auth: { jwt: { keys_file: "%s", issuer: "%s", audience: %s, claims_to_headers: { sub: X-User } } }
                    to: p
                pools:
                  p: { servers: [{ name: a, address: "%s" }] }
                  premium: { servers: [{ name: b, address: "%s" }] }
                """.formatted(port, keys, Tokens.ISSUER, Tokens.AUDIENCE, backend.address(), premium.address()));
            server = new L7Server(L7ConfigLoader.load(config), Transport.best(), 1, new AccessLog(accessLog, false, 1024),
                () -> { });
            final String alice = "Authorization: Bearer " + Tokens.sign(key, Tokens.claims("alice", System.currentTimeMillis())
                .claim("tier", "gold").build());
            final String bob = "Authorization: Bearer " + Tokens.sign(key, Tokens.claims("bob", System.currentTimeMillis())
                .claim("tier", "silver").build());

            for (int i = 0; i < 2; i++)
            {
                assertThat(curl(alice)).startsWith("HTTP/1.1 200").endsWith("premium alice");
                assertThat(curl(bob)).startsWith("HTTP/1.1 200").endsWith("hello bob");
            }
            assertThat(curl()).startsWith("HTTP/1.1 401");
            assertThat(server.metrics().prometheusText()).contains("sluice_l7_auth_accepted_total{route=\"api\"} 4",
                "sluice_l7_auth_jwt_cache_misses_total{route=\"api\"} 2", "sluice_l7_auth_jwt_cache_hits_total{route=\"api\"} 2",
                "sluice_l7_auth_jwt_cache_evictions_total{route=\"api\"} 0");
            final List<String> log = accessLogText(5).lines().toList();
            assertThat(log.getFirst()).contains("\"route\":\"gold\"", "\"identity\":\"alice\"");
            assertThat(log.get(1)).contains("\"route\":\"api\"", "\"identity\":\"bob\"");
        }
    }

    @Test
    void aJwksRotatedUnderTrafficFailsNoRequestAndTheRetiredKeyStopsWorking() throws Exception
    {
        final RSAKey old = Tokens.rsa("old");
        final RSAKey next = Tokens.rsa("next");
        jwks.set(Tokens.jwks(old));
        startJwt();
        final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        final AtomicReference<String> traffic = new AtomicReference<>(token(old, "old-user"));
        final List<String> failures = new ArrayList<>();
        final int[] sent = {0};
        final Thread load = Thread.ofPlatform().start(() ->
        {
            while (!Thread.currentThread().isInterrupted())
            {
                final String status = send(client, traffic.get());
                synchronized (failures)
                {
                    sent[0]++;
                    if (!status.equals("200"))
                    {
                        failures.add(status);
                    }
                }
            }
        });
        try
        {
            Thread.sleep(500);
            jwks.set(Tokens.jwks(old, next)); // the provider publishes the next key before signing with it
            traffic.set(token(next, "next-user")); // an unknown kid at once: one fetch brings it, no request fails
            Thread.sleep(1500);
            jwks.set(Tokens.jwks(next)); // the old key retires
            Thread.sleep(2500); // past max-age=1: fetched again
        }
        finally
        {
            load.interrupt();
            load.join(10_000);
        }
        synchronized (failures)
        {
            assertThat(sent[0]).isGreaterThan(20);
            assertThat(failures).isEmpty();
        }
        assertThat(send(client, token(old, "old-user"))).as("the retired key's tokens").isEqualTo("401");
        assertThat(send(client, token(next, "next-user"))).isEqualTo("200");
    }

    private String send(final HttpClient client, final String token)
    {
        try
        {
            return Integer.toString(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        catch (final IOException ex)
        {
            return Thread.currentThread().isInterrupted() ? "200" : ex.toString(); // interrupted: the test is over
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "200"; // the test is over
        }
    }

    @Test
    void apiKeysFollowTheirFileOnReloadAndABadFileKeepsTheRunningKeys() throws Exception
    {
        final Path keys = directory.resolve("keys");
        Files.writeString(keys, "billing " + sha256("first-key") + "\n");
        start("{ api_keys: { file: keys, header: X-Key } }");

        assertThat(curl("X-Key: first-key")).startsWith("HTTP/1.1 200");
        assertThat(curl("X-Key: second-key")).startsWith("HTTP/1.1 401");
        assertThat(curl()).startsWith("HTTP/1.1 401").containsIgnoringCase("www-authenticate: ApiKey realm=\"api\"\r\n");

        Files.writeString(keys, "reports " + sha256("second-key") + "\n");
        server.reload(L7ConfigLoader.load(directory.resolve("l7.yaml")));
        assertThat(curl("X-Key: first-key")).startsWith("HTTP/1.1 401");
        assertThat(curl("X-Key: second-key")).startsWith("HTTP/1.1 200");

        Files.writeString(keys, "reports second-key\n");
        assertThatThrownBy(() -> L7ConfigLoader.load(directory.resolve("l7.yaml"))).isInstanceOf(ConfigException.class)
            .hasMessageEndingWith(keys + ":1: expected NAME and the key's SHA-256 in hex (64 digits)")
            .hasMessageNotContaining("second-key");
        assertThat(curl("X-Key: second-key")).as("the running keys").startsWith("HTTP/1.1 200");
        assertThat(accessLogText(6)).contains("\"identity\":\"reports\"").doesNotContain("second-key");
    }

    private static String sha256(final String key) throws Exception
    {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
