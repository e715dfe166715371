package io.sluice.forwarder.host;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.linux.netlink.RtNetlink;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Keeps the data path told the forwarder's own addresses (IPv4 and IPv6) on its interfaces, read again
 * every {@link #INTERVAL_MS}: a NAT real's packets to them (health checks, a ping) belong to
 * the kernel, and an address an operator adds while the forwarder runs counts as soon as it is
 * seen. Runs on the conductor's thread, which also tells the data path its VIPs, so the two
 * never race. Reading addresses allocates; this is the control path.
 */
public final class LocalAddressWatcher implements Agent, AutoCloseable
{
    static final long INTERVAL_MS = 2_000;

    private final RtNetlink netlink;
    private final int[] ifIndexes;
    private final Consumer<List<IpAddress>> dataPath;
    private final EpochClock clock;
    private List<IpAddress> last;
    private long nextReadMs;

    /**
     * @param initial  the addresses the data path was made with ({@link #read}).
     * @param dataPath told each new set (sorted, IPv4 first), on this agent's thread.
     */
    public LocalAddressWatcher(final RtNetlink netlink, final int[] ifIndexes, final List<IpAddress> initial,
        final Consumer<List<IpAddress>> dataPath, final EpochClock clock)
    {
        this.netlink = netlink;
        this.ifIndexes = ifIndexes.clone();
        this.dataPath = dataPath;
        this.clock = clock;
        this.last = initial.stream().sorted().distinct().toList();
        this.nextReadMs = clock.time() + INTERVAL_MS;
    }

    /** The IPv4 and IPv6 addresses of these interfaces, as the kernel lists them now: sorted, IPv4 first. */
    public static List<IpAddress> read(final RtNetlink netlink, final int[] ifIndexes)
    {
        return netlink.addresses().stream()
            .filter((address) -> Arrays.stream(ifIndexes).anyMatch((index) -> index == address.ifIndex()))
            .map((address) -> IpAddress.of(address.address().getAddress()))
            .sorted()
            .distinct()
            .toList();
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
        final List<IpAddress> now = read(netlink, ifIndexes);
        if (now.equals(last))
        {
            return 0;
        }
        last = now;
        dataPath.accept(now);
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
}
