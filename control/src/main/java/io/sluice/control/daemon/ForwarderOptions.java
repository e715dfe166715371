package io.sluice.control.daemon;

import io.sluice.forwarder.config.Ipv4Prefix;
import io.sluice.linux.bpf.XdpMode;
import io.sluice.linux.xdp.XdpBindMode;

import java.nio.file.Path;

/**
 * What `sluice forwarder` was asked to do, validated by the command line before the daemon starts.
 *
 * @param iface          the interface packets arrive on and leave by (clients' side, with an egress interface).
 * @param io             how packets are read and written.
 * @param queues         how many worker agents: AF_XDP, one socket per queue 0..N-1; AF_PACKET,
 *                       one socket each, joined by PACKET_FANOUT.
 * @param stateDir       where the control file and the persisted configuration live.
 * @param flowsPerWorker flow-table capacity of each worker (a power of two).
 * @param workerCpus     the CPU each worker thread is pinned to, indexed by worker; -1 for not pinned.
 * @param xdpMode        where the XDP program runs; null for native, else generic.
 * @param xdpBindMode    how AF_XDP sockets share memory with the driver.
 * @param tunnelSource   tunnel mode's outer source addresses (host bits from the flow's hash).
 * @param egressIface    the interface packets to reals leave by (and NAT replies arrive on), or
 *                       null when that is {@code iface} too.
 */
public record ForwarderOptions(
    String iface, Io io, int queues, Path stateDir, int flowsPerWorker, int[] workerCpus, XdpMode xdpMode, XdpBindMode xdpBindMode,
    Ipv4Prefix tunnelSource, String egressIface)
{
    /** The I/O path: AF_XDP, AF_PACKET, or AF_XDP where it can be set up and AF_PACKET otherwise. */
    public enum Io
    {
        AUTO, XDP, PACKET
    }

    /** AF_PACKET options with no worker pinned. */
    public ForwarderOptions(final String iface, final int queues, final Path stateDir, final int flowsPerWorker)
    {
        this(iface, Io.PACKET, queues, stateDir, flowsPerWorker, unpinned(queues), null, XdpBindMode.AUTO, Ipv4Prefix.DEFAULT_TUNNEL_SOURCE,
            null);
    }

    private static int[] unpinned(final int queues)
    {
        final int[] cpus = new int[Math.max(queues, 0)];
        java.util.Arrays.fill(cpus, -1);
        return cpus;
    }
}
