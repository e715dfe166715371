/**
 * The forwarder's worker threads, each an Agrona agent:
 * {@link io.sluice.forwarder.worker.PacketWorkerAgent} for the portable AF_PACKET path (a
 * TPACKET_V3 ring in a fanout group, sent back out with {@code sendmmsg}) and
 * {@link io.sluice.forwarder.worker.XdpWorkerAgent} for the AF_XDP path (UMEM frames forwarded
 * without a copy). Each owns its socket, flow table and counters, reads the published forwarding
 * table once per duty cycle and runs every packet through the packet processor, allocating
 * nothing. {@link io.sluice.forwarder.worker.PollIdleStrategy} lets an idle worker sleep in
 * {@code poll()} on its socket. The sockets come from the native module; the daemon in the control
 * module starts the workers.
 */
package io.sluice.forwarder.worker;
