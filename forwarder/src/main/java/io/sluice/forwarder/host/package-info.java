/**
 * What a forwarder learns from the host's kernel over rtnetlink, off the data path: its
 * interfaces and their addresses at start ({@link io.sluice.forwarder.host.HostInterfaces}), the
 * addresses as they change ({@link io.sluice.forwarder.host.LocalAddressWatcher}, on the
 * conductor's thread), and reals' next-hop MACs from routes and neighbours
 * ({@link io.sluice.forwarder.host.NeighbourResolver}).
 */
package io.sluice.forwarder.host;
