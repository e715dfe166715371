/**
 * What runs behind {@code sluice forwarder}: {@link io.sluice.control.daemon.ForwarderDaemon}
 * ties the control file, the forwarder's conductor and a data path together and runs them, each
 * agent on its own thread, until SIGTERM or SIGINT. The data path is AF_XDP
 * ({@code XdpDataPath}, the VIP redirect program and one socket per
 * queue) or AF_PACKET ({@code PacketDataPath}, a fanout group of
 * TPACKET_V3 sockets), one forwarder worker each; on the conductor's thread the daemon also
 * resolves reals' next-hop MACs from the kernel's routes and neighbours and keeps the data path
 * told the host's own addresses. It wires the forwarder module's pieces to the native module's
 * sockets, BPF and netlink, and is started by the CLI's {@code forwarder} command.
 */
package io.sluice.control.daemon;
