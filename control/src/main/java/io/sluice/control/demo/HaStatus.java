package io.sluice.control.demo;

import io.sluice.lab.Lab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one-line status {@code sluice demo --ha} prints every second while its load runs: new
 * connections answered and failed, long-lived connections alive, the router's next hops for the
 * VIP, and each forwarder's share of the packets that reached the forwarders in that second (its
 * eth0's receive counter: which forwarder the router sent the flows to, without asking either).
 */
final class HaStatus implements AutoCloseable
{
    private static final long PERIOD_MS = 1_000;

    private final DemoOutput out;
    private final Lab lab;
    private final EcmpRouter router;
    private final String vip;
    private final FailoverLoad load;
    private final int longLived;
    private final int forwarders;
    private final long startNs = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;

    private HaStatus(final DemoOutput out, final Lab lab, final EcmpRouter router, final String vip, final FailoverLoad load,
        final int longLived, final int forwarders)
    {
        this.out = out;
        this.lab = lab;
        this.router = router;
        this.vip = vip;
        this.load = load;
        this.longLived = longLived;
        this.forwarders = forwarders;
        this.thread = Thread.ofPlatform().daemon().name("demo-ha-status").unstarted(this::printEverySecond);
    }

    static HaStatus start(final DemoOutput out, final Lab lab, final EcmpRouter router, final String vip, final FailoverLoad load,
        final int longLived, final int forwarders)
    {
        final HaStatus status = new HaStatus(out, lab, router, vip, load, longLived, forwarders);
        status.thread.start();
        return status;
    }

    /** The forwarder host a next hop of the router is. */
    private String hostOf(final String address)
    {
        for (int k = 1; k <= forwarders; k++)
        {
            if (lab.address(Lab.forwarderHost(k)).equals(address))
            {
                return Lab.forwarderHost(k);
            }
        }
        return address;
    }

    private void printEverySecond()
    {
        try
        {
            printUntilClosed();
        }
        catch (final RuntimeException labGone)
        {
            // the lab was torn down under it (Ctrl-C): the demo is ending, there is nothing left to show
        }
    }

    private void printUntilClosed()
    {
        FailoverLoad.Counts last = load.counts();
        long[] lastPackets = packets();
        while (running)
        {
            try
            {
                Thread.sleep(PERIOD_MS);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            final FailoverLoad.Counts now = load.counts();
            final long[] packets = packets();
            final FailoverLoad.Counts second = now.minus(last);
            final StringBuilder line = new StringBuilder(String.format("  %3ds  new connections %6d ok %3d failed (%3d/s)  " +
                    "long-lived %d/%d alive  router -> %-10s  packets in:",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNs), now.ok(), now.failed(),
                second.ok() + second.failed(),
                longLived - load.longLivedFailures().size(), longLived, nextHopHosts()));
            final long total = sum(packets) - sum(lastPackets);
            for (int k = 1; k <= forwarders; k++)
            {
                line.append(String.format(" %s %3d%%", Lab.forwarderHost(k),
                    total <= 0 ? 0 : 100 * (packets[k - 1] - lastPackets[k - 1]) / total));
            }
            out.line(line.toString());
            last = now;
            lastPackets = packets;
        }
    }

    private String nextHopHosts()
    {
        final List<String> hosts = new ArrayList<>();
        for (final String hop : router.nextHops(vip))
        {
            hosts.add(hostOf(hop));
        }
        return hosts.isEmpty() ? "(no route)" : String.join(",", hosts);
    }

    private long[] packets()
    {
        final long[] packets = new long[forwarders];
        for (int k = 1; k <= forwarders; k++)
        {
            packets[k - 1] = lab.linkCounter(Lab.forwarderHost(k), "rx_packets");
        }
        return packets;
    }

    private static long sum(final long[] values)
    {
        long sum = 0;
        for (final long value : values)
        {
            sum += value;
        }
        return sum;
    }

    @Override
    public void close() throws InterruptedException
    {
        running = false;
        thread.interrupt();
        thread.join(PERIOD_MS * 5);
    }
}
