package io.sluice.lab;

import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

/** The text the lab's backends answer with: as sluice writes addresses (RFC 5952 for IPv6). */
class AddressTextTest
{
    @Test
    void ipv4IsADottedQuadAndAnIpv4MappedAddressIsItsIpv4Address()
    {
        assertThat(AddressText.of(InetAddress.ofLiteral("198.18.0.100"))).isEqualTo("198.18.0.100");
        assertThat(AddressText.of(InetAddress.ofLiteral("::ffff:198.18.0.100"))).isEqualTo("198.18.0.100");
    }

    @Test
    void ipv6CompressesTheFirstLongestRunOfZeroGroups()
    {
        assertThat(text("2001:2:0:0:0:0:0:11")).isEqualTo("2001:2::11");
        assertThat(text("2001:0002:0000:0001:0000:0000:0000:0001")).isEqualTo("2001:2:0:1::1");
        assertThat(text("1:0:0:2:0:0:0:3")).isEqualTo("1:0:0:2::3");
        assertThat(text("1:0:0:2:0:0:3:4")).as("ties go to the first run").isEqualTo("1::2:0:0:3:4");
        assertThat(text("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(text("1:0:0:0:0:0:0:0")).isEqualTo("1::");
        assertThat(text("0:0:0:0:0:0:0:0")).isEqualTo("::");
        assertThat(text("2001:DB8:0:1:1:1:1:1")).as("one zero group stays, hex in lower case").isEqualTo("2001:db8:0:1:1:1:1:1");
    }

    @Test
    void ipv6DropsTheZone() throws UnknownHostException
    {
        final InetAddress linkLocal = Inet6Address.getByAddress(null, InetAddress.ofLiteral("fe80::1").getAddress(), 3);

        assertThat(linkLocal.getHostAddress()).contains("%");
        assertThat(AddressText.of(linkLocal)).isEqualTo("fe80::1");
    }

    private static String text(final String literal)
    {
        return AddressText.of(InetAddress.ofLiteral(literal));
    }
}
