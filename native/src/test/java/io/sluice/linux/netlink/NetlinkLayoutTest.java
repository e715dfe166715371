package io.sluice.linux.netlink;

import io.sluice.linux.Libc;
import io.sluice.linux.testing.VethLab;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layouts against sizeof() from linux/netlink.h, rtnetlink.h, if_addr.h, neighbour.h and
 * in6.h (gcc, x86_64); requests and records, without a kernel.
 */
class NetlinkLayoutTest
{
    @Test
    void structuresMatchTheUapiHeaders()
    {
        assertThat(Netlink.NLMSGHDR.byteSize()).isEqualTo(16);
        assertThat(Netlink.SOCKADDR_NL.byteSize()).isEqualTo(12);
        assertThat(Netlink.IFINFOMSG.byteSize()).isEqualTo(16);
        assertThat(Netlink.IFADDRMSG.byteSize()).isEqualTo(8);
        assertThat(Netlink.RTMSG.byteSize()).isEqualTo(12);
        assertThat(Netlink.NDMSG.byteSize()).isEqualTo(12);
        assertThat(Netlink.RTNEXTHOP.byteSize()).isEqualTo(8);
        assertThat(Netlink.SOCKADDR_IN6.byteSize()).isEqualTo(28);
        assertThat(Netlink.SIN6_PORT).isEqualTo(2);
        assertThat(Netlink.SIN6_ADDR).isEqualTo(8);
    }

    @Test
    void ipv6AttributesCarryTheSixteenBytesInNetworkOrder()
    {
        final byte[] message = new NetlinkRequest(Netlink.RTM_GETROUTE, Netlink.NLM_F_REQUEST)
            .u8(10).u8(128).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u32(0)
            .ipv6Attribute(Netlink.RTA_DST, VethLab.ipv6("2001:db8::7"))
            .finish(78);

        final java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(message).order(java.nio.ByteOrder.nativeOrder());
        assertThat(message.length).isEqualTo(16 + 12 + 20);
        assertThat(buffer.getInt(0)).isEqualTo(message.length);
        assertThat(buffer.getShort(28)).isEqualTo((short)20);
        assertThat(buffer.getShort(30)).isEqualTo((short)Netlink.RTA_DST);
        assertThat(java.util.Arrays.copyOfRange(message, 32, 48))
            .containsExactly(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7);
    }

    @Test
    void requestsAreAlignedAndCarryLengthAndSequence()
    {
        final byte[] message = new NetlinkRequest(Netlink.RTM_GETROUTE, Netlink.NLM_F_REQUEST)
            .u8(2).u8(32).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u32(0)
            .ipv4Attribute(Netlink.RTA_DST, 0xC612_FA02)
            .finish(77);

        final java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(message).order(java.nio.ByteOrder.nativeOrder());
        assertThat(message.length).isEqualTo(16 + 12 + 8);
        assertThat(buffer.getInt(0)).isEqualTo(message.length);
        assertThat(buffer.getShort(4)).isEqualTo((short)Netlink.RTM_GETROUTE);
        assertThat(buffer.getInt(8)).isEqualTo(77);
        assertThat(buffer.getShort(28)).isEqualTo((short)8);
        assertThat(buffer.getShort(30)).isEqualTo((short)Netlink.RTA_DST);
        assertThat(new byte[]{message[32], message[33], message[34], message[35]})
            .containsExactly((byte)198, (byte)18, (byte)250, (byte)2);
    }

    @Test
    void neighbourUsabilityFollowsStateAndMac()
    {
        assertThat(new Neighbour(2, 1, 0x0200_0000_0001L, Neighbour.NUD_REACHABLE).usable()).isTrue();
        assertThat(new Neighbour(2, 1, 0x0200_0000_0001L, Neighbour.NUD_STALE).usable()).isTrue();
        assertThat(new Neighbour(2, 1, 0x0200_0000_0001L, Neighbour.NUD_PERMANENT).usable()).isTrue();
        assertThat(new Neighbour(2, 1, 0L, Neighbour.NUD_REACHABLE).usable()).isFalse();
        assertThat(new Neighbour(2, 1, 0x0200_0000_0001L, Neighbour.NUD_FAILED).usable()).isFalse();
        assertThat(new Neighbour(2, 1, 0x0200_0000_0001L, Neighbour.NUD_INCOMPLETE).usable()).isFalse();
    }

    @Test
    void ipv6NeighbourUsabilityFollowsStateAndMac()
    {
        final Inet6Address address = VethLab.ipv6("fe80::1");

        assertThat(new Neighbour6(2, address, 0x0200_0000_0001L, Neighbour.NUD_REACHABLE).usable()).isTrue();
        assertThat(new Neighbour6(2, address, 0x0200_0000_0001L, Neighbour.NUD_STALE).usable()).isTrue();
        assertThat(new Neighbour6(2, address, 0L, Neighbour.NUD_REACHABLE).usable()).isFalse();
        assertThat(new Neighbour6(2, address, 0x0200_0000_0001L, Neighbour.NUD_INCOMPLETE).usable()).isFalse();
        assertThat(new Neighbour6(2, address, 0x0200_0000_0001L, Neighbour.NUD_FAILED).usable()).isFalse();
        assertThat(new Neighbour6(2, address, 0x0200_0000_0001L, Neighbour.NUD_STALE))
            .hasToString("Neighbour6[fe80::1 02:00:00:00:00:01 STALE ifindex 2]");
    }

    @Test
    void ipv6NextHopIsTheGatewayOrElseTheDestination()
    {
        final Inet6Address destination = VethLab.ipv6("2001:2:9::7");
        final Inet6Address gateway = VethLab.ipv6("fe80::1");

        assertThat(new RouteLookup6(2, gateway, null, false).nextHop(destination)).isEqualTo(gateway);
        assertThat(new RouteLookup6(2, null, VethLab.ipv6("2001:2::1"), false).nextHop(destination)).isEqualTo(destination);
        assertThat(new RouteLookup6(2, gateway, VethLab.ipv6("2001:2::1"), false))
            .hasToString("RouteLookup6[oif 2 via fe80::1 src 2001:2::1]");
    }

    @Test
    void ipv6AddressesReadFromTheKernelStayIpv6()
    {
        final byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)0xFF, (byte)0xFF, (byte)198, 18, (byte)250, 9};

        assertThat(Addresses.of(Libc.AF_INET6, mapped)).isInstanceOf(Inet6Address.class)
            .extracting(InetAddress::getAddress).isEqualTo(mapped);
        assertThat(Addresses.of(Libc.AF_INET, new byte[]{(byte)198, 18, (byte)250, 9})).isInstanceOf(Inet4Address.class);
        assertThat(Addresses.of(Libc.AF_INET6, new byte[4])).isNull();
        assertThat(Addresses.of(Libc.AF_INET, mapped)).isNull();
    }

    @Test
    void ipv6TextShortensTheLongestRunOfZeroGroups()
    {
        assertThat(Addresses.ipv6(VethLab.ipv6("2001:2:0:0:0:0:0:1"))).isEqualTo("2001:2::1");
        assertThat(Addresses.ipv6(VethLab.ipv6("fe80::c6ff:fe12:fa02"))).isEqualTo("fe80::c6ff:fe12:fa02");
        assertThat(Addresses.ipv6(VethLab.ipv6("::"))).isEqualTo("::");
        assertThat(Addresses.ipv6(VethLab.ipv6("::1"))).isEqualTo("::1");
        assertThat(Addresses.ipv6(VethLab.ipv6("2001:db8:0:1:0:0:0:0"))).isEqualTo("2001:db8:0:1::");
        assertThat(Addresses.ipv6(VethLab.ipv6("2001:0:0:1:0:0:0:1"))).as("the longer run").isEqualTo("2001:0:0:1::1");
        assertThat(Addresses.ipv6(VethLab.ipv6("2001:0:0:1:0:0:1:1"))).as("the first of equal runs").isEqualTo("2001::1:0:0:1:1");
        assertThat(Addresses.ipv6(VethLab.ipv6("2001:db8:0:1:1:1:1:1"))).as("a lone zero group stays")
            .isEqualTo("2001:db8:0:1:1:1:1:1");
    }

    @Test
    void routeCoversItsPrefix()
    {
        final Route connected = new Route(0xC612_FA00, 24, 0, 2, 0xC612_FA01);

        assertThat(connected.covers(0xC612_FA63)).isTrue();
        assertThat(connected.covers(0xC612_FB01)).isFalse();
        assertThat(new Route(0, 0, 0xC612_FA02, 2, 0).covers(0x0808_0808)).isTrue();
    }
}
