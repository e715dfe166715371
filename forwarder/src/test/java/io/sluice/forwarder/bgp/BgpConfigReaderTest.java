package io.sluice.forwarder.bgp;

import io.sluice.forwarder.config.ConfigException;
import io.sluice.forwarder.config.IpAddress;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The BGP file's schema: what it accepts, and the one line each kind of mistake gets. */
class BgpConfigReaderTest
{
    private static Map<String, Object> file()
    {
        final Map<String, Object> file = new HashMap<>();
        file.put("local_as", 65001);
        file.put("router_id", "198.18.0.2");
        file.put("neighbors", List.of(Map.of("address", "198.18.0.1", "as", 65000)));
        return file;
    }

    @Test
    void readsTheIssuesExampleWithDefaults()
    {
        final Map<String, Object> file = file();
        file.put("bfd", Map.of("interval", "100ms", "multiplier", 3));
        file.put("hold", "9s");

        final BgpConfig config = BgpConfigReader.read(file, "bgp.yaml");

        assertThat(config.localAs()).isEqualTo(65001);
        assertThat(config.routerId()).isEqualTo(IpAddress.parse("198.18.0.2"));
        assertThat(config.neighbors()).containsExactly(new BgpConfig.Neighbor(IpAddress.parse("198.18.0.1"), 65000, null));
        assertThat(config.holdS()).isEqualTo(9);
        assertThat(config.keepaliveS()).isEqualTo(3);
        assertThat(config.bfd()).isEqualTo(new BgpConfig.Bfd(100, 3));
        assertThat(config.communities()).isEmpty();
        assertThat(config.announces(IpAddress.parse("198.18.1.1"))).as("announce defaults to all").isTrue();
        assertThat(config.announces(IpAddress.parse("2001:2:0:1::1"))).as("no neighbor to announce an IPv6 VIP to").isFalse();
    }

    @Test
    void readsEveryOptionalKey()
    {
        final Map<String, Object> file = file();
        file.put("neighbors", List.of(Map.of("address", "198.18.0.1", "as", "4200000000", "password", "s3cret")));
        file.put("hold", 30);
        file.put("keepalive", "10s");
        file.put("communities", List.of("65001:100", "0:65535"));
        file.put("announce", List.of("198.18.1.1"));

        final BgpConfig config = BgpConfigReader.read(file, "bgp.yaml");

        assertThat(config.neighbors().getFirst().as()).isEqualTo(4_200_000_000L);
        assertThat(config.neighbors().getFirst().password()).isEqualTo("s3cret");
        assertThat(config.holdS()).isEqualTo(30);
        assertThat(config.keepaliveS()).isEqualTo(10);
        assertThat(config.communities()).extracting(BgpConfig.Community::toString).containsExactly("65001:100", "0:65535");
        assertThat(config.announces(IpAddress.parse("198.18.1.1"))).isTrue();
        assertThat(config.announces(IpAddress.parse("198.18.1.2"))).isFalse();
    }

    @Test
    void speaksBgpOverIpv6ToIpv6NeighborsAndAnnouncesIpv6VipsToThem()
    {
        final Map<String, Object> file = file();
        file.put("neighbors", List.of(Map.of("address", "198.18.0.1", "as", 65000), Map.of("address", "2001:2::1", "as", 65000)));

        final BgpConfig config = BgpConfigReader.read(file, "bgp.yaml");

        assertThat(config.neighbors()).extracting(BgpConfig.Neighbor::address)
            .containsExactly(IpAddress.parse("198.18.0.1"), IpAddress.parse("2001:2::1"));
        assertThat(config.routerId()).as("a router id stays an IPv4 address").isEqualTo(IpAddress.parse("198.18.0.2"));
        assertThat(config.announces(IpAddress.parse("198.18.1.1"))).isTrue();
        assertThat(config.announces(IpAddress.parse("2001:2:0:1::1"))).isTrue();

        file.put("neighbors", List.of(Map.of("address", "2001:2::1", "as", 65000)));
        file.put("announce", List.of("2001:2:0:1::1", "2001:2:0:1::2"));
        final BgpConfig ipv6Only = BgpConfigReader.read(file, "bgp.yaml");
        assertThat(ipv6Only.announces(IpAddress.parse("2001:2:0:1::2"))).isTrue();
        assertThat(ipv6Only.announces(IpAddress.parse("2001:2:0:1::3"))).as("not in the list").isFalse();
        assertThat(ipv6Only.announces(IpAddress.parse("198.18.1.1"))).as("no IPv4 neighbor").isFalse();
    }

    @Test
    void refusesEachMistakeInOneLineNamingTheField()
    {
        assertRefused("local_as", 0, "bgp.yaml: local_as: '0' is not an AS number (1-4294967295)");
        assertRefused("local_as", "65001x", "bgp.yaml: local_as: '65001x' is not an AS number (1-4294967295)");
        assertRefused("local_as", 4_294_967_296L, "bgp.yaml: local_as: '4294967296' is not an AS number (1-4294967295)");
        assertRefused("router_id", "198.18.0.256", "bgp.yaml: router_id: '198.18.0.256' is not an IPv4 or IPv6 address");
        assertRefused("router_id", "2001:2::2", "bgp.yaml: router_id: 2001:2::2 is IPv6; a router id is a 32-bit id written " +
            "as an IPv4 address, whatever the sessions' IP version");
        assertRefused("neighbors", List.of(Map.of("address", "2001:2::g1", "as", 65000)),
            "bgp.yaml: neighbors[0].address: '2001:2::g1' is not an IPv4 or IPv6 address");
        assertRefused("announce", List.of("198.18.1.1", "2001:2:0:1:::1"),
            "bgp.yaml: announce[1]: '2001:2:0:1:::1' is not an IPv4 or IPv6 address");
        assertRefused("announce", List.of("2001:2:0:1::1"), "bgp.yaml: announce[0]: 2001:2:0:1::1 is IPv6 and no neighbor " +
            "is: a VIP is announced to the neighbors of its own IP version");
        assertRefused("neighbors", List.of(), "bgp.yaml: neighbors: needs at least one neighbor");
        assertRefused("neighbors", List.of(Map.of("address", "198.18.0.1")), "bgp.yaml: neighbors[0].as: is required");
        assertRefused("neighbors", List.of(Map.of("address", "198.18.0.1", "as", 65000, "asn", 1)),
            "bgp.yaml: neighbors[0].asn: unknown key; allowed here: address, as, password");
        assertRefused("neighbors", List.of(Map.of("address", "198.18.0.1", "as", 65000, "password", "a\"b")),
            "bgp.yaml: neighbors[0].password: must be 1-80 characters without quotes, backslashes or line breaks");
        assertRefused("hold", "2s", "bgp.yaml: hold: '2s' must be whole seconds from 3s to 65535s");
        assertRefused("hold", "soon", "bgp.yaml: hold: 'soon' is not a duration (e.g. 100ms, 9s, 1m)");
        assertRefused("keepalive", "9s", "bgp.yaml: keepalive: 9 s must be shorter than hold (9 s)");
        assertRefused("bfd", Map.of("interval", "5ms"), "bgp.yaml: bfd.interval: 5 ms is outside 10ms-10s");
        assertRefused("communities", List.of("65536:1"), "bgp.yaml: communities[0]: '65536:1' is not a community " +
            "ASN:VALUE (each 0-65535)");
        assertRefused("announce", "some", "bgp.yaml: announce: expected all or a list of VIP addresses, found 'some'");
        assertRefused("local-as", 65001, "bgp.yaml: local-as: unknown key; allowed here: local_as, router_id, neighbors, hold, " +
            "keepalive, bfd, communities, announce");
        assertThatThrownBy(() -> BgpConfigReader.read(List.of(), "bgp.yaml")).hasMessageStartingWith(
            "bgp.yaml: expected a mapping (local_as, router_id, neighbors, hold, keepalive, bfd, communities, announce), " +
                "found a list");
    }

    @Test
    void refusesANeighborListedTwice()
    {
        final Map<String, Object> file = file();
        file.put("neighbors",
            List.of(Map.of("address", "198.18.0.1", "as", 65000), Map.of("address", "198.18.0.1", "as", 65002)));
        assertThatThrownBy(() -> BgpConfigReader.read(file, "bgp.yaml")).isInstanceOf(ConfigException.class)
            .hasMessage("bgp.yaml: neighbors[1].address: 198.18.0.1 is listed twice");
    }

    private static void assertRefused(final String key, final Object value, final String message)
    {
        final Map<String, Object> file = file();
        file.put(key, value);
        assertThatThrownBy(() -> BgpConfigReader.read(file, "bgp.yaml")).isInstanceOf(ConfigException.class).hasMessage(message);
    }
}
