package io.sluice.control.daemon;

import io.sluice.linux.netlink.InterfaceAddress;
import io.sluice.linux.netlink.RtNetlink;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Keeps the data path told the forwarder's own IPv4 addresses on its interfaces, read again
 * every {@link #INTERVAL_MS}: a NAT real's packets to them (health checks, a ping) belong to
 * the kernel, and an address an operator adds while the forwarder runs counts as soon as it is
 * seen. Runs on the conductor's thread, which also tells the data path its VIPs, so the two
 * never race. Reading addresses allocates; this is the control path.
 */
final class LocalAddressWatcher implements Agent, AutoCloseable
{
    static final long INTERVAL_MS = 2_000;

    private final RtNetlink netlink;
    private final int[] ifIndexes;
    private final Consumer<int[]> dataPath;
    private final EpochClock clock;
    private int[] last;
    private long nextReadMs;

    /**
     * @param initial  the addresses the data path was made with.
     * @param dataPath told each new set (sorted), on this agent's thread.
     */
    LocalAddressWatcher(final RtNetlink netlink, final int[] ifIndexes, final int[] initial, final Consumer<int[]> dataPath,
        final EpochClock clock)
    {
        this.netlink = netlink;
        this.ifIndexes = ifIndexes.clone();
        this.dataPath = dataPath;
        this.clock = clock;
        this.last = sorted(initial);
        this.nextReadMs = clock.time() + INTERVAL_MS;
    }

    /** The IPv4 addresses of these interfaces, as the kernel lists them now. */
    static int[] read(final RtNetlink netlink, final int[] ifIndexes)
    {
        return sorted(netlink.addresses().stream()
            .filter((address) -> address.isIpv4() && Arrays.stream(ifIndexes).anyMatch((index) -> index == address.ifIndex()))
            .mapToInt(InterfaceAddress::ipv4)
            .distinct()
            .toArray());
    }

    @Override
    public int doWork()
    {
        final long nowMs = clock.time();
        if (nowMs < nextReadMs)
        {
            return 0;
        }
        nextReadMs = nowMs + INTERVAL_MS;
        final int[] now = read(netlink, ifIndexes);
        if (Arrays.equals(now, last))
        {
            return 0;
        }
        last = now;
        dataPath.accept(now.clone());
        return 1;
    }

    @Override
    public String roleName()
    {
        return "sluice-local-addresses";
    }

    @Override
    public void close()
    {
        netlink.close();
    }

    private static int[] sorted(final int[] addresses)
    {
        final int[] copy = addresses.clone();
        Arrays.sort(copy);
        return copy;
    }
}
