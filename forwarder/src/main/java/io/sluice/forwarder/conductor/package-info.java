/**
 * The forwarder's control side, one thread: {@link io.sluice.forwarder.conductor.ConductorAgent}
 * takes commands off the control file's ring buffer, applies each one completely or not at all
 * (new {@link io.sluice.forwarder.config.ForwarderConfig}, counters, the file saved through
 * {@link io.sluice.forwarder.conductor.ConfigFileStore}, Maglev tables built) and publishes a new
 * forwarding table to the workers, so that everything that allocates or blocks stays off the data
 * path. It also re-resolves the reals' next-hop MACs about once a second through a
 * {@link io.sluice.forwarder.conductor.NextHopResolver} and tells a
 * {@link io.sluice.forwarder.conductor.VipSetListener} when the set of VIPs changes, so the socket
 * filter or XDP map that steers packets to the workers follows the configuration. The daemon in
 * the control module wires it up through a {@link io.sluice.forwarder.conductor.ConductorContext}
 * and supplies the resolver and listener.
 */
package io.sluice.forwarder.conductor;
