package io.sluice.control.daemon;

import java.nio.file.Path;

/**
 * What `sluice forwarder` was asked to do, validated by the command line before the daemon starts.
 *
 * @param iface         the interface packets arrive on and leave by.
 * @param io            "packet" (AF_PACKET) in this version; "xdp" comes with AF_XDP.
 * @param queues        how many worker agents (one AF_PACKET socket each, joined by PACKET_FANOUT).
 * @param stateDir      where the control file and the persisted configuration live.
 * @param flowsPerWorker flow-table capacity of each worker (a power of two).
 * @param workerCpus    the CPU each worker thread is pinned to, indexed by worker; -1 for not pinned.
 */
public record ForwarderOptions(String iface, String io, int queues, Path stateDir, int flowsPerWorker, int[] workerCpus)
{
    /** Options with no worker pinned. */
    public ForwarderOptions(final String iface, final String io, final int queues, final Path stateDir, final int flowsPerWorker)
    {
        this(iface, io, queues, stateDir, flowsPerWorker, unpinned(queues));
    }

    private static int[] unpinned(final int queues)
    {
        final int[] cpus = new int[Math.max(queues, 0)];
        java.util.Arrays.fill(cpus, -1);
        return cpus;
    }
}
