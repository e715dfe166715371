package io.sluice.forwarder.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VipAddressesTest
{
    @Test
    void distinctAddressesAscendingAsUnsigned()
    {
        final List<VipKey> vips = List.of(
            VipKey.parse("198.18.1.1:80/tcp"),
            VipKey.parse("198.18.1.1:443/tcp"),
            VipKey.parse("10.0.0.1:53/udp"),
            VipKey.parse("198.18.0.200:53/udp"));

        assertThat(VipAddresses.distinct(vips)).containsExactly(
            Ipv4.parse("10.0.0.1"), Ipv4.parse("198.18.0.200"), Ipv4.parse("198.18.1.1"));
    }

    @Test
    void ipv6AddressesAreListedApartAsPairs()
    {
        final List<VipKey> vips = List.of(
            VipKey.parse("[2001:2:0:1::2]:80/tcp"),
            VipKey.parse("198.18.1.1:80/tcp"),
            VipKey.parse("[2001:2:0:1::1]:53/udp"),
            VipKey.parse("[2001:2:0:1::2]:443/tcp"));

        assertThat(VipAddresses.distinct(vips)).containsExactly(Ipv4.parse("198.18.1.1"));
        assertThat(VipAddresses.distinctIpv6(vips)).containsExactly(
            0x2001_0002_0000_0001L, 1L, 0x2001_0002_0000_0001L, 2L);
    }

    @Test
    void noVipsNoAddresses()
    {
        assertThat(VipAddresses.distinct(List.of())).isEmpty();
    }

    @Test
    void vipKeyOrderIsAddressUnsignedThenPortThenProtocol()
    {
        final List<VipKey> sorted = new java.util.ArrayList<>(List.of(
            VipKey.parse("198.18.1.1:80/udp"),
            VipKey.parse("198.18.1.1:80/tcp"),
            VipKey.parse("10.0.0.1:443/tcp"),
            VipKey.parse("198.18.1.1:53/udp")));
        sorted.sort(VipKey.ORDER);

        assertThat(sorted).extracting(VipKey::toString).containsExactly(
            "10.0.0.1:443/tcp", "198.18.1.1:53/udp", "198.18.1.1:80/tcp", "198.18.1.1:80/udp");
    }
}
