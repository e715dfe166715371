package io.sluice.control.doctor;

/**
 * Whether the interface has as many RX queues as the forwarder's {@code --queues}: with AF_XDP
 * a packet that RSS puts on a queue without a socket goes to the kernel, which drops it, so a
 * share of the flows is never forwarded; and a socket for a queue that does not exist fails to bind.
 */
public final class QueueCountCheck implements Check
{
    static final String NAME = "queues";

    private final String iface;
    private final int queues;

    public QueueCountCheck(final String iface, final int queues)
    {
        this.iface = iface;
        this.queues = queues;
    }

    @Override
    public Finding run(final Host host)
    {
        final String directory = "/sys/class/net/" + iface + "/queues";
        final long rx = host.files().list(directory).stream().filter((queue) -> queue.startsWith("rx-")).count();
        final String fix = "ethtool -L " + iface + " combined " + queues + " (veth: ethtool -L " + iface + " rx " + queues +
            " tx " + queues + ")";
        if (rx == 0)
        {
            return Finding.warn(NAME, "no RX queues listed in " + directory, "ip link show dev " + iface);
        }
        if (rx == queues)
        {
            return Finding.pass(NAME, iface + " has " + rx + " RX queue(s), as --queues " + queues);
        }
        if (rx > queues)
        {
            return Finding.fail(NAME, iface + " has " + rx + " RX queues but --queues is " + queues +
                ": flows RSS puts on queues " + queues + "-" + (rx - 1) + " reach no socket and are not forwarded",
                fix + ", or sluice forwarder --queues " + rx);
        }
        return Finding.fail(NAME, iface + " has " + rx + " RX queue(s) but --queues is " + queues + ": sockets for queues " + rx +
            "-" + (queues - 1) + " cannot bind", fix + ", or sluice forwarder --queues " + rx);
    }
}
