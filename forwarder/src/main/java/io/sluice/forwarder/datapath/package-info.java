/**
 * The worker side of a running forwarder, opened by {@link io.sluice.forwarder.Forwarder#launch}:
 * AF_XDP ({@code XdpDataPath}: the VIP redirect program on each interface and one socket per
 * queue) or AF_PACKET ({@code PacketDataPath}: a fanout group of TPACKET_V3 sockets), or no
 * sockets at all for an embedded forwarder. Each makes its workers with one
 * {@link io.sluice.forwarder.datapath.WorkerFactory} (flow and NAT tables, counters, the packet
 * processor, the idle strategy); the two I/O paths differ only in their sockets and in how VIP
 * packets are steered to them, which they keep in step with the conductor's VIP set.
 */
package io.sluice.forwarder.datapath;
