package io.sluice.linux.bpf;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct bpf_fib_lookup} ({@code linux/bpf.h}) as an IPv4 lookup sees it: what
 * {@link BpfHelper#FIB_LOOKUP} reads (family, input ifindex, addresses) and writes (the egress
 * ifindex over the input one, and the MACs to put on the frame). The unions are laid out by
 * their IPv4 member; the IPv6 addresses that share them make the struct 64 bytes.
 */
final class FibLookup
{
    static final StructLayout LAYOUT = structLayout(
        JAVA_BYTE.withName("family"),
        JAVA_BYTE.withName("l4_protocol"),
        JAVA_SHORT.withName("sport"),
        JAVA_SHORT.withName("dport"),
        JAVA_SHORT.withName("tot_len"),
        JAVA_INT.withName("ifindex"),
        JAVA_INT.withName("tos"),
        JAVA_INT.withName("ipv4_src"),
        MemoryLayout.paddingLayout(12),
        JAVA_INT.withName("ipv4_dst"),
        MemoryLayout.paddingLayout(12),
        JAVA_INT.withName("vlan"),
        MemoryLayout.sequenceLayout(6, JAVA_BYTE).withName("smac"),
        MemoryLayout.sequenceLayout(6, JAVA_BYTE).withName("dmac"));

    static final int LENGTH = (int)LAYOUT.byteSize();
    static final int FAMILY = (int)BpfAttr.offset(LAYOUT, "family");
    static final int L4_PROTOCOL = (int)BpfAttr.offset(LAYOUT, "l4_protocol");
    static final int IFINDEX = (int)BpfAttr.offset(LAYOUT, "ifindex");
    static final int IPV4_SRC = (int)BpfAttr.offset(LAYOUT, "ipv4_src");
    static final int IPV4_DST = (int)BpfAttr.offset(LAYOUT, "ipv4_dst");
    static final int SMAC = (int)BpfAttr.offset(LAYOUT, "smac");
    static final int DMAC = (int)BpfAttr.offset(LAYOUT, "dmac");

    static final int AF_INET = 2;
    /** {@code BPF_FIB_LKUP_RET_SUCCESS}: the route is a unicast one and its neighbour's MAC is known. */
    static final int SUCCESS = 0;
    /** {@code BPF_FIB_LKUP_RET_NO_NEIGH}: a route, but no valid neighbour entry for its next hop. */
    static final int NO_NEIGHBOUR = 7;

    private FibLookup()
    {
    }
}
