package io.sluice.forwarder.config;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpAddressTest
{
    @Test
    void anIpv4AddressIsHeldIpv4Mapped()
    {
        final IpAddress address = IpAddress.parse("198.18.0.11");

        assertThat(address.isIpv4()).isTrue();
        assertThat(address.ipv4()).isEqualTo(0xC612_000B);
        assertThat(address.high()).isZero();
        assertThat(address.low()).isEqualTo(0x0000_FFFF_C612_000BL);
        assertThat(address).hasToString("198.18.0.11").isEqualTo(IpAddress.ipv4(0xC612_000B));
        assertThat(address.bytes()).containsExactly(198, 18, 0, 11);
        assertThat(address.withPort(80)).isEqualTo("198.18.0.11:80");
    }

    @Test
    void anIpv6AddressIsItsSixteenBytesAsTwoLongs()
    {
        final IpAddress address = IpAddress.parse("2001:2:0:1::a:1");

        assertThat(address.isIpv4()).isFalse();
        assertThat(address.high()).isEqualTo(0x2001_0002_0000_0001L);
        assertThat(address.low()).isEqualTo(0x0000_0000_000A_0001L);
        assertThat(IpAddress.of(address.bytes())).isEqualTo(address);
        assertThat(address.inetAddress().getHostAddress()).isEqualTo("2001:2:0:1:0:0:a:1");
        assertThat(address.withPort(443)).isEqualTo("[2001:2:0:1::a:1]:443");
        assertThat(address.family()).isEqualTo("IPv6");
    }

    @Test
    void formatsIpv6AsRfc5952()
    {
        assertThat(IpAddress.parse("2001:0002:0000:0000:0000:0000:0000:0011")).hasToString("2001:2::11");
        assertThat(IpAddress.parse("2001:2:0:0:1:0:0:1")).as("the first of two equal runs").hasToString("2001:2::1:0:0:1");
        assertThat(IpAddress.parse("2001:2:0:1:0:0:0:1")).as("the longest run").hasToString("2001:2:0:1::1");
        assertThat(IpAddress.parse("2001:2:0:1:1:1:1:1")).as("one zero group is not shortened").hasToString("2001:2:0:1:1:1:1:1");
        assertThat(IpAddress.parse("::")).hasToString("::");
        assertThat(IpAddress.parse("::1")).hasToString("::1");
        assertThat(IpAddress.parse("2001:DB8::")).hasToString("2001:db8::");
    }

    @Test
    void refusesWhatIsNotAnAddressWithOneLine()
    {
        assertThatThrownBy(() -> IpAddress.parse("2001:2::1::2")).hasMessage("'2001:2::1::2' is not an IPv6 address");
        assertThatThrownBy(() -> IpAddress.parse("2001:2::g")).hasMessage("'2001:2::g' is not an IPv6 address");
        assertThatThrownBy(() -> IpAddress.parse("fe80::1%eth0")).hasMessageContaining("no brackets or zone");
        assertThatThrownBy(() -> IpAddress.parse("[2001:2::1]")).hasMessageContaining("no brackets or zone");
        assertThatThrownBy(() -> IpAddress.parse("::ffff:198.18.0.1")).hasMessage(
            "'::ffff:198.18.0.1' is an IPv4-mapped address: write the IPv4 address 198.18.0.1");
        assertThatThrownBy(() -> IpAddress.parse("198.18.0")).hasMessage("'198.18.0' is not an IPv4 address");
        assertThatThrownBy(() -> IpAddress.parse("example.com")).hasMessage("'example.com' is not an IPv4 address");
    }

    @Test
    void ordersIpv4BeforeIpv6ThenByValue()
    {
        final List<IpAddress> sorted = new ArrayList<>(List.of(
            IpAddress.parse("2001:2::2"), IpAddress.parse("198.18.0.1"), IpAddress.parse("2001:2::1"), IpAddress.parse("10.0.0.1")));
        sorted.sort(null);

        assertThat(sorted).extracting(IpAddress::toString).containsExactly("10.0.0.1", "198.18.0.1", "2001:2::1", "2001:2::2");
    }
}
