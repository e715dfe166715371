package io.sluice.linux.netlink;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The layouts against sizeof() from linux/netlink.h, rtnetlink.h, if_addr.h and neighbour.h (gcc, x86_64). */
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
    void routeCoversItsPrefix()
    {
        final Route connected = new Route(0xC612_FA00, 24, 0, 2, 0xC612_FA01);

        assertThat(connected.covers(0xC612_FA63)).isTrue();
        assertThat(connected.covers(0xC612_FB01)).isFalse();
        assertThat(new Route(0, 0, 0xC612_FA02, 2, 0).covers(0x0808_0808)).isTrue();
    }
}
