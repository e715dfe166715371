package io.sluice.l7.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class L7ConfigLoaderTest
{
    private static final Path EXAMPLE = Path.of("src/test/resources/l7-example.yaml");

    @Test
    void loadsTheExampleIntoExactlyTheseRecords()
    {
        final L7Config config = L7ConfigLoader.load(EXAMPLE);

        assertThat(config.listeners()).containsExactly(
            new Listener("web", address("198.18.1.1", 80), new Listener.ProxyProtocol(List.of(
                new AddressBlock(InetAddress.ofLiteral("198.18.0.0"), 24), new AddressBlock(InetAddress.ofLiteral("2001:2::"), 64),
                new AddressBlock(InetAddress.ofLiteral("127.0.0.1"), 32)), true)),
            new Listener("web6", address("2001:2:0:1::1", 80), null, null, 0, true, 100));
        assertThat(config.admin()).isEqualTo(new Admin(address("127.0.0.1", 9901)));
        assertThat(config.timeouts()).isEqualTo(new Timeouts(
            Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(90), Duration.ofSeconds(30), Duration.ofHours(2)));
        assertThat(config.limits()).isEqualTo(new RequestLimits(16 * 1024, 16 * 1024, 64 * 1024, 200, 512, 100L * 1024 * 1024,
            new RequestLimits.Http2Limits(64 * 1024, 250, 500, 60, 4)));
        assertThat(config.redis())
            .isEqualTo(new RedisSettings(address("127.0.0.1", 6379), Duration.ofMillis(20), "sluice", "s3cret", 2));
        assertThat(config.dns()).isEqualTo(new DnsSettings(List.of(address("198.18.0.53", 53)), Duration.ofSeconds(1),
            Duration.ofSeconds(300), Duration.ofSeconds(2), true));

        assertThat(config.routes()).extracting(Route::name).containsExactly("api", "legacy", "default");
        final Route api = config.routes().get(0);
        final Match match = api.match();
        assertThat(match.host()).isEqualTo("api.example.com");
        assertThat(match.path()).isEqualTo(new PathMatch(PathMatch.Kind.PREFIX, "/api/", null));
        assertThat(match.methods()).containsExactlyInAnyOrder("GET", "POST");
        assertThat(match.headers()).hasSize(3);
        assertThat(match.headers().get(0)).isEqualTo(new ValueMatch("x-canary", ValueMatch.Kind.EXACT, "1", null));
        assertThat(match.headers().get(1)).isEqualTo(new ValueMatch("x-trace", ValueMatch.Kind.PRESENT, null, null));
        final ValueMatch userAgent = match.headers().get(2);
        assertThat(userAgent.name()).isEqualTo("user-agent");
        assertThat(userAgent.kind()).isEqualTo(ValueMatch.Kind.REGEX);
        assertThat(userAgent.value()).isEqualTo(".*curl.*");
        assertThat(userAgent.pattern().pattern()).isEqualTo(".*curl.*");
        assertThat(match.cookies()).containsExactly(new ValueMatch("beta", ValueMatch.Kind.EXACT, "yes", null));
        assertThat(match.query()).containsExactly(new ValueMatch("debug", ValueMatch.Kind.EXACT, "1", null));
        assertThat(api.rewrite()).isEqualTo(new Rewrite("/v1/", null, null));
        assertThat(api.requestHeaders()).isEqualTo(new HeaderRules(Map.of("X-Env", "prod"), List.of("X-Debug")));
        assertThat(api.responseHeaders()).isEqualTo(new HeaderRules(Map.of("X-Served-Via", "sluice"), List.of("Server")));
        assertThat(api.filters()).containsExactly(
            new RouteFilter.RequestHeaders(new HeaderRules(Map.of("X-Tier", "l7"), List.of())),
            new RouteFilter.ResponseHeaders(new HeaderRules(Map.of(), List.of("X-Powered-By"))));
        assertThat(api.to()).containsExactly(new Route.WeightedPool("api-v1", 90), new Route.WeightedPool("api-v2", 10));
        assertThat(api.maxBodyBytes()).isEqualTo(10L * 1024 * 1024);

        final Route legacy = config.routes().get(1);
        assertThat(legacy.match().path().kind()).isEqualTo(PathMatch.Kind.REGEX);
        assertThat(legacy.match().path().value()).isEqualTo("^/old/(.*)");
        assertThat(legacy.match().path().pattern().pattern()).isEqualTo("^/old/(.*)");
        assertThat(legacy.rewrite().prefix()).isNull();
        assertThat(legacy.rewrite().regex().pattern()).isEqualTo("^/old/(.*)");
        assertThat(legacy.rewrite().substitution()).isEqualTo("/new/$1");
        assertThat("/old/a/b".replaceAll(legacy.rewrite().regex().pattern(), legacy.rewrite().substitution())).isEqualTo("/new/a/b");
        assertThat(legacy.to()).containsExactly(new Route.WeightedPool("static", RouteReader.DEFAULT_POOL_WEIGHT));

        assertThat(config.routes().get(2)).isEqualTo(new Route(
            "default", Match.ANY, List.of(new Route.WeightedPool("static", 100)), null, HeaderRules.NONE, HeaderRules.NONE, null));

        assertThat(config.pools().keySet()).containsExactly("api-v1", "api-v2", "static");
        assertThat(config.pools().get("api-v1")).isEqualTo(new Pool(
            "api-v1",
            Pool.Balance.HASH,
            new Pool.HashOn(Pool.HashOn.Kind.HEADER, "x-user"),
            null,
            List.of(new Server("a", address("198.18.0.21", 8080), 200), new Server("b", address("2001:2::22", 8080), 100),
                new Server("d", InetSocketAddress.createUnresolved("api.internal", 8080), 100)),
            new HealthCheck("/healthz", 204, "ok", Duration.ofSeconds(5), Duration.ofMillis(500), 1, 5, false)));
        assertThat(config.pools().get("api-v2")).isEqualTo(new Pool(
            "api-v2",
            Pool.Balance.LEAST_REQUEST,
            null,
            new Pool.Sticky("SLUICE_SERVER"),
            List.of(new Server("c", address("198.18.0.31", 8080), 100, 100)),
            new HealthCheck("/", 200, null, Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 3, true), null, Pool.Protocol.HTTP1,
            200, new Pool.Queue(50, Duration.ofSeconds(2))));
        assertThat(config.pools().get("static")).isEqualTo(new Pool(
            "static", Pool.Balance.ROUND_ROBIN, null, null, List.of(new Server("s1", address("198.18.0.41", 80), 100)), null,
            Pool.SendProxy.V2));
    }

    @Test
    void aMinimalConfigWrittenToAFileLoadsBackAsTheSameRecords(@TempDir final Path dir) throws Exception
    {
        final L7Config expected = new L7Config(
            List.of(new Listener("web", address("198.18.1.1", 80))),
            List.of(new Route("all", Match.ANY, List.of(new Route.WeightedPool("app", 100)), null, HeaderRules.NONE, HeaderRules.NONE,
                null)),
            Map.of("app", new Pool("app", Pool.Balance.ROUND_ROBIN, null, null, List.of(new Server("a", address("198.18.0.21", 8080), 100)), null)),
            Timeouts.DEFAULTS,
            null,
            RequestLimits.DEFAULTS,
            null);
        final Path file = dir.resolve("l7.yaml");
        Files.writeString(file, """
            listeners:
              - { name: web, address: 198.18.1.1:80 }
            routes:
              - { name: all, to: app }
            pools:
              app:
                servers: [{ name: a, address: 198.18.0.21:8080 }]
            """);

        assertThat(L7ConfigLoader.load(file)).isEqualTo(expected);
    }

    @Test
    void aMissingFileIsOneLine(@TempDir final Path dir)
    {
        final Path file = dir.resolve("absent.yaml");

        assertThatThrownBy(() -> L7ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessage(file + ": cannot read: no such file");
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedAsSuch(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("latin1.yaml");
        Files.write(file, "listeners: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> L7ConfigLoader.load(file)).hasMessage(file + ": cannot read: not UTF-8 text");
    }

    @Test
    void errorsFromAFileNameIt(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("l7.yaml");
        Files.writeString(file, "listeners: []\n");

        assertThatThrownBy(() -> L7ConfigLoader.load(file)).hasMessage(file + ":1: listeners: needs at least one listener");
    }

    @Test
    void anEmptyFileIsRefused()
    {
        assertThatThrownBy(() -> L7ConfigLoader.parse("", "l7.yaml"))
            .isInstanceOf(ConfigException.class)
            .hasMessage("l7.yaml:1: empty; needs listeners, routes and pools");
        assertThatThrownBy(() -> L7ConfigLoader.parse("# nothing but a comment\n\n", "l7.yaml"))
            .hasMessage("l7.yaml:1: empty; needs listeners, routes and pools");
    }

    @Test
    void aYamlSyntaxErrorIsOneLineWithItsLine()
    {
        assertThatThrownBy(() -> L7ConfigLoader.parse("""
            listeners:
              - name: web
                address: 198.18.1.1:80: x
            """, "l7.yaml"))
            .isInstanceOf(ConfigException.class)
            .hasMessage("l7.yaml:3: invalid YAML: mapping values are not allowed here");
        assertThatThrownBy(() -> L7ConfigLoader.parse("""
            listeners: [{ name: web
            routes: []
            """, "l7.yaml"))
            .hasMessage("l7.yaml:2: invalid YAML: while parsing a flow mapping, expected ',' or '}', but got :");
    }

    @Test
    void aControlCharacterIsRefusedWithItsLine()
    {
        assertThatThrownBy(() -> L7ConfigLoader.parse("listeners:\n  - name: w\u00e9b\u0000\n", "l7.yaml"))
            .hasMessage("l7.yaml:2: invalid YAML: special characters are not allowed (U+0000)");
    }

    @Test
    void aSecondDocumentIsRefused()
    {
        assertThatThrownBy(() -> L7ConfigLoader.parse("listeners: []\n---\nroutes: []\n", "l7.yaml"))
            .hasMessage("l7.yaml:2: invalid YAML: expected a single document in the stream, but found another document");
    }

    @Test
    void aTopLevelThatIsNotAMappingIsRefused()
    {
        assertThatThrownBy(() -> L7ConfigLoader.parse("- listeners\n", "l7.yaml"))
            .hasMessage("l7.yaml:1: expected a mapping (listeners, admin, timeouts, limits, routes, pools, redis, dns), "
                + "found a list");
    }

    @Test
    void messagesAreOneLine()
    {
        assertThatThrownBy(() -> L7ConfigLoader.parse("a: \"\\q\"\n", "l7.yaml")).hasMessageNotContaining("\n");
    }

    private static InetSocketAddress address(final String ip, final int port)
    {
        return new InetSocketAddress(InetAddress.ofLiteral(ip), port);
    }
}
