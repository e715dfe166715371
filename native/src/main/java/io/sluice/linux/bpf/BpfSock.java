package io.sluice.linux.bpf;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code struct bpf_sock} ({@code linux/bpf.h}), the view a program has of the socket a lookup
 * such as {@link BpfHelper#SKC_LOOKUP_TCP} returns. Through a {@code sock_common} pointer the
 * verifier lets it read the fields every kind of TCP socket has, {@code state} among them.
 */
final class BpfSock
{
    static final StructLayout LAYOUT = structLayout(
        JAVA_INT.withName("bound_dev_if"),
        JAVA_INT.withName("family"),
        JAVA_INT.withName("type"),
        JAVA_INT.withName("protocol"),
        JAVA_INT.withName("mark"),
        JAVA_INT.withName("priority"),
        JAVA_INT.withName("src_ip4"),
        MemoryLayout.sequenceLayout(4, JAVA_INT).withName("src_ip6"),
        JAVA_INT.withName("src_port"),
        JAVA_INT.withName("dst_port"),
        JAVA_INT.withName("dst_ip4"),
        MemoryLayout.sequenceLayout(4, JAVA_INT).withName("dst_ip6"),
        JAVA_INT.withName("state"),
        JAVA_INT.withName("rx_queue_mapping"));

    static final int STATE = (int)BpfAttr.offset(LAYOUT, "state");
    /** {@code TCP_LISTEN} ({@code include/net/tcp_states.h}): a listener owns no connection. */
    static final int TCP_LISTEN = 10;

    private BpfSock()
    {
    }
}
