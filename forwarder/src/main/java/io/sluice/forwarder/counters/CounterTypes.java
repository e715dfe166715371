package io.sluice.forwarder.counters;

/**
 * Type ids of the counters a forwarder keeps in its control file. Every counter is written by
 * exactly one worker (single writer, ordered stores); readers such as {@code sluice stats} sum
 * a counter over workers by its label.
 *
 * <p>Key layout (the counter's key buffer, little-endian):
 * <pre>
 *   offset 0: int worker index
 *   offset 4: type-specific (drop reason code; VIP or real identity, see the label)
 * </pre>
 * Labels are human readable and stable, e.g. {@code "vip 198.18.1.1:80/tcp packets"},
 * {@code "real 198.18.1.1:80/tcp 198.18.0.11 packets"}, {@code "drop ttl-expired"}; a reader
 * groups by (type id, label).
 */
public final class CounterTypes
{
    private CounterTypes()
    {
    }

    public static final int WORKER_RX_PACKETS = 1;
    public static final int WORKER_TX_PACKETS = 2;
    public static final int WORKER_RX_BYTES = 3;
    public static final int WORKER_TX_BYTES = 4;
    /** Packets the worker could not hand to the kernel for transmission (ring or socket full). */
    public static final int WORKER_TX_ERRORS = 5;
    public static final int WORKER_FLOWS_CREATED = 6;
    public static final int WORKER_FLOWS_EVICTED = 7;
    public static final int WORKER_BATCHES = 8;
    /** Echo requests to a VIP address the worker answered. */
    public static final int WORKER_ICMP_ECHO_REPLIES = 9;
    /** ICMP errors about a flow the worker sent on to the flow's real. */
    public static final int WORKER_ICMP_ERRORS_RELAYED = 12;
    /** Tunnel mode: "fragmentation needed" errors sent to clients whose DF packets would not fit once encapsulated. */
    public static final int WORKER_ICMP_TOO_BIG_SENT = 13;
    /** NAT mode: replies from reals translated back to the VIP and sent to the client. */
    public static final int WORKER_NAT_REPLIES = 14;
    /**
     * TCP/UDP frames whose sender left the checksum to the hardware (veth's CHECKSUM_PARTIAL: the
     * field held the pseudo-header sum only) and the worker finished before forwarding them.
     */
    public static final int WORKER_PARTIAL_CHECKSUMS_FINISHED = 15;
    /**
     * The worker's duty cycles: it advances whether packets come or not (an idle worker wakes from
     * poll() every few milliseconds), so one that stands still means a stuck worker (the watchdog).
     */
    public static final int WORKER_HEARTBEAT = 16;

    public static final int VIP_PACKETS = 10;
    public static final int VIP_BYTES = 11;
    /**
     * A worker's self-test of the VIP ("vip 198.18.1.1:80/tcp self-test worker 0"): the table version it
     * tested and the outcome, as {@code io.sluice.forwarder.worker.SelfTestResult} encodes them.
     */
    public static final int VIP_SELF_TEST = 60;

    public static final int REAL_PACKETS = 20;
    public static final int REAL_BYTES = 21;
    /** Written by the conductor (worker index -1): 1 while the real is up, 0 while its health check has it down. */
    public static final int REAL_HEALTH = 22;
    /** Epoch milliseconds of the real's last health change; 0 when it never changed. */
    public static final int REAL_HEALTH_CHANGED_MS = 23;
    /** How many times the real's health changed. */
    public static final int REAL_HEALTH_TRANSITIONS = 24;

    /** Key offset 4 holds the {@link io.sluice.forwarder.dataplane.DropReason} code. */
    public static final int DROPS = 30;

    /** The XDP program's verdicts, summed over CPUs; key offset 4 holds the verdict's index; worker index -1. */
    public static final int XDP_VERDICTS = 31;

    /** An AF_XDP socket's kernel counters ({@code struct xdp_statistics}); key offset 4 says which. */
    public static final int XDP_SOCKET = 32;

    /** Counters of the conductor itself (commands applied, refused, tables published). */
    public static final int CONDUCTOR = 40;

    /**
     * With --bgp, worker index -1: 1 while BIRD announces the VIP address of the label
     * ("bgp vip 198.18.1.1 announced"), else 0.
     */
    public static final int BGP_VIP_ANNOUNCED = 50;
    /** A BGP neighbour's session state, a {@code io.sluice.forwarder.bgp.SessionState} code ("bgp neighbor 198.18.0.1 state"). */
    public static final int BGP_NEIGHBOR_STATE = 51;
    /** How many times a BGP neighbour's session came up ("bgp neighbor 198.18.0.1 established"). */
    public static final int BGP_NEIGHBOR_ESTABLISHED = 52;
    /**
     * The BGP speaker's own counts: "bgp bird restarts", "bgp announcements", "bgp withdrawals",
     * "bgp watchdog withdrawals" (times every VIP was withdrawn because a worker stopped making progress).
     */
    public static final int BGP_SPEAKER = 53;
    /** With BFD on, a neighbour's BFD session, a {@code io.sluice.forwarder.bgp.BfdState} code ("bgp neighbor 198.18.0.1 bfd"). */
    public static final int BGP_NEIGHBOR_BFD = 54;
}
