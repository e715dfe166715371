package io.sluice.control.demo;

import io.sluice.lab.ExecResult;
import io.sluice.lab.Lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The router of a lab built with {@link Lab#upBehindRouter}: BIRD in its namespace, a BGP session
 * with BFD to each forwarder host, every equal path merged into one ECMP kernel route; and the BGP
 * file each forwarder is given ({@code sluice forwarder --bgp}). What the BGP lab test and
 * {@code sluice demo --ha} both stand up, and how they read the router's next hops for a VIP.
 */
public final class EcmpRouter
{
    public static final long LOCAL_AS = 65001;
    public static final long ROUTER_AS = 65000;
    public static final int BFD_INTERVAL_MS = 100;
    public static final int BFD_MULTIPLIER = 3;
    private static final long ROUTE_POLL_MS = 10;
    private static final Pattern NEXT_HOP = Pattern.compile("via (198\\.18\\.0\\.[0-9]+)");

    private final Lab lab;
    private final Process bird;

    private EcmpRouter(final Lab lab, final Process bird)
    {
        this.lab = lab;
        this.bird = bird;
    }

    /** Writes the router's BIRD configuration into {@code dir} and starts BIRD in the router (stopped with the lab). */
    public static EcmpRouter start(final Lab lab, final int forwarders, final Path dir) throws IOException
    {
        final Path config = Files.writeString(dir.resolve("router-bird.conf"), birdConfig(lab, forwarders));
        return new EcmpRouter(lab, lab.spawn(Lab.ROUTER, "bird", "-f", "-c", config.toString(), "-s",
            dir.resolve("router-bird.ctl").toString()));
    }

    public Process bird()
    {
        return bird;
    }

    /** Writes a forwarder host's BGP file into {@code dir}: its session to the router, BFD as the router runs it. */
    public static Path writeBgpFile(final Lab lab, final String host, final Path dir) throws IOException
    {
        final String file = "local_as: " + LOCAL_AS + "\n" +
            "router_id: " + lab.address(host) + "\n" +
            "neighbors:\n" +
            "  - { address: " + Lab.ROUTER_ADDRESS + ", as: " + ROUTER_AS + " }\n" +
            "hold: 9s\n" +
            "bfd: { interval: " + BFD_INTERVAL_MS + "ms, multiplier: " + BFD_MULTIPLIER + " }\n" +
            "communities: [\"" + LOCAL_AS + ":100\"]\n";
        return Files.writeString(dir.resolve("bgp-" + host + ".yaml"), file);
    }

    /** The next hops of the router's kernel route to {@code vip} ({@code ip route show VIP} in its namespace); none: no route. */
    public List<String> nextHops(final String vip)
    {
        final ExecResult route = lab.exec(Lab.ROUTER, "ip", "-4", "route", "show", vip).orThrow();
        final List<String> hops = new ArrayList<>();
        final Matcher matcher = NEXT_HOP.matcher(route.stdout());
        while (matcher.find())
        {
            hops.add(matcher.group(1));
        }
        return hops;
    }

    /**
     * Polls the router's route every {@link #ROUTE_POLL_MS} ms until it has {@code expected} next hops.
     *
     * @return ms from {@code sinceNs} (a {@link System#nanoTime()}) until it had them.
     * @throws IllegalStateException when it does not have them within {@code timeout}.
     */
    public long msUntilNextHops(final String vip, final int expected, final long sinceNs, final Duration timeout)
    {
        List<String> hops = nextHops(vip);
        while (hops.size() != expected)
        {
            if (System.nanoTime() - sinceNs > timeout.toNanos())
            {
                throw new IllegalStateException("expected " + expected + " next hop(s) for " + vip + " at the router within " +
                    timeout.toSeconds() + " s, found " + hops);
            }
            Lab.sleepMs(ROUTE_POLL_MS);
            hops = nextHops(vip);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNs);
    }

    /** The ids of BIRD processes running in a host's namespace. */
    public List<String> birdIn(final String host)
    {
        final List<String> pids = new ArrayList<>();
        for (final String pid : lab.exec(host, "ip", "netns", "pids", lab.namespace(host)).orThrow().stdout().split("\\s+"))
        {
            final Path comm = Path.of("/proc", pid, "comm");
            try
            {
                if (!pid.isEmpty() && Files.readString(comm).strip().equals("bird"))
                {
                    pids.add(pid);
                }
            }
            catch (final IOException gone)
            {
                // exited meanwhile
            }
        }
        return pids;
    }

    /**
     * BGP with each forwarder, routes into the kernel with every equal path merged into one ECMP
     * route; short timers so a forwarder that comes back is taken in at once, and BFD so a
     * forwarder that stops answering is dropped within a few hundred milliseconds.
     */
    private static String birdConfig(final Lab lab, final int forwarders)
    {
        final StringBuilder config = new StringBuilder()
            .append("router id ").append(Lab.ROUTER_ADDRESS).append(";\n")
            .append("log stderr { info, remote, warning, error, auth, fatal, bug };\n")
            .append("protocol device { }\n")
            .append("protocol kernel { ipv4 { import none; export all; }; merge paths on; }\n")
            .append("protocol bfd { interface \"*\" { interval ").append(BFD_INTERVAL_MS).append(" ms; multiplier ")
            .append(BFD_MULTIPLIER).append("; }; }\n");
        for (int k = 1; k <= forwarders; k++)
        {
            config.append("protocol bgp fwd").append(k).append(" {\n")
                .append("  local ").append(Lab.ROUTER_ADDRESS).append(" as ").append(ROUTER_AS).append(";\n")
                .append("  neighbor ").append(lab.address(Lab.forwarderHost(k))).append(" as ").append(LOCAL_AS).append(";\n")
                .append("  hold time 9; connect delay time 1; connect retry time 2; error wait time 1, 2;\n")
                .append("  bfd on;\n")
                .append("  ipv4 { import all; export none; };\n}\n");
        }
        return config.toString();
    }
}
