/**
 * AF_PACKET for the portable data path.
 *
 * <ul>
 *   <li>{@link io.sluice.linux.packet.PacketSocket}: receive through a memory-mapped TPACKET_V3
 *       ring (its Javadoc draws the ring and states who owns a block when);</li>
 *   <li>{@link io.sluice.linux.packet.PacketBatchSender}: send up to N frames with one sendmmsg,
 *       straight from the ring;</li>
 *   <li>{@link io.sluice.linux.packet.ClassicBpfProgram} and
 *       {@link io.sluice.linux.packet.ClassicBpfAssembler}: the socket filter that lets only
 *       VIP-addressed IPv4 into the ring.</li>
 * </ul>
 *
 * A worker's loop:
 * <pre>
 * PacketSocket socket = PacketSocket.open("eth0", PacketSocketOptions.defaults()
 *     .withFanoutGroupId(group).withFilter(ClassicBpfProgram.ipv4DestinationFilter(vips)));
 * PacketBatchSender sender = PacketBatchSender.over(socket, 64);
 * while (running) {
 *     if (!socket.nextBlockReady()) { socket.awaitBlock(10); continue; }
 *     int frame = socket.firstFrameOffset();
 *     for (int i = 0, n = socket.blockPacketCount(); i &lt; n; i++) {
 *         int mac = socket.macOffset(frame);          // rewrite in place, then:
 *         if (!sender.add(socket.ringAddress() + mac, socket.snapLength(frame))) { sender.flush(); ... }
 *         frame = socket.nextFrameOffset(frame);
 *     }
 *     sender.flush();                                  // before the block goes back
 *     socket.releaseBlock();
 * }
 * </pre>
 */
package io.sluice.linux.packet;
