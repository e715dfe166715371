package io.sluice.forwarder.dataplane;

import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.flow.FlowHash;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;
import org.agrona.MutableDirectBuffer;

import java.util.concurrent.TimeUnit;

import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_TCP;

/**
 * The per-packet work of one worker, one pipeline for IPv4 and IPv6 (as Katran's
 * {@code process_packet}): {@link FrameParser} parses the frame in place into a {@link ParsedFlow};
 * ICMP goes to {@link IcmpRelay}; otherwise the VIP is looked up, {@link RealSelection} finds the
 * flow's real (or picks one with the VIP's scheduler and remembers it), and the frame is
 * rewritten in place for the real, by the VIP's mode:
 * <ul>
 *   <li>DSR: destination MAC the real's, source MAC ours, one hop less (IPv4's header checksum
 *       patched). Addresses and ports are untouched, so the real, which has the VIP on its
 *       loopback, answers the client directly.</li>
 *   <li>tunnel: as DSR, then inside an outer header to the real ({@link TunnelRewrite}).</li>
 *   <li>gue: as tunnel, inside outer IPv4, UDP and GUE headers that carry, for a VIP with second
 *       chance, the flow's second real ({@link GueHeader}, {@link RealSelection#secondary()}).</li>
 *   <li>NAT: the destination becomes the real's address and port; the real routes its replies
 *       back through us, and {@link NatTranslation} translates them back to the VIP.</li>
 * </ul>
 * Only the header parse, the header rewrites and the checksum helpers know the IP version.
 *
 * <p>The forwarder is the client's next hop for the VIP, so it behaves as a router hop (TTL).
 * It does not forward what it cannot hash consistently (fragments: later ones carry no ports)
 * or does not understand (IP options, IPv6 extension headers); such packets are dropped and
 * counted, never passed on half-handled.
 *
 * <p>A TCP or UDP frame whose sender left its checksum to the hardware (veth, so containers) is
 * finished before it is rewritten ({@link L4Checksums#finishIfPartial}), on every path that
 * forwards one and for both IP versions: AF_XDP hands such frames over unfinished, and a real
 * would drop them.
 *
 * <p>Owned by one worker thread. Nothing here allocates or throws on any input: flyweights and
 * the flow table are fields, every drop is a counter increment and a return code.
 */
public final class PacketProcessor
{
    /** {@link #process} forwarded the frame: it has been rewritten in place, same offset and length. */
    public static final int FORWARD = 0;
    /** How long a TCP flow is remembered after its last packet; long enough for idle keep-alive connections. */
    public static final long TCP_IDLE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(300);
    /** How long a UDP flow is remembered after its last packet; request/response protocols are short. */
    public static final long UDP_IDLE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    /** What {@link #flowHash} returns for a frame that will not reach the flow table (outside the hashes' range). */
    public static final long NO_FLOW = -1L;
    public static final int DEFAULT_MTU = 1500;
    /** gue mode's UDP destination port by default: GUE's IANA port, also {@code sluice decap}'s default. */
    public static final int DEFAULT_GUE_PORT = 6080;
    /** 172.16.0.0/16, Katran's default for outer sources. */
    public static final int DEFAULT_TUNNEL_PREFIX = 0xAC10_0000;
    private static final int TTL_EXPIRED = DropReason.TTL_EXPIRED.code();
    private static final int NOT_A_VIP = DropReason.NOT_A_VIP.code();
    private static final int NO_REAL = DropReason.NO_REAL.code();
    private static final int NO_NEXT_HOP = DropReason.NO_NEXT_HOP.code();
    private static final int TOO_BIG = DropReason.TOO_BIG.code();
    private static final int NAT_NO_FLOW = DropReason.NAT_NO_FLOW.code();

    /** How long a flow of this IP protocol (TCP, else UDP) is remembered after its last packet. */
    static long idleTimeoutNs(final int ipProtocol)
    {
        return ipProtocol == IP_PROTOCOL_TCP ? TCP_IDLE_TIMEOUT_NS : UDP_IDLE_TIMEOUT_NS;
    }

    private final int workerIndex;
    // Not final: probe() puts its scratch ones in their place for the one call.
    private WorkerCounters counters;
    private final ParsedFlow flow = new ParsedFlow();
    private RealSelection reals;
    private final FlowCensus census;
    private final TunnelRewrite tunnel = new TunnelRewrite();
    private NatTranslation nat;
    /** Whether the frame being processed is {@link #probe}'s: the VIP's and real's counters are left alone. */
    private boolean probing;
    private final IcmpRelay icmp;
    private long localMac;
    private long egressMac;
    /** Keeps {@link #prefetchFlows}'s loads from being optimised away; never read for anything else. */
    private long prefetchSink;
    private int forwardedOffset;
    private int forwardedLength;
    private boolean forwardedToClient;
    /** Whether the frame {@link #process} last forwarded is the parsed flow's own TCP or UDP segment. */
    private boolean forwardedSegment;
    /** Whether {@link L4Checksums#finishIfPartial} finished the frame {@link #process} last forwarded. */
    private boolean transportChecksumFinished;

    /**
     * @param workerIndex which slot of the per-worker VIP and real counters this worker writes.
     * @param flows       this worker's own flow table.
     * @param counters    this worker's own counters.
     */
    public PacketProcessor(final int workerIndex, final FlowTable flows, final WorkerCounters counters)
    {
        this(workerIndex, flows, new NatFlows(FlowTable.withPayload(flows.capacity())), counters);
    }

    /**
     * @param nat this worker's NAT reply translations; the caller closes its table once the
     *            worker has stopped.
     */
    public PacketProcessor(final int workerIndex, final FlowTable flows, final NatFlows nat, final WorkerCounters counters)
    {
        this.workerIndex = workerIndex;
        this.counters = counters;
        this.reals = new RealSelection(workerIndex, flows, counters);
        this.census = new FlowCensus(workerIndex, flows);
        this.nat = new NatTranslation(nat);
        this.icmp = new IcmpRelay(reals, this.nat);
    }

    /**
     * Counts the next slice of this worker's live flows for the table's least-connection VIPs
     * ({@link FlowCensus}); once per duty cycle, whether packets came or not.
     */
    public void countFlows(final ForwardingTable table, final long nowNs)
    {
        census.step(table, nowNs);
    }

    /** This worker's NAT reply translations. */
    public NatFlows nat()
    {
        return nat.flows();
    }

    /**
     * The MTU of the link to the reals: tunnel and gue modes answer a packet that would exceed it once
     * encapsulated (an IPv4 one only with DF set).
     */
    public void mtu(final int mtu)
    {
        tunnel.mtu(mtu);
    }

    /**
     * Tunnel and gue modes' outer IPv4 source addresses: {@code prefix}/{@code length}, the host bits
     * taken from the flow's hash, so each flow keeps one outer source and the receiver's RSS
     * spreads flows over its queues (as Katran does).
     */
    public void tunnelSource(final int prefix, final int length)
    {
        tunnel.source(prefix, length);
    }

    /** gue mode's UDP destination port: the one the reals' {@code sluice decap --gue-port} listens on. */
    public void guePort(final int port)
    {
        tunnel.guePort(port);
    }

    /** Where the frame {@link #process} last forwarded starts now (encapsulation moves it back). */
    public int forwardedOffset()
    {
        return forwardedOffset;
    }

    /** The length of the frame {@link #process} last forwarded (encapsulation adds 20 or 40, an ICMP error is shorter). */
    public int forwardedLength()
    {
        return forwardedLength;
    }

    /**
     * Sets our interface's MAC (48 bits, wire order), the source MAC of every frame we send, and
     * of frames to reals too unless an {@link #egressMac} is set after it.
     */
    public void localMac(final long mac)
    {
        this.localMac = mac;
        this.egressMac = mac;
    }

    /**
     * With two interfaces ({@code --egress-iface}): the MAC of the one the reals are reached by,
     * the source MAC of frames to reals. Frames to clients keep {@link #localMac}.
     */
    public void egressMac(final long mac)
    {
        this.egressMac = mac;
    }

    /**
     * Whether the frame {@link #process} last forwarded goes back toward the client (an echo
     * reply, a "fragmentation needed", a NAT reply) rather than to a real: with two interfaces
     * it leaves by the first.
     */
    public boolean forwardedToClient()
    {
        return forwardedToClient;
    }

    public long localMac()
    {
        return localMac;
    }

    /**
     * Parses in place, finds the VIP, the flow or a new real, rewrites for the VIP's mode; or
     * answers an ICMP echo request to a VIP address in the same frame, or relays an ICMP error.
     *
     * @param buffer  holds the frame (typically the whole RX ring).
     * @param offset  where the frame's Ethernet header starts.
     * @param length  the frame's bytes, without FCS.
     * @param table   the forwarding table the worker read for this batch.
     * @param nowNs   the worker's clock for this batch, for flow expiry.
     * @return {@link #FORWARD} (frame rewritten in place, now at {@link #forwardedOffset()} for
     *         {@link #forwardedLength()} bytes: the same unless tunnel or gue mode encapsulated
     *         it or answered it; the buffer must have 48 bytes of headroom before {@code offset}:
     *         IPv6 and gue encapsulation take up to 40, a "packet too big" 48) or a
     *         {@link DropReason} code, already counted in the worker's drop counters; a dropped
     *         frame is left as it came.
     */
    public int process(
        final MutableDirectBuffer buffer, final int offset, final int length, final ForwardingTable table, final long nowNs)
    {
        final ParsedFlow flow = this.flow;
        int verdict = FrameParser.parse(buffer, offset, length, flow);
        if (verdict == FrameParser.PARSED)
        {
            forwardedOffset = offset;
            forwardedLength = length;
            forwardedToClient = false;
            forwardedSegment = false;
            transportChecksumFinished = false;
            verdict = flow.isIcmp() ? icmp(buffer, table, nowNs) : forward(buffer, offset, length, table, nowNs);
        }
        if (verdict != FORWARD)
        {
            counters.drop(verdict);
        }
        return verdict;
    }

    /** A parsed TCP or UDP frame: to a VIP's real, or a NAT real's reply back to its client. */
    private int forward(
        final MutableDirectBuffer buffer, final int offset, final int length, final ForwardingTable table, final long nowNs)
    {
        final ParsedFlow flow = this.flow;
        final long idleTimeoutNs = idleTimeoutNs(flow.protocol());
        final VipEntry vip = flow.vip(table);
        if (null == vip)
        {
            return flow.fromNatReal(table) ? natReply(buffer, table, nowNs, idleTimeoutNs) : NOT_A_VIP;
        }
        if (flow.hopLimit() <= 1)
        {
            return TTL_EXPIRED;
        }

        final long key0 = flow.key0();
        final long key1 = flow.key1();
        final int hash = FlowHash.hash(key0, key1);
        final RealEntry real = reals.realFor(vip, flow, key0, key1, hash, nowNs, idleTimeoutNs);
        if (null == real)
        {
            return NO_REAL;
        }
        if (!real.macResolved())
        {
            return NO_NEXT_HOP;
        }

        final ForwardingMode mode = vip.spec().mode();
        final RealEntry hop = mode == ForwardingMode.GUE && vip.secondaries() != null ? reals.secondary() : null;
        final int outerLength = mode == ForwardingMode.TUNNEL ? TunnelRewrite.outerLength(flow) :
            mode == ForwardingMode.GUE ? TunnelRewrite.gueLength(hop) : 0;
        if (outerLength != 0 && tunnel.tooBig(flow, outerLength))
        {
            return tooBig(buffer, offset, outerLength);
        }
        // The client's packet itself is forwarded from here on (a dropped frame is left as it came): finished before any rewrite.
        finishPartialChecksum(buffer);
        final long clientMac = mode == ForwardingMode.NAT ? flow.ethernet().sourceMac() : 0L;
        flow.ethernet().destinationMac(real.mac()).sourceMac(egressMac);
        if (mode == ForwardingMode.NAT)
        {
            nat.toReal(buffer, flow, vip, real, reals.flows(), reals.flowValue(), clientMac, nowNs, idleTimeoutNs);
        }
        flow.decrementHopLimit();
        if (outerLength != 0)
        {
            forwardedOffset = mode == ForwardingMode.GUE ? tunnel.encapsulateGue(buffer, offset, flow, real, hop, hash) :
                tunnel.encapsulate(buffer, offset, flow, real, hash);
            forwardedLength = length + outerLength;
        }
        forwardedSegment = true;
        if (probing)
        {
            return FORWARD;
        }

        final int workerIndex = this.workerIndex;
        vip.packetsByWorker()[workerIndex].incrementRelease();
        vip.bytesByWorker()[workerIndex].getAndAddRelease(length);
        real.packetsByWorker()[workerIndex].incrementRelease();
        real.bytesByWorker()[workerIndex].getAndAddRelease(length);
        return FORWARD;
    }

    /**
     * The worker's self-test: {@link #process} on a synthetic frame, as a client's frame would go
     * (this worker's MACs, MTU and tunnel source, the table given), leaving no trace: its flow and
     * NAT translation go into the scratch's tables, whatever it counts into the scratch's
     * counters, and the VIP's and real's counters stay as they were. The caller sends nothing.
     * (As for any new flow, a round-robin VIP's rotation moves on by one, and a least-connection
     * VIP counts one flow more on the real until this worker's next census of its flows.)
     *
     * @return what {@link #process} returned; with {@link #FORWARD}, {@link #forwardedToClient()}
     *         tells a frame to a real from an answer to the sender.
     */
    public int probe(final MutableDirectBuffer buffer, final int offset, final int length, final ForwardingTable table,
        final long nowNs, final ProbeScratch scratch)
    {
        final WorkerCounters liveCounters = counters;
        final RealSelection liveReals = reals;
        final NatTranslation liveNat = nat;
        counters = scratch.counters;
        reals = scratch.reals;
        nat = scratch.nat;
        probing = true;
        try
        {
            return process(buffer, offset, length, table, nowNs);
        }
        finally
        {
            counters = liveCounters;
            reals = liveReals;
            nat = liveNat;
            probing = false;
        }
    }

    /** Tunnel or gue mode, a packet too big once encapsulated: answered to its sender, or dropped when IPv4 may fragment it. */
    private int tooBig(final MutableDirectBuffer buffer, final int offset, final int outerLength)
    {
        if (!tunnel.answerTooBig(buffer, offset, flow, localMac, outerLength))
        {
            return TOO_BIG;
        }
        forwardedOffset = tunnel.replyOffset();
        forwardedLength = tunnel.replyLength();
        forwardedToClient = true;
        counters.icmpTooBigSent.incrementRelease();
        return FORWARD;
    }

    /**
     * NAT, real to client: a packet from a NAT real's address and port is a reply if some worker
     * translated the flow; its source becomes the VIP's address and port again and it goes to
     * the MAC the client's packets came from.
     */
    private int natReply(
        final MutableDirectBuffer buffer, final ForwardingTable table, final long nowNs, final long idleTimeoutNs)
    {
        final ParsedFlow flow = this.flow;
        final long value = nat.findReply(flow, table, nowNs, idleTimeoutNs);
        if (value == FlowTable.MISSING)
        {
            return NAT_NO_FLOW;
        }
        if (flow.hopLimit() <= 1)
        {
            return TTL_EXPIRED;
        }
        finishPartialChecksum(buffer);
        nat.toClient(buffer, flow, value, localMac, nowNs, idleTimeoutNs);
        flow.decrementHopLimit();
        forwardedSegment = true;
        forwardedToClient = true;
        counters.natReplies.incrementRelease();
        return FORWARD;
    }

    private int icmp(final MutableDirectBuffer buffer, final ForwardingTable table, final long nowNs)
    {
        final IcmpRelay icmp = this.icmp;
        final int verdict = icmp.handle(buffer, flow, table, localMac, egressMac, nowNs);
        if (verdict == FORWARD)
        {
            forwardedToClient = icmp.toClient();
            (icmp.echoReply() ? counters.icmpEchoReplies : counters.icmpErrorsRelayed).incrementRelease();
        }
        return verdict;
    }

    /** {@link L4Checksums#finishIfPartial}, counted; the parsed flow must be the frame's. */
    private void finishPartialChecksum(final MutableDirectBuffer buffer)
    {
        if (L4Checksums.finishIfPartial(buffer, flow))
        {
            transportChecksumFinished = true;
            counters.partialChecksumsFinished.incrementRelease();
        }
    }

    /**
     * Completes the TCP or UDP checksum of the frame {@link #process} just forwarded, for a frame
     * whose sender offloaded it (the ring marks it TP_STATUS_CSUMNOTREADY: locally generated or
     * veth traffic that never crossed a NIC). Such a checksum field holds only a partial sum, so
     * the checksum is computed whole, over the pseudo-header of the addresses the frame now
     * carries (NAT changed them) and the segment; unless {@code process} recognised the partial
     * sum and finished it already. An ICMP message's checksum is complete: ICMP is never
     * offloaded. Valid only right after {@code process} returned FORWARD.
     */
    public void completeTransportChecksum(final MutableDirectBuffer buffer)
    {
        if (forwardedSegment && !transportChecksumFinished)
        {
            L4Checksums.write(buffer, flow);
        }
    }

    /**
     * The first pass over a batch: parses a frame just far enough to hash its flow, changing
     * nothing. Frames that do not parse are left for {@link #process} to count.
     *
     * @return the flow's hash (0 to 2^32 - 1) for {@link #prefetchFlows}, or {@link #NO_FLOW}.
     */
    public long flowHash(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        final ParsedFlow flow = this.flow;
        if (FrameParser.parse(buffer, offset, length, flow) != FrameParser.PARSED || flow.isIcmp())
        {
            return NO_FLOW;
        }
        return FlowHash.hash(flow.key0(), flow.key1()) & 0xFFFF_FFFFL;
    }

    /**
     * The second pass over a batch: touches the flow-table bucket of every hash the first pass
     * returned, changing nothing, before {@link #process} runs on each frame. The table is far
     * larger than the caches once it holds many flows; a loop this small (a few instructions per
     * load) lets the CPU keep most of the batch's misses in flight at once, where loads spread
     * through the parsing would each wait behind the one before. Each load's address comes from
     * its hash alone, never from an earlier load, so none waits for another; their sum is stored
     * in a field, so the JIT cannot drop them (Java has no prefetch instruction: a load whose
     * result is kept is the portable one).
     */
    public void prefetchFlows(final long[] hashes, final int count)
    {
        final FlowTable flows = reals.flows();
        long sink = 0;
        for (int i = 0; i < count; i++)
        {
            final long hash = hashes[i];
            if (hash != NO_FLOW)
            {
                sink += flows.touch((int)hash);
            }
        }
        prefetchSink += sink;
    }
}
