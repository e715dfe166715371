/**
 * Header flyweights for the data path: Ethernet (with up to two VLAN tags), IPv4, IPv6, TCP and
 * UDP headers read and written in place over a frame in ring or UMEM memory, plus
 * {@link io.sluice.forwarder.packet.Checksums} (RFC 1071 and the RFC 1624 incremental update) and
 * the wire constants in {@link io.sluice.forwarder.packet.PacketConstants}. Each flyweight is made
 * once and re-wrapped over every frame, so parsing and rewriting allocate nothing; wrapping checks
 * nothing, and the caller checks lengths first. They sit on Agrona's buffers and are used by the
 * packet processor and the benchmarks; the daemon reads a few of the constants.
 */
package io.sluice.forwarder.packet;
