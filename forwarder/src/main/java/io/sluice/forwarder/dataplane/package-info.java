/**
 * The per-packet work of a worker, one pipeline for IPv4 and IPv6:
 * {@link io.sluice.forwarder.dataplane.PacketProcessor} runs its stages in order, each a file of
 * its own: {@code FrameParser} parses a frame in place into a {@code ParsedFlow} (the flow of
 * either family), {@code RealSelection} finds the flow's real or picks one with the VIP's
 * scheduler and remembers it, and the frame is rewritten for the real by the VIP's mode: DSR,
 * {@code TunnelRewrite} (IP-in-IP) or {@code NatTranslation}, with NAT replies translated back
 * through {@link io.sluice.forwarder.dataplane.NatFlows}; ICMP goes to {@code IcmpRelay} (echo
 * answered, errors relayed to the real of their flow). Only the header parse, the header
 * rewrites, the tunnels and the checksum helpers ({@code L4Checksums}) know the IP version. A
 * packet it cannot handle completely (a fragment, IP options, an expired TTL) is dropped and
 * counted under a {@link io.sluice.forwarder.dataplane.DropReason}, never passed on half-handled,
 * and nothing here allocates or throws on any input, because it runs on the workers' hot loop. It
 * reads the published forwarding table and uses the packet flyweights and the flow table; the
 * workers and the benchmarks call it.
 */
package io.sluice.forwarder.dataplane;
