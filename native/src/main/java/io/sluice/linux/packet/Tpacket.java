package io.sluice.linux.packet;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Structures and constants of AF_PACKET ({@code linux/if_packet.h}) and of the socket calls
 * around it ({@code sys/socket.h}), as layouts with the offsets the code reads.
 */
final class Tpacket
{
    static final int PACKET_RX_RING = 5;
    static final int PACKET_STATISTICS = 6;
    static final int PACKET_VERSION = 10;
    static final int PACKET_RESERVE = 12;
    static final int PACKET_FANOUT = 18;
    static final int PACKET_QDISC_BYPASS = 20;
    static final int PACKET_IGNORE_OUTGOING = 23;

    static final int TPACKET_V3 = 2;
    static final int PACKET_FANOUT_HASH = 0;

    static final int TP_STATUS_KERNEL = 0;
    static final int TP_STATUS_USER = 1;
    static final int TP_STATUS_CSUMNOTREADY = 1 << 3;
    static final int TP_STATUS_VLAN_VALID = 1 << 4;
    static final int TP_STATUS_VLAN_TPID_VALID = 1 << 6;

    static final int TPACKET_ALIGNMENT = 16;
    static final short ETH_P_ALL = 0x0003;

    /** {@code struct tpacket_req3}: the ring's geometry, given with PACKET_RX_RING. */
    static final StructLayout TPACKET_REQ3 = structLayout(
        JAVA_INT.withName("tp_block_size"),
        JAVA_INT.withName("tp_block_nr"),
        JAVA_INT.withName("tp_frame_size"),
        JAVA_INT.withName("tp_frame_nr"),
        JAVA_INT.withName("tp_retire_blk_tov"),
        JAVA_INT.withName("tp_sizeof_priv"),
        JAVA_INT.withName("tp_feature_req_word"));

    /** {@code struct tpacket_block_desc} with its {@code tpacket_hdr_v1}. */
    static final StructLayout TPACKET_BLOCK_DESC = structLayout(
        JAVA_INT.withName("version"),
        JAVA_INT.withName("offset_to_priv"),
        JAVA_INT.withName("block_status"),
        JAVA_INT.withName("num_pkts"),
        JAVA_INT.withName("offset_to_first_pkt"),
        JAVA_INT.withName("blk_len"),
        JAVA_LONG.withName("seq_num"),
        JAVA_INT.withName("ts_first_pkt_sec"),
        JAVA_INT.withName("ts_first_pkt_nsec"),
        JAVA_INT.withName("ts_last_pkt_sec"),
        JAVA_INT.withName("ts_last_pkt_nsec"));

    /** {@code struct tpacket3_hdr} with its {@code tpacket_hdr_variant1}. */
    static final StructLayout TPACKET3_HDR = structLayout(
        JAVA_INT.withName("tp_next_offset"),
        JAVA_INT.withName("tp_sec"),
        JAVA_INT.withName("tp_nsec"),
        JAVA_INT.withName("tp_snaplen"),
        JAVA_INT.withName("tp_len"),
        JAVA_INT.withName("tp_status"),
        JAVA_SHORT.withName("tp_mac"),
        JAVA_SHORT.withName("tp_net"),
        JAVA_INT.withName("tp_rxhash"),
        JAVA_INT.withName("tp_vlan_tci"),
        JAVA_SHORT.withName("tp_vlan_tpid"),
        JAVA_SHORT.withName("hv1_padding"),
        sequenceLayout(8, JAVA_BYTE).withName("tp_padding"));

    /** {@code struct sockaddr_ll}. Protocol is in network byte order. */
    static final StructLayout SOCKADDR_LL = structLayout(
        JAVA_SHORT.withName("sll_family"),
        JAVA_SHORT.withName("sll_protocol"),
        JAVA_INT.withName("sll_ifindex"),
        JAVA_SHORT.withName("sll_hatype"),
        JAVA_BYTE.withName("sll_pkttype"),
        JAVA_BYTE.withName("sll_halen"),
        sequenceLayout(8, JAVA_BYTE).withName("sll_addr"));

    /** {@code struct tpacket_stats_v3}. */
    static final StructLayout TPACKET_STATS_V3 = structLayout(
        JAVA_INT.withName("tp_packets"),
        JAVA_INT.withName("tp_drops"),
        JAVA_INT.withName("tp_freeze_q_cnt"));

    /** {@code struct sock_fprog}: the program length and a pointer to its instructions. */
    static final StructLayout SOCK_FPROG = structLayout(
        JAVA_SHORT.withName("len"),
        paddingLayout(6),
        ADDRESS.withName("filter"));

    /** {@code struct iovec}. */
    static final StructLayout IOVEC = structLayout(
        ADDRESS.withName("iov_base"),
        JAVA_LONG.withName("iov_len"));

    /** {@code struct mmsghdr}: a {@code struct msghdr} and the byte count the kernel sent. */
    static final StructLayout MMSGHDR = structLayout(
        ADDRESS.withName("msg_name"),
        JAVA_INT.withName("msg_namelen"),
        paddingLayout(4),
        ADDRESS.withName("msg_iov"),
        JAVA_LONG.withName("msg_iovlen"),
        ADDRESS.withName("msg_control"),
        JAVA_LONG.withName("msg_controllen"),
        JAVA_INT.withName("msg_flags"),
        paddingLayout(4),
        JAVA_INT.withName("msg_len"),
        paddingLayout(4));

    /** {@code struct ifreq}: a 16-byte name, then a union whose largest member is a 24-byte ifmap. */
    static final StructLayout IFREQ = structLayout(
        sequenceLayout(16, JAVA_BYTE).withName("ifr_name"),
        sequenceLayout(24, JAVA_BYTE).withName("ifr_ifru"));

    /** {@code struct pollfd}. */
    static final StructLayout POLLFD = structLayout(
        JAVA_INT.withName("fd"),
        JAVA_SHORT.withName("events"),
        JAVA_SHORT.withName("revents"));

    static final long BLOCK_STATUS = offset(TPACKET_BLOCK_DESC, "block_status");
    static final long BLOCK_NUM_PKTS = offset(TPACKET_BLOCK_DESC, "num_pkts");
    static final long BLOCK_OFFSET_TO_FIRST_PKT = offset(TPACKET_BLOCK_DESC, "offset_to_first_pkt");

    static final long FRAME_NEXT_OFFSET = offset(TPACKET3_HDR, "tp_next_offset");
    static final long FRAME_SNAPLEN = offset(TPACKET3_HDR, "tp_snaplen");
    static final long FRAME_LEN = offset(TPACKET3_HDR, "tp_len");
    static final long FRAME_STATUS = offset(TPACKET3_HDR, "tp_status");
    static final long FRAME_MAC = offset(TPACKET3_HDR, "tp_mac");
    static final long FRAME_VLAN_TCI = offset(TPACKET3_HDR, "tp_vlan_tci");
    static final long FRAME_VLAN_TPID = offset(TPACKET3_HDR, "tp_vlan_tpid");

    /** {@code TPACKET3_HDRLEN}: the header, aligned, then the sockaddr_ll the kernel fills in. */
    static final long TPACKET3_HDRLEN = align(TPACKET3_HDR.byteSize()) + SOCKADDR_LL.byteSize();

    private Tpacket()
    {
    }

    static long offset(final MemoryLayout layout, final String field)
    {
        return layout.byteOffset(groupElement(field));
    }

    static long align(final long size)
    {
        return (size + TPACKET_ALIGNMENT - 1) & -TPACKET_ALIGNMENT;
    }
}
