package io.sluice.l7.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** A listener's {@code proxy_protocol} and a pool's {@code send_proxy}: read, defaulted, and refused in one line. */
class ProxyProtocolKeysTest
{
    private static final String ROUTES = "routes: [{ name: r, to: p }]\n";
    private static final String POOLS = "pools: { p: { servers: [{ name: a, address: 198.18.0.21:80 }] } }\n";

    @Test
    void readsTrustedBlocksAndRequiredByDefault()
    {
        final L7Config config = L7ConfigLoader.parse("""
            listeners:
              - name: web
                address: 198.18.1.1:80
                proxy_protocol: { trusted: [198.18.0.0/24, "2001:2::/64", 127.0.0.1] }
              - name: lenient
                address: 198.18.1.1:81
                proxy_protocol: { trusted: [0.0.0.0/0], required: false }
              - { name: plain, address: 198.18.1.1:82 }
            """ + ROUTES + POOLS, "l7.yaml");

        assertThat(config.listeners().get(0).proxyProtocol()).isEqualTo(new Listener.ProxyProtocol(List.of(
            new AddressBlock(InetAddress.ofLiteral("198.18.0.0"), 24), new AddressBlock(InetAddress.ofLiteral("2001:2::"), 64),
            new AddressBlock(InetAddress.ofLiteral("127.0.0.1"), 32)), true));
        assertThat(config.listeners().get(1).proxyProtocol().required()).isFalse();
        assertThat(config.listeners().get(2).proxyProtocol()).isNull();
    }

    @Test
    void readsSendProxyOffByDefault()
    {
        final L7Config config = L7ConfigLoader.parse("""
            pools:
              one: { send_proxy: v1, servers: [{ name: a, address: 198.18.0.21:80 }] }
              two: { send_proxy: v2, servers: [{ name: a, address: 198.18.0.21:80 }] }
              off: { servers: [{ name: a, address: 198.18.0.21:80 }] }
            routes: [{ name: r, to: one }]
            listeners: [{ name: web, address: 198.18.1.1:80 }]
            """, "l7.yaml");

        assertThat(config.pools().get("one").sendProxy()).isEqualTo(Pool.SendProxy.V1);
        assertThat(config.pools().get("two").sendProxy()).isEqualTo(Pool.SendProxy.V2);
        assertThat(config.pools().get("off").sendProxy()).isNull();
    }

    @Test
    void aBlockHoldsTheAddressesOfItsPrefixOnly()
    {
        final AddressBlock block = AddressBlock.parse("198.18.0.0/23");
        assertThat(block.contains(InetAddress.ofLiteral("198.18.1.255"))).isTrue();
        assertThat(block.contains(InetAddress.ofLiteral("198.18.2.0"))).isFalse();
        assertThat(block.contains(InetAddress.ofLiteral("::ffff:198.18.0.1"))).as("an IPv4-mapped address is its IPv4 one").isTrue();
        assertThat(block.contains(InetAddress.ofLiteral("2001:2::1"))).isFalse();
        final AddressBlock v6 = AddressBlock.parse("2001:2::/63");
        assertThat(v6.contains(InetAddress.ofLiteral("2001:2:0:1::9"))).isTrue();
        assertThat(v6.contains(InetAddress.ofLiteral("2001:2:0:2::"))).isFalse();
        assertThat(AddressBlock.parse("0.0.0.0/0").contains(InetAddress.ofLiteral("203.0.113.9"))).isTrue();
        assertThat(AddressBlock.parse("127.0.0.1").contains(InetAddress.ofLiteral("127.0.0.2"))).isFalse();
    }

    static Stream<Arguments> refusals()
    {
        return Stream.of(
            arguments("a block with host bits set", "[198.18.0.1/24]",
                "l7.yaml:3: listeners[0].proxy_protocol.trusted[0]: '198.18.0.1/24' has host bits set (the block is 198.18.0.0/24)"),
            arguments("a prefix too long", "[198.18.0.0/33]",
                "l7.yaml:3: listeners[0].proxy_protocol.trusted[0]: '198.18.0.0/33' is not ADDR or ADDR/LEN (LEN 0-32)"),
            arguments("a prefix with a leading zero", "[198.18.0.0/024]",
                "l7.yaml:3: listeners[0].proxy_protocol.trusted[0]: '198.18.0.0/024' is not ADDR or ADDR/LEN (LEN 0-32)"),
            arguments("a name", "[lb.example]",
                "l7.yaml:3: listeners[0].proxy_protocol.trusted[0]: 'lb.example' is not ADDR or ADDR/LEN "
                    + "(ADDR is an IP address; names are not looked up)"),
            arguments("an IPv4 address in BSD form", "[198.18.1]",
                "l7.yaml:3: listeners[0].proxy_protocol.trusted[0]: '198.18.1' is not ADDR or ADDR/LEN"),
            arguments("an IPv6 zone", "[\"fe80::1%eth0\"]",
                "l7.yaml:3: listeners[0].proxy_protocol.trusted[0]: 'fe80::1%eth0' is not ADDR or ADDR/LEN (zone ids are not supported)"),
            arguments("no block", "[]", "l7.yaml:3: listeners[0].proxy_protocol.trusted: needs at least one address or block "
                + "(ADDR or ADDR/LEN)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesATrustedListItCannotReadExactly(final String description, final String trusted, final String message)
    {
        assertThatThrownBy(() -> L7ConfigLoader.parse("""
            listeners:
              - name: web
                proxy_protocol: { trusted: %s }
                address: 198.18.1.1:80
            """.formatted(trusted) + ROUTES + POOLS, "l7.yaml")).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void refusesOtherKeysAndVersions()
    {
        assertThatThrownBy(() -> L7ConfigLoader.parse("""
            listeners: [{ name: web, address: 198.18.1.1:80, proxy_protocol: { trusted: [127.0.0.1], required: maybe } }]
            """ + ROUTES + POOLS, "l7.yaml")).hasMessage("l7.yaml:1: listeners[0].proxy_protocol.required: 'maybe' is not true or false");
        assertThatThrownBy(() -> L7ConfigLoader.parse("""
            listeners: [{ name: web, address: 198.18.1.1:80, proxy_protocol: { required: true } }]
            """ + ROUTES + POOLS, "l7.yaml")).hasMessage("l7.yaml:1: listeners[0].proxy_protocol.trusted: missing");
        assertThatThrownBy(() -> L7ConfigLoader.parse("""
            pools: { p: { send_proxy: v3, servers: [{ name: a, address: 198.18.0.21:80 }] } }
            listeners: [{ name: web, address: 198.18.1.1:80 }]
            """ + ROUTES, "l7.yaml")).hasMessage("l7.yaml:1: pools.p.send_proxy: 'v3' is not v1 or v2");
        assertThatThrownBy(() -> L7ConfigLoader.parse("""
            pools: { p: { protocol: h2c, send_proxy: v2, servers: [{ name: a, address: 198.18.0.21:80 }] } }
            listeners: [{ name: web, address: 198.18.1.1:80 }]
            """ + ROUTES, "l7.yaml")).hasMessage(
                "l7.yaml:1: pools.p.send_proxy: only with protocol: http1 (an HTTP/2 connection carries many clients' streams)");
    }
}
