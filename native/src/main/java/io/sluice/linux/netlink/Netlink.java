package io.sluice.linux.netlink;

import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Constants and structures of netlink and rtnetlink, from {@code linux/netlink.h},
 * {@code linux/rtnetlink.h}, {@code linux/if_link.h}, {@code linux/if_addr.h} and
 * {@code linux/neighbour.h}; and {@code struct sockaddr_in6} from {@code linux/in6.h}, which the
 * neighbour-solicitation fallback sends to.
 */
final class Netlink
{
    static final int NETLINK_ROUTE = 0;
    static final int NETLINK_CAP_ACK = 10;
    static final int NETLINK_EXT_ACK = 11;

    static final int NLM_F_REQUEST = 0x01;
    static final int NLM_F_MULTI = 0x02;
    static final int NLM_F_ACK = 0x04;
    static final int NLM_F_DUMP_INTR = 0x10;
    static final int NLM_F_DUMP = 0x300;
    static final int NLM_F_REPLACE = 0x100;
    static final int NLM_F_CREATE = 0x400;
    static final int NLM_F_CAPPED = 0x100;
    static final int NLM_F_ACK_TLVS = 0x200;

    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLMSGERR_ATTR_MSG = 1;
    static final int NLA_TYPE_MASK = 0x3FFF;

    static final int RTM_NEWLINK = 16;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_GETADDR = 22;
    static final int RTM_NEWROUTE = 24;
    static final int RTM_GETROUTE = 26;
    static final int RTM_NEWNEIGH = 28;
    static final int RTM_GETNEIGH = 30;

    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFF_UP = 0x1;

    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;

    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_PREFSRC = 7;
    static final int RTA_MULTIPATH = 9;
    static final int RTA_TABLE = 15;
    static final int RT_TABLE_MAIN = 254;
    static final int RTN_UNICAST = 1;

    static final int NDA_DST = 1;
    static final int NDA_LLADDR = 2;
    static final int NTF_USE = 0x01;

    /** {@code struct nlmsghdr}. */
    static final StructLayout NLMSGHDR = structLayout(
        JAVA_INT.withName("nlmsg_len"),
        JAVA_SHORT.withName("nlmsg_type"),
        JAVA_SHORT.withName("nlmsg_flags"),
        JAVA_INT.withName("nlmsg_seq"),
        JAVA_INT.withName("nlmsg_pid"));

    /** {@code struct sockaddr_nl}. */
    static final StructLayout SOCKADDR_NL = structLayout(
        JAVA_SHORT.withName("nl_family"),
        JAVA_SHORT.withName("nl_pad"),
        JAVA_INT.withName("nl_pid"),
        JAVA_INT.withName("nl_groups"));

    /** {@code struct ifinfomsg}. */
    static final StructLayout IFINFOMSG = structLayout(
        JAVA_BYTE.withName("ifi_family"),
        JAVA_BYTE.withName("ifi_pad"),
        JAVA_SHORT.withName("ifi_type"),
        JAVA_INT.withName("ifi_index"),
        JAVA_INT.withName("ifi_flags"),
        JAVA_INT.withName("ifi_change"));

    /** {@code struct ifaddrmsg}. */
    static final StructLayout IFADDRMSG = structLayout(
        JAVA_BYTE.withName("ifa_family"),
        JAVA_BYTE.withName("ifa_prefixlen"),
        JAVA_BYTE.withName("ifa_flags"),
        JAVA_BYTE.withName("ifa_scope"),
        JAVA_INT.withName("ifa_index"));

    /** {@code struct rtmsg}. */
    static final StructLayout RTMSG = structLayout(
        JAVA_BYTE.withName("rtm_family"),
        JAVA_BYTE.withName("rtm_dst_len"),
        JAVA_BYTE.withName("rtm_src_len"),
        JAVA_BYTE.withName("rtm_tos"),
        JAVA_BYTE.withName("rtm_table"),
        JAVA_BYTE.withName("rtm_protocol"),
        JAVA_BYTE.withName("rtm_scope"),
        JAVA_BYTE.withName("rtm_type"),
        JAVA_INT.withName("rtm_flags"));

    /** {@code struct ndmsg}. */
    static final StructLayout NDMSG = structLayout(
        JAVA_BYTE.withName("ndm_family"),
        JAVA_BYTE.withName("ndm_pad1"),
        JAVA_SHORT.withName("ndm_pad2"),
        JAVA_INT.withName("ndm_ifindex"),
        JAVA_SHORT.withName("ndm_state"),
        JAVA_BYTE.withName("ndm_flags"),
        JAVA_BYTE.withName("ndm_type"));

    /** {@code struct sockaddr_in6}; port and flow label in network byte order. */
    static final StructLayout SOCKADDR_IN6 = structLayout(
        JAVA_SHORT.withName("sin6_family"),
        JAVA_SHORT.withName("sin6_port"),
        JAVA_INT.withName("sin6_flowinfo"),
        sequenceLayout(16, JAVA_BYTE).withName("sin6_addr"),
        JAVA_INT.withName("sin6_scope_id"));

    static final long SIN6_PORT = SOCKADDR_IN6.byteOffset(groupElement("sin6_port"));
    static final long SIN6_ADDR = SOCKADDR_IN6.byteOffset(groupElement("sin6_addr"));

    /** {@code struct rtnexthop}, the head of each RTA_MULTIPATH entry. */
    static final StructLayout RTNEXTHOP = structLayout(
        JAVA_SHORT.withName("rtnh_len"),
        JAVA_BYTE.withName("rtnh_flags"),
        JAVA_BYTE.withName("rtnh_hops"),
        JAVA_INT.withName("rtnh_ifindex"));

    static final int HEADER_LENGTH = (int)NLMSGHDR.byteSize();

    private Netlink()
    {
    }

    /** NLMSG_ALIGN / RTA_ALIGN: 4 bytes. */
    static int align(final int length)
    {
        return (length + 3) & ~3;
    }

    static String typeName(final int type)
    {
        return switch (type)
        {
            case RTM_NEWLINK -> "RTM_NEWLINK";
            case RTM_GETLINK -> "RTM_GETLINK";
            case RTM_NEWADDR -> "RTM_NEWADDR";
            case RTM_GETADDR -> "RTM_GETADDR";
            case RTM_NEWROUTE -> "RTM_NEWROUTE";
            case RTM_GETROUTE -> "RTM_GETROUTE";
            case RTM_NEWNEIGH -> "RTM_NEWNEIGH";
            case RTM_GETNEIGH -> "RTM_GETNEIGH";
            default -> "netlink message type " + type;
        };
    }
}
