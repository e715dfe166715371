package io.sluice.linux.bpf;

/**
 * What the VIP redirect program did with a packet: one per-CPU counter each, at index
 * {@link #index()} of the program's verdicts map, so `sluice stats` can say how much traffic
 * the interface passed to the kernel and why.
 */
public enum XdpVerdict
{
    /** Sent to the receiving queue's AF_XDP socket. */
    REDIRECTED("redirected"),
    /** Addressed to a VIP, but no socket is bound on the queue it arrived on: passed to the kernel. */
    NO_SOCKET("no-socket"),
    /** Neither IPv4 nor IPv6 (ARP, LLDP...): passed. */
    NOT_IP("not-ip"),
    /** IP, but not to a VIP's address, port and protocol: passed. */
    NOT_A_VIP("not-a-vip"),
    /** A fragment: no ports to match on: passed. */
    FRAGMENT("fragment"),
    /** Ends inside a header, or an IPv4 header that is not one: passed for the kernel to judge. */
    MALFORMED("malformed");

    private final String label;

    XdpVerdict(final String label)
    {
        this.label = label;
    }

    public int index()
    {
        return ordinal();
    }

    public String label()
    {
        return label;
    }
}
