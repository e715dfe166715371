package io.sluice.forwarder;

/** How a forwarder's workers read and write packets. */
public enum IoPath
{
    /** AF_XDP where it can be set up, else AF_PACKET after one line saying why not. */
    AUTO,
    /** AF_XDP: the VIP redirect program and one socket per queue. */
    XDP,
    /** AF_PACKET: a fanout group of TPACKET_V3 sockets, any kernel and NIC. */
    PACKET,
    /**
     * No sockets and no interface: the control file, the conductor, and each worker's tables,
     * counters and packet processor with nothing feeding them packets. For embedding: tests of
     * the control plane, benchmarks that feed a worker's processor from memory.
     */
    NONE
}
