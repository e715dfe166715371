/**
 * The lab's UDP program: {@link io.sluice.lab.udp.UdpEchoBackend}, run inside a real's namespace
 * with {@code java -cp sluice.jar CLASS}, answers every datagram with its name and the client
 * address it saw, so the UDP lab tests can count who served each datagram in every forwarding mode.
 */
package io.sluice.lab.udp;
