package io.sluice.linux.bpf;

import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code struct xdp_md} ({@code linux/bpf.h}): the context an XDP program gets in r1. Loads from
 * it are 32-bit at these offsets; the verifier rewrites {@code data} and {@code data_end} into
 * packet pointers, which is why it tracks bounds checks against {@code data_end}.
 */
final class XdpMd
{
    static final StructLayout LAYOUT = structLayout(
        JAVA_INT.withName("data"),
        JAVA_INT.withName("data_end"),
        JAVA_INT.withName("data_meta"),
        JAVA_INT.withName("ingress_ifindex"),
        JAVA_INT.withName("rx_queue_index"),
        JAVA_INT.withName("egress_ifindex"));

    static final int DATA = (int)BpfAttr.offset(LAYOUT, "data");
    static final int DATA_END = (int)BpfAttr.offset(LAYOUT, "data_end");
    static final int INGRESS_IFINDEX = (int)BpfAttr.offset(LAYOUT, "ingress_ifindex");
    static final int RX_QUEUE_INDEX = (int)BpfAttr.offset(LAYOUT, "rx_queue_index");

    private XdpMd()
    {
    }
}
