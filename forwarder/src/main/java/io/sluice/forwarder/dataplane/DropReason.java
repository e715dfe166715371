package io.sluice.forwarder.dataplane;

/**
 * Why the data path dropped a packet. Every drop is counted under one of these; the code is
 * what {@link PacketProcessor#process} returns and what the counters' keys hold.
 */
public enum DropReason
{
    /** Shorter than an Ethernet header, or than the IP/L4 headers it announces. */
    TRUNCATED(1, "truncated"),
    /** Neither IPv4 nor IPv6 (untagged or under at most two VLAN tags). */
    NOT_IP(2, "not-ip"),
    /** IPv4 version field is not 4, IHL below 5, or total length inconsistent with the frame. */
    BAD_IPV4_HEADER(3, "bad-ipv4-header"),
    /** IHL above 5, or an IPv6 extension header (hop-by-hop, routing, destination options): not forwarded. */
    IP_OPTIONS(4, "ip-options"),
    /** A fragment (IPv4 MF set or a non-zero offset; an IPv6 fragment header): the L4 ports are not in every fragment. */
    FRAGMENT(5, "fragment"),
    /** TTL (IPv6: hop limit) would reach 0 at this hop. */
    TTL_EXPIRED(6, "ttl-expired"),
    /** Neither TCP, UDP nor ICMP. */
    UNSUPPORTED_PROTOCOL(7, "unsupported-protocol"),
    /** Destination address, port and protocol are not a configured VIP. */
    NOT_A_VIP(8, "not-a-vip"),
    /** The VIP has no real to send to. */
    NO_REAL(9, "no-real"),
    /** The chosen real's next-hop MAC is not resolved yet. */
    NO_NEXT_HOP(10, "no-next-hop"),
    /** The worker could not put the frame on the transmit path. */
    TX_FAILED(11, "tx-failed"),
    /** ICMP to a VIP address that is neither an echo request nor an error (unreachable, time exceeded). */
    ICMP_OTHER(12, "icmp-other"),
    /** An ICMP message whose checksum is wrong: not answered, as a host would not. */
    BAD_CHECKSUM(13, "bad-checksum"),
    /** An ICMP error quoting a packet of no VIP's flow, or too short to quote one. */
    ICMP_NO_FLOW(14, "icmp-no-flow"),
    /** Tunnel mode: too big for the link once encapsulated, and without DF (so no ICMP is owed): not fragmented. */
    TOO_BIG(15, "too-big"),
    /** NAT mode: a packet from a NAT real's address and port that answers no flow this forwarder translated. */
    NAT_NO_FLOW(16, "nat-no-flow"),
    /** IPv6 version field is not 6, or the payload length runs past the frame. */
    BAD_IPV6_HEADER(17, "bad-ipv6-header");

    private static final DropReason[] BY_CODE;

    static
    {
        int max = 0;
        for (final DropReason reason : values())
        {
            max = Math.max(max, reason.code);
        }
        BY_CODE = new DropReason[max + 1];
        for (final DropReason reason : values())
        {
            BY_CODE[reason.code] = reason;
        }
    }

    private final int code;
    private final String label;

    DropReason(final int code, final String label)
    {
        this.code = code;
        this.label = label;
    }

    /** A positive code, stable across versions (it is stored in counters). */
    public int code()
    {
        return code;
    }

    public String label()
    {
        return label;
    }

    /** @return the reason for a code, or null if there is none. */
    public static DropReason ofCode(final int code)
    {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
