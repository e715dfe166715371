package io.sluice.forwarder.packet;

/**
 * Wire constants of the headers the data path reads, in one place so that flyweights, the
 * packet processor and the tests agree on them. Values are as on the wire (network order read
 * big-endian).
 */
public final class PacketConstants
{
    private PacketConstants()
    {
    }

    public static final int MAC_LENGTH = 6;
    /** Destination MAC, source MAC, EtherType: an untagged Ethernet header. */
    public static final int ETHERNET_HEADER_LENGTH = 14;
    /** A VLAN tag: TPID (the EtherType slot) and 16 bits of tag control. */
    public static final int VLAN_TAG_LENGTH = 4;
    /** The most tags the data path looks through: one 802.1ad service tag and one 802.1Q tag. */
    public static final int MAX_VLAN_TAGS = 2;

    public static final int ETHER_TYPE_IPV4 = 0x0800;
    public static final int ETHER_TYPE_ARP = 0x0806;
    public static final int ETHER_TYPE_IPV6 = 0x86DD;
    /** 802.1Q customer tag. */
    public static final int ETHER_TYPE_VLAN = 0x8100;
    /** 802.1ad service tag (the outer tag of QinQ). */
    public static final int ETHER_TYPE_QINQ = 0x88A8;

    public static final int IPV4_VERSION = 4;
    /** An IPv4 header without options; IHL counts 32-bit words, so this is IHL 5. */
    public static final int IPV4_MIN_HEADER_LENGTH = 20;
    public static final int IPV4_MIN_IHL = 5;
    /** Flags and fragment offset share one 16-bit field. */
    public static final int IPV4_FLAG_DONT_FRAGMENT = 0x4000;
    public static final int IPV4_FLAG_MORE_FRAGMENTS = 0x2000;
    public static final int IPV4_FRAGMENT_OFFSET_MASK = 0x1FFF;

    public static final int IPV6_VERSION = 6;
    /** The fixed IPv6 header; extension headers, if any, follow it. */
    public static final int IPV6_HEADER_LENGTH = 40;
    /** IPv6 extension headers the data path recognises (RFC 8200): hop-by-hop, routing, fragment, destination options. */
    public static final int IPV6_HOP_BY_HOP = 0;
    public static final int IPV6_ROUTING = 43;
    public static final int IPV6_FRAGMENT = 44;
    public static final int IPV6_DESTINATION_OPTIONS = 60;

    public static final int IP_PROTOCOL_ICMP = 1;
    public static final int IP_PROTOCOL_IPIP = 4;
    public static final int IP_PROTOCOL_IPV6 = 41;
    public static final int IP_PROTOCOL_ICMPV6 = 58;
    public static final int IP_PROTOCOL_TCP = 6;
    public static final int IP_PROTOCOL_UDP = 17;

    /** A TCP header without options (data offset 5). */
    public static final int TCP_MIN_HEADER_LENGTH = 20;
    public static final int UDP_HEADER_LENGTH = 8;

    public static final int TCP_FIN = 0x01;
    public static final int TCP_SYN = 0x02;
    public static final int TCP_RST = 0x04;
    public static final int TCP_PSH = 0x08;
    public static final int TCP_ACK = 0x10;
    public static final int TCP_URG = 0x20;
    public static final int TCP_ECE = 0x40;
    public static final int TCP_CWR = 0x80;
}
