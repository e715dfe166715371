package io.sluice.l7.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Servers named by DNS name, and the top-level {@code dns:}: absent, every key, and each refusal as its one line. */
class L7ConfigDnsTest
{
    private static final String HEAD = """
        listeners: [{ name: web, address: 198.18.1.1:80 }]
        routes: [{ name: r, to: p }]
        """;

    private static L7Config parse(final String dns, final String servers)
    {
        return L7ConfigLoader.parse(dns + HEAD + "pools: { p: { servers: " + servers + " } }\n", "l7.yaml");
    }

    @Test
    void aNameAndPortIsAnUnresolvedAddressInLowerCase()
    {
        final List<Server> servers = parse("",
            "[{ name: api, address: Api.Internal:8080 }, { name: b, address: 198.18.0.22:80 }]").pools().get("p").servers();
        assertThat(servers.get(0).address()).isEqualTo(InetSocketAddress.createUnresolved("api.internal", 8080));
        assertThat(servers.get(0).address().isUnresolved()).isTrue();
        assertThat(servers.get(1).address().isUnresolved()).isFalse();
    }

    @Test
    void aResolvedAddressIsAServerOfItsOwnNamedByIt() throws Exception
    {
        final Server server = new Server("api", InetSocketAddress.createUnresolved("api.internal", 8080), 7, 3);
        assertThat(server.at(InetAddress.ofLiteral("198.18.0.31")))
            .isEqualTo(new Server("api#198.18.0.31", new InetSocketAddress(InetAddress.ofLiteral("198.18.0.31"), 8080), 7, 3));
    }

    @Test
    void absentTakesTheDefaults()
    {
        assertThat(parse("", "[{ name: a, address: 198.18.0.21:80 }]").dns()).isEqualTo(DnsSettings.DEFAULTS);
        assertThat(DnsSettings.DEFAULTS).isEqualTo(new DnsSettings(List.of(), Duration.ofSeconds(1), Duration.ofSeconds(300),
            Duration.ofSeconds(2), true));
    }

    @Test
    void everyKey()
    {
        assertThat(parse("dns: { servers: [198.18.0.53:53, \"[2001:2::53]:5353\"], min_ttl: 5s, max_ttl: 1h, timeout: 500ms,"
            + " unresolved: empty }\n", "[{ name: api, address: api.internal:80 }]").dns())
            .isEqualTo(new DnsSettings(List.of(new InetSocketAddress(InetAddress.ofLiteral("198.18.0.53"), 53),
                new InetSocketAddress(InetAddress.ofLiteral("2001:2::53"), 5353)), Duration.ofSeconds(5), Duration.ofHours(1),
                Duration.ofMillis(500), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refuses(final String description, final String dns, final String servers, final String message)
    {
        assertThatThrownBy(() -> parse(dns.isEmpty() ? "" : "dns: " + dns + "\n", servers))
            .isInstanceOf(ConfigException.class)
            .hasMessage(message);
    }

    static Stream<Arguments> refusals()
    {
        final String one = "[{ name: a, address: 198.18.0.21:80 }]";
        return Stream.of(
            arguments("an unknown key", "{ ttl: 5s }", one,
                "l7.yaml:1: dns.ttl: unknown key; allowed here: servers, min_ttl, max_ttl, timeout, unresolved"),
            arguments("a name server named by name", "{ servers: [ns.example:53] }", one,
                "l7.yaml:1: dns.servers[0]: 'ns.example:53' is not ADDR:PORT (ADDR is an IP address; names are not looked up)"),
            arguments("a name server without a port", "{ servers: [198.18.0.53] }", one,
                "l7.yaml:1: dns.servers[0]: '198.18.0.53' is not ADDR:PORT"),
            arguments("a name server twice", "{ servers: [198.18.0.53:53, 198.18.0.53:53] }", one,
                "l7.yaml:1: dns.servers[1]: '198.18.0.53:53' is already used by dns.servers[0]"),
            arguments("no name servers", "{ servers: [] }", one, "l7.yaml:1: dns.servers: needs at least one name server"),
            arguments("a TTL under a second", "{ min_ttl: 500ms }", one, "l7.yaml:1: dns.min_ttl: 500ms is not 1000ms-86400s"),
            arguments("a TTL over a day", "{ max_ttl: 25h }", one, "l7.yaml:1: dns.max_ttl: 25h is not 1000ms-86400s"),
            arguments("min over max", "{ min_ttl: 10m, max_ttl: 5m }", one,
                "l7.yaml:1: dns.max_ttl: min_ttl is more than max_ttl"),
            arguments("a long timeout", "{ timeout: 1m }", one, "l7.yaml:1: dns.timeout: 1m is not 10ms-30s"),
            arguments("an unknown policy", "{ unresolved: retry }", one,
                "l7.yaml:1: dns.unresolved: 'retry' is not refuse or empty"),
            arguments("a name without a port", "", "[{ name: api, address: api.internal }]",
                "l7.yaml:3: pools.p.servers[0].address: 'api.internal' is not ADDR:PORT"),
            arguments("a name with a bad port", "", "[{ name: api, address: \"api.internal:99999\" }]",
                "l7.yaml:3: pools.p.servers[0].address: port 99999 is not 1-65535"),
            arguments("a name that is not a host name", "", "[{ name: api, address: api_x.internal:80 }]",
                "l7.yaml:3: pools.p.servers[0].address: 'api_x.internal:80' is not ADDR:PORT "
                    + "(ADDR is an IP address; names are not looked up)"),
            arguments("a dotted quad cut short is no name", "", "[{ name: api, address: 198.18.0:80 }]",
                "l7.yaml:3: pools.p.servers[0].address: '198.18.0:80' is not ADDR:PORT"),
            arguments("the same name and port twice", "",
                "[{ name: a, address: api.internal:80 }, { name: b, address: API.internal:80 }]",
                "l7.yaml:3: pools.p.servers[1].address: 'API.internal:80' is already used by pools.p.servers[0]"));
    }
}
