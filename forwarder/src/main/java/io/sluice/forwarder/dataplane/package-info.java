/**
 * The per-packet work of a worker: {@link io.sluice.forwarder.dataplane.PacketProcessor} parses a
 * frame in place, finds its VIP and its flow's real (or picks one with the VIP's scheduler and
 * remembers it) and rewrites the frame for the real by the VIP's mode: DSR, IP-in-IP tunnel or
 * NAT, with NAT replies translated back through {@link io.sluice.forwarder.dataplane.NatFlows}.
 * IPv6, tunnel encapsulation, NAT rewrites and answering pings to a VIP are helpers of the
 * processor in this package. A packet it cannot handle completely (a fragment, IP options, an
 * expired TTL) is dropped and counted under a {@link io.sluice.forwarder.dataplane.DropReason},
 * never passed on half-handled, and nothing here allocates or throws on any input, because it runs
 * on the workers' hot loop. It reads the published forwarding table
 * and uses the packet flyweights and the flow table; the workers and the benchmarks call it.
 */
package io.sluice.forwarder.dataplane;
