/**
 * Announcing VIPs over BGP through BIRD, so that several forwarders can stand behind a router's
 * ECMP route: {@link io.sluice.forwarder.bgp.BgpConfig} is the validated BGP file (read from a map,
 * so this module needs no YAML library), {@link io.sluice.forwarder.bgp.BirdConfigText} writes
 * BIRD's configuration from it, {@link io.sluice.forwarder.bgp.BirdSupervisor} runs BIRD as a child
 * that dies with the forwarder and drives it over its control socket
 * ({@link io.sluice.forwarder.bgp.BirdControl}), and {@link io.sluice.forwarder.bgp.VipAnnouncer},
 * an agent on the conductor's thread, decides what to announce: a VIP address only while the data
 * path runs and one of its VIPs has a Maglev table with a healthy real whose next hop is known, a
 * self-test packet to it went through every worker
 * ({@link io.sluice.forwarder.conductor.SelfTestGate}), and no worker is stuck ({@link io.sluice.forwarder.bgp.WorkerWatchdog} reads their heartbeats). It
 * lives here, beside the conductor, because only the forwarder knows what it can serve; the
 * command line only turns the YAML file into a map.
 */
package io.sluice.forwarder.bgp;
