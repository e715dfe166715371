package io.sluice.linux.packet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layouts against the C headers: the expected numbers are sizeof/offsetof printed by gcc
 * for linux/if_packet.h, linux/filter.h and sys/socket.h on x86_64.
 */
class TpacketLayoutTest
{
    @Test
    void ringStructuresMatchIfPacketH()
    {
        assertThat(Tpacket.TPACKET3_HDR.byteSize()).isEqualTo(48);
        assertThat(Tpacket.FRAME_STATUS).isEqualTo(20);
        assertThat(Tpacket.FRAME_MAC).isEqualTo(24);
        assertThat(Tpacket.FRAME_VLAN_TCI).isEqualTo(32);
        assertThat(Tpacket.FRAME_VLAN_TPID).isEqualTo(36);
        assertThat(Tpacket.TPACKET3_HDRLEN).isEqualTo(68);
        assertThat(Tpacket.TPACKET_BLOCK_DESC.byteSize()).isEqualTo(48);
        assertThat(Tpacket.BLOCK_STATUS).isEqualTo(8);
        assertThat(Tpacket.BLOCK_NUM_PKTS).isEqualTo(12);
        assertThat(Tpacket.BLOCK_OFFSET_TO_FIRST_PKT).isEqualTo(16);
        assertThat(Tpacket.TPACKET_REQ3.byteSize()).isEqualTo(28);
        assertThat(Tpacket.TPACKET_STATS_V3.byteSize()).isEqualTo(12);
        assertThat(Tpacket.SOCKADDR_LL.byteSize()).isEqualTo(20);
    }

    @Test
    void socketStructuresMatchTheCLibrary()
    {
        assertThat(Tpacket.MMSGHDR.byteSize()).isEqualTo(64);
        assertThat(Tpacket.offset(Tpacket.MMSGHDR, "msg_iov")).isEqualTo(16);
        assertThat(Tpacket.offset(Tpacket.MMSGHDR, "msg_iovlen")).isEqualTo(24);
        assertThat(Tpacket.offset(Tpacket.MMSGHDR, "msg_flags")).isEqualTo(48);
        assertThat(Tpacket.offset(Tpacket.MMSGHDR, "msg_len")).isEqualTo(56);
        assertThat(Tpacket.IOVEC.byteSize()).isEqualTo(16);
        assertThat(Tpacket.IFREQ.byteSize()).isEqualTo(40);
        assertThat(Tpacket.POLLFD.byteSize()).isEqualTo(8);
    }

    @Test
    void filterStructuresMatchFilterH()
    {
        assertThat(ClassicBpfProgram.SOCK_FILTER.byteSize()).isEqualTo(8);
        assertThat(Tpacket.SOCK_FPROG.byteSize()).isEqualTo(16);
        assertThat(Tpacket.offset(Tpacket.SOCK_FPROG, "filter")).isEqualTo(8);
    }
}
