package io.sluice.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * A running lab of network namespaces, built by {@code lab/sluice-lab} (the one topology
 * definition; see that script for the picture). Closing it kills what it spawned and removes
 * every namespace; a JVM shutdown hook does the same when the JVM is interrupted (Ctrl-C), so a
 * lab never outlives the program that made it.
 */
public final class Lab implements AutoCloseable
{
    public static final String CLIENT = "client";
    public static final String FORWARDER = "fwd";
    public static final String SWITCH = "sw";
    /** With {@link #upBehindRouter}: the router in front of the forwarders (BGP, ECMP). */
    public static final String ROUTER = "router";
    public static final String ROUTER_ADDRESS = "198.18.0.1";

    public static final String FORWARDER_ADDRESS = "198.18.0.2";
    public static final String CLIENT_ADDRESS = "198.18.0.100";
    public static final String DEFAULT_VIP = "198.18.1.1";
    /** IPv4 VIPs are any in 198.18.0.0/15 outside the hosts' 198.18.0.0/24; the client routes this subnet via the forwarder. */
    public static final String VIP_SUBNET = "198.18.1.0/24";

    /** The hosts' IPv6 addresses mirror their IPv4 ones, in 2001:2::/64 (RFC 5180's 2001:2::/48 is set aside for benchmarking). */
    public static final String FORWARDER_ADDRESS6 = "2001:2::2";
    public static final String CLIENT_ADDRESS6 = "2001:2::100";
    /** IPv6 VIPs are any in 2001:2::/48 outside the hosts' 2001:2::/64; the client routes this subnet via the forwarder. */
    public static final String VIP_SUBNET6 = "2001:2:0:1::/64";

    private static final Pattern NAME = Pattern.compile("[a-z0-9]{1,8}");
    private static final Pattern HOST = Pattern.compile("client|fwd|fwd[2-4]|router|sw|real[1-9][0-9]*");
    private static final int MAX_REALS = 50;
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(120);
    private static final long OUTPUT_POLL_MS = 50;

    private final SluiceHome home;
    private final String name;
    private final int realCount;
    private final List<String> vips;
    private final Path logDir;
    private final List<Process> spawned = new CopyOnWriteArrayList<>();
    private final Map<Process, Path> logs = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private Lab(final SluiceHome home, final String name, final int realCount, final List<String> vips, final Path logDir)
    {
        this.home = home;
        this.name = name;
        this.realCount = realCount;
        this.vips = vips;
        this.logDir = logDir;
        this.shutdownHook = new Thread(this::tearDown, "sluice-lab-" + name + "-cleanup");
    }

    /**
     * A lab's name: {@code base} followed by {@code SLUICE_LAB_SUFFIX} when that is set, so two
     * checkouts can build their labs (the lab tests', the demo's) on one machine at once without
     * building each other's.
     */
    public static String named(final String base)
    {
        final String suffix = System.getenv("SLUICE_LAB_SUFFIX");
        return suffix == null ? base : base + suffix;
    }

    /** A lab with {@code reals} real servers and the default VIP 198.18.1.1 on their loopback. */
    public static Lab up(final String name, final int reals)
    {
        return up(name, reals, List.of(DEFAULT_VIP));
    }

    /**
     * Builds the lab (tearing down an older lab of the same name first).
     *
     * @param vips addresses every real carries on lo and the client routes to the forwarder: IPv4 in
     *             198.18.0.0/15 outside 198.18.0.0/24, or IPv6 in 2001:2::/48 outside 2001:2::/64.
     * @throws IllegalArgumentException for a bad name or real count.
     * @throws IllegalStateException    when the script fails, with its one-line reason.
     */
    public static Lab up(final String name, final int reals, final List<String> vips)
    {
        return up(name, reals, vips, List.of());
    }

    /**
     * A lab whose client reaches its VIPs, IPv4 and IPv6, through a router ({@link #ROUTER},
     * forwarding, with no route to them until something announces them) in front of
     * {@code forwarders} forwarder hosts, {@code fwd} and {@code fwd2}..: scale-out behind ECMP.
     */
    public static Lab upBehindRouter(final String name, final int reals, final List<String> vips, final int forwarders)
    {
        return up(name, reals, vips, List.of("--router", "--forwarders", Integer.toString(forwarders)));
    }

    private static Lab up(final String name, final int reals, final List<String> vips, final List<String> options)
    {
        if (!NAME.matcher(name).matches())
        {
            throw new IllegalArgumentException("lab name '" + name + "' must be 1-8 characters from [a-z0-9]");
        }
        if (reals < 1 || reals > MAX_REALS)
        {
            throw new IllegalArgumentException("a lab has 1 to " + MAX_REALS + " reals, not " + reals);
        }
        if (vips.isEmpty())
        {
            throw new IllegalArgumentException("a lab needs at least one VIP");
        }
        final SluiceHome home = SluiceHome.locate();
        final Path logDir;
        try
        {
            logDir = Files.createTempDirectory("sluice-lab-" + name + "-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create a log directory for lab " + name, ex);
        }
        final Lab lab = new Lab(home, name, reals, List.copyOf(vips), logDir);
        // Registered before the namespaces exist, so an interrupt half-way through still cleans up.
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try
        {
            final List<String> command = new ArrayList<>(List.of(
                home.labScript().toString(), "up", name, "--reals", Integer.toString(reals)));
            command.addAll(options);
            for (final String vip : vips)
            {
                command.add("--vip");
                command.add(vip);
            }
            Processes.run(command, SCRIPT_TIMEOUT).orThrow();
            return lab;
        }
        catch (final RuntimeException ex)
        {
            lab.close();
            throw ex;
        }
    }

    public String name()
    {
        return name;
    }

    public int realCount()
    {
        return realCount;
    }

    public List<String> vips()
    {
        return vips;
    }

    /** Where spawned processes write their output; removed on close. */
    public Path logDir()
    {
        return logDir;
    }

    /** @param k 1-based. */
    public static String realHost(final int k)
    {
        return "real" + k;
    }

    /** @param k 1-based; real K is 198.18.0.(10 + K). */
    public static String realAddress(final int k)
    {
        return "198.18.0." + (10 + k);
    }

    /**
     * @param k 1-based; real K is 2001:2::(10 + K), written with the digits of its IPv4 last octet
     *          (real1 is 2001:2::11, which is hex: 0x11) so the two read alike.
     */
    public static String realAddress6(final int k)
    {
        return "2001:2::" + (10 + k);
    }

    public List<String> realHosts()
    {
        final List<String> hosts = new ArrayList<>(realCount);
        for (int k = 1; k <= realCount; k++)
        {
            hosts.add(realHost(k));
        }
        return hosts;
    }

    /** @param k 1-based: forwarder host 1 is {@link #FORWARDER}, the others {@code fwdK}. */
    public static String forwarderHost(final int k)
    {
        return k == 1 ? FORWARDER : FORWARDER + k;
    }

    /** The network namespace of a host: {@code sluice-NAME-HOST}. */
    public String namespace(final String host)
    {
        checkHost(host);
        return "sluice-" + name + "-" + host;
    }

    /** The IPv4 address of a host's eth0. */
    public String address(final String host)
    {
        checkHost(host);
        return switch (host)
        {
            case CLIENT -> CLIENT_ADDRESS;
            case FORWARDER -> FORWARDER_ADDRESS;
            case ROUTER -> ROUTER_ADDRESS;
            case SWITCH -> throw new IllegalArgumentException("the switch has no address");
            default -> host.startsWith(FORWARDER) ? "198.18.0." + (1 + Integer.parseInt(host.substring(FORWARDER.length()))) :
                realAddress(Integer.parseInt(host.substring("real".length())));
        };
    }

    /** The IPv6 address of a host's eth0 (besides its link-local one). */
    public String address6(final String host)
    {
        checkHost(host);
        return switch (host)
        {
            case CLIENT -> CLIENT_ADDRESS6;
            case FORWARDER -> FORWARDER_ADDRESS6;
            case ROUTER -> "2001:2::1";
            case SWITCH -> throw new IllegalArgumentException("the switch has no address");
            default -> host.startsWith(FORWARDER) ? "2001:2::" + (1 + Integer.parseInt(host.substring(FORWARDER.length()))) :
                realAddress6(Integer.parseInt(host.substring("real".length())));
        };
    }

    /** The MAC of a host's eth0, lower-case with colons, as the kernel reports it. */
    public String mac(final String host)
    {
        return exec(host, "cat", "/sys/class/net/eth0/address").orThrow().stdout().strip();
    }

    /**
     * One statistic of a host's eth0 (e.g. {@code rx_packets}); {@code ip netns exec} remounts
     * /sys, so this is the namespace's own device.
     */
    public long linkCounter(final String host, final String statistic)
    {
        if (!statistic.matches("[a-z_]+"))
        {
            throw new IllegalArgumentException("'" + statistic + "' is not an interface statistic name");
        }
        return Long.parseLong(exec(host, "cat", "/sys/class/net/eth0/statistics/" + statistic).orThrow().stdout().strip());
    }

    /** Runs a command inside a host and waits for it (at most two minutes). */
    public ExecResult exec(final String host, final String... command)
    {
        return exec(EXEC_TIMEOUT, host, command);
    }

    /** Runs a command inside a host and waits for it; kills it and throws once the timeout passes. */
    public ExecResult exec(final Duration timeout, final String host, final String... command)
    {
        return Processes.run(inNamespace(host, command), timeout);
    }

    /** Runs a command inside a host with {@code input} on its stdin (a request for a client, say), as {@link #exec} does. */
    public ExecResult execWithInput(final Duration timeout, final String host, final String input, final String... command)
    {
        return Processes.run(inNamespace(host, command), Path.of(""), input, timeout);
    }

    /**
     * Starts a command inside a host, its output going to a log file in {@link #logDir()}.
     * {@link #close()} stops it (SIGTERM, then SIGKILL) if it is still running.
     */
    public Process spawn(final String host, final String... command)
    {
        return spawn(host, List.of(command));
    }

    public Process spawn(final String host, final List<String> command)
    {
        checkOpen();
        final String program = Path.of(command.getFirst()).getFileName().toString();
        final Path log = logDir.resolve(host + "-" + program + "-" + spawned.size() + ".log");
        try
        {
            final Process process = new ProcessBuilder(inNamespace(host, command.toArray(String[]::new)))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
            spawned.add(process);
            logs.put(process, log);
            return process;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start " + String.join(" ", command) + " in " + host, ex);
        }
    }

    /** What a spawned process has printed so far (stdout and stderr interleaved). */
    public String output(final Process process)
    {
        final Path log = logs.get(process);
        if (log == null)
        {
            throw new IllegalArgumentException("not a process this lab spawned");
        }
        try
        {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + log, ex);
        }
    }

    /**
     * Waits until a spawned process prints {@code marker}.
     *
     * @throws IllegalStateException with the end of its output when it exits or the timeout passes first.
     */
    public void awaitOutput(final Process process, final String marker, final Duration timeout)
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (!output(process).contains(marker))
        {
            if (!process.isAlive())
            {
                throw new IllegalStateException("process exited " + process.exitValue() +
                    " before printing '" + marker + "': " + tail(output(process)));
            }
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("no '" + marker + "' within " + timeout.toSeconds() + " s: " +
                    tail(output(process)));
            }
            sleepMs(OUTPUT_POLL_MS);
        }
    }

    /** Stops a spawned process now (SIGTERM, then SIGKILL) and returns its exit code. */
    public int stop(final Process process)
    {
        Processes.stop(process);
        return process.exitValue();
    }

    /** Stops everything spawned, removes the namespaces and the logs. Idempotent. */
    @Override
    public void close()
    {
        tearDown();
        try
        {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (final IllegalStateException | IllegalArgumentException ignored)
        {
            // the JVM is already shutting down (this is the hook), or the hook is gone
        }
    }

    private void tearDown()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        for (final Process process : spawned)
        {
            Processes.stop(process);
        }
        try
        {
            // The script also kills anything else still running inside the namespaces.
            Processes.run(List.of(home.labScript().toString(), "down", name), SCRIPT_TIMEOUT);
        }
        catch (final RuntimeException ex)
        {
            System.err.println("sluice-lab: could not remove lab " + name + ": " + ex.getMessage() +
                " (run: lab/sluice-lab down " + name + ")");
        }
        try
        {
            LabForwarder.deleteTree(logDir);
        }
        catch (final UncheckedIOException ignored)
        {
            // leftover logs in /tmp are harmless
        }
    }

    private List<String> inNamespace(final String host, final String... command)
    {
        if (command.length == 0)
        {
            throw new IllegalArgumentException("no command to run in " + host);
        }
        final List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace(host)));
        Collections.addAll(full, command);
        return full;
    }

    private void checkHost(final String host)
    {
        if (!HOST.matcher(host).matches() ||
            (host.startsWith("real") && Integer.parseInt(host.substring("real".length())) > realCount))
        {
            throw new IllegalArgumentException("lab " + name + " has no host '" + host +
                "' (client, fwd, fwd2..fwd4, router, sw, real1..real" + realCount + ")");
        }
    }

    private void checkOpen()
    {
        if (closed.get())
        {
            throw new IllegalStateException("lab " + name + " is closed");
        }
    }

    private static String tail(final String output)
    {
        final List<String> lines = output.lines().toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    /** Sleeps, turning an interrupt into an exception (the interrupt flag kept): the lab helpers' one way to wait. */
    public static void sleepMs(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }
}
