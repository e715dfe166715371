package io.sluice.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A `sluice forwarder --iface eth0` daemon running inside a lab's forwarder namespace as a
 * process of its own, found by the CLI through its state directory. Start, stop and restart it
 * like an operator would; the state directory (and with it the configuration) survives a
 * restart and is removed by {@link #wipeStateDir()}.
 */
public final class LabForwarder implements AutoCloseable
{
    /** Worker threads of the lab's forwarder. */
    public static final int WORKERS = 2;

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final long READY_POLL_MS = 100;

    private final Lab lab;
    private final String host;
    private final SluiceHome home;
    private final Path stateDir;
    private final String io;
    private final SluiceRunner cli;
    private final List<String> extraArguments;
    /** The lab forwarder's outer sources for tunnel-mode VIPs. */
    public static final String TUNNEL_SOURCE = "198.19.255.0/24";

    private Process process;

    /** A forwarder on the default I/O path (AF_XDP where it can be set up). */
    public LabForwarder(final Lab lab, final SluiceHome home, final Path stateDir)
    {
        this(lab, home, stateDir, null);
    }

    /** @param io "xdp" or "packet" for {@code --io}, or null for the forwarder's default. */
    public LabForwarder(final Lab lab, final SluiceHome home, final Path stateDir, final String io)
    {
        this(lab, home, stateDir, io, List.of());
    }

    /** @param extraArguments more `sluice forwarder` options, e.g. {@code --egress-iface eth1}. */
    public LabForwarder(final Lab lab, final SluiceHome home, final Path stateDir, final String io, final List<String> extraArguments)
    {
        this(lab, Lab.FORWARDER, home, stateDir, io, extraArguments);
    }

    /** @param host the forwarder host it runs in: {@link Lab#FORWARDER} or, behind a router, {@code fwd2}... */
    public LabForwarder(final Lab lab, final String host, final SluiceHome home, final Path stateDir, final String io,
        final List<String> extraArguments)
    {
        this.host = host;
        this.io = io;
        this.extraArguments = List.copyOf(extraArguments);
        this.lab = lab;
        this.home = home;
        this.stateDir = stateDir;
        this.cli = new SluiceRunner(home, "--state-dir", stateDir.toString());
    }

    public Path stateDir()
    {
        return stateDir;
    }

    /** The CLI bound to this forwarder's state directory. */
    public SluiceRunner cli()
    {
        return cli;
    }

    /**
     * Starts the daemon and returns once it answers {@code sluice vip list}.
     *
     * @throws IllegalStateException with the end of its output when it exits or does not answer in time.
     */
    public void start()
    {
        if (process != null && process.isAlive())
        {
            throw new IllegalStateException("the forwarder is already running");
        }
        // Two workers, so every lab run also exercises PACKET_FANOUT or two AF_XDP queues: each
        // flow must stay on one worker and its flow table.
        // Tunnel-mode outer sources inside the lab's own range, like every other lab address.
        final List<String> arguments = new ArrayList<>(List.of(
            "--iface", "eth0", "--queues", String.valueOf(WORKERS), "--state-dir", stateDir.toString(),
            "--tunnel-source", TUNNEL_SOURCE));
        if (io != null)
        {
            arguments.addAll(List.of("--io", io));
        }
        arguments.addAll(extraArguments);
        process = lab.spawn(host, home.forwarder(arguments.toArray(String[]::new)));
        final long deadlineNs = System.nanoTime() + READY_TIMEOUT.toNanos();
        ExecResult last = null;
        while (System.nanoTime() - deadlineNs < 0)
        {
            if (!process.isAlive())
            {
                throw new IllegalStateException("the forwarder exited " + process.exitValue() + " at start: " + lastLines(output()));
            }
            last = cli.run("vip", "list");
            if (last.ok())
            {
                return;
            }
            Lab.sleepMs(READY_POLL_MS);
        }
        final String why = last == null ? "" : " (vip list: " + last.stderr().strip() + ")";
        lab.stop(process);
        throw new IllegalStateException("the forwarder did not answer within " + READY_TIMEOUT.toSeconds() + " s" + why +
            ": " + lastLines(output()));
    }

    /** SIGTERM, as an operator or systemd would; waits for the exit. @return its exit code. */
    public int stop()
    {
        if (process == null)
        {
            return 0;
        }
        return lab.stop(process);
    }

    /** SIGKILL, as a crash or the OOM killer would: no clean-up of its own runs. */
    public void kill()
    {
        if (process == null)
        {
            return;
        }
        process.destroyForcibly();
        try
        {
            if (!process.waitFor(READY_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
            {
                throw new IllegalStateException("the forwarder did not die of SIGKILL within " + READY_TIMEOUT.toSeconds() + " s");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the forwarder to die", ex);
        }
    }

    public boolean isRunning()
    {
        return process != null && process.isAlive();
    }

    /** Everything the daemon printed so far. */
    public String output()
    {
        return process == null ? "" : lab.output(process);
    }

    /** Forgets every VIP: removes the state directory (the forwarder must be stopped). */
    public void wipeStateDir()
    {
        if (isRunning())
        {
            throw new IllegalStateException("stop the forwarder before wiping its state directory");
        }
        deleteTree(stateDir);
    }

    /**
     * A lab test's teardown when it runs several forwarders in one lab: the forwarders first (they
     * hold the lab's interfaces), then the lab, then the scratch directory; any of them may be
     * null or empty when the set-up failed half way.
     */
    public static void closeAll(final List<LabForwarder> forwarders, final Lab lab, final Path scratch)
    {
        forwarders.forEach(LabForwarder::close);
        if (lab != null)
        {
            lab.close();
        }
        if (scratch != null)
        {
            deleteTree(scratch);
        }
    }

    /** Removes a directory and everything in it; nothing to do when it does not exist. */
    public static void deleteTree(final Path dir)
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot remove " + dir + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public void close()
    {
        stop();
    }

    private static String lastLines(final String output)
    {
        final var lines = output.lines().filter(line -> !line.isBlank()).toList();
        return lines.isEmpty() ? "(no output)" : String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

}
