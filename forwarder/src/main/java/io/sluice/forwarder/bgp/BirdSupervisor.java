package io.sluice.forwarder.bgp;

import io.sluice.forwarder.config.IpAddress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Runs BIRD for one forwarder on a thread of its own, for as long as the forwarder runs: writes
 * its configuration into the state directory, starts {@code setpriv --pdeathsig KILL -- bird -f}
 * (BIRD in the foreground, so the death signal, which is tied to the thread that started it and
 * cleared by a fork, reaches it even when the forwarder is killed with SIGKILL; hence this thread
 * lives as long as the supervisor), and drives it over its control socket: {@code enable} and
 * {@code disable} of a VIP's static protocol when only announcements change, the file rewritten
 * and {@code configure} when the VIP addresses change, {@code show protocols} twice a second for
 * the sessions (and {@code show bfd sessions} with BFD on). New settings ({@link #reconfigure})
 * rewrite the file and {@code configure} BIRD, which restarts only the protocols whose settings
 * changed, so the other sessions stay up. When BIRD exits it is started again after a backoff and counted; the forwarder
 * forwards on meanwhile.
 */
public final class BirdSupervisor implements AutoCloseable
{
    static final String CONFIG_FILE = "bird.conf";
    static final String SOCKET_FILE = "bird.ctl";
    private static final long POLL_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long PARK_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long SOCKET_WAIT_MS = 5_000;
    private static final long MIN_BACKOFF_MS = 250;
    private static final long MAX_BACKOFF_MS = 8_000;
    /** A BIRD that ran this long before exiting starts again after the shortest backoff. */
    private static final long STABLE_RUN_MS = 30_000;
    private static final long STOP_WAIT_MS = 2_000;
    static final String BIRD_MISSING = "--bgp needs BIRD 2, which is not installed: install the Debian package bird2";
    private static final List<String> SEARCH_PATH = List.of("/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin", "/bin");

    private volatile BgpConfig config;
    private final Path configFile;
    private final Path socketFile;
    private final String bird;
    private final String setpriv;
    private final Consumer<String> messages;
    private final Thread thread;
    private volatile Map<IpAddress, Boolean> wanted = Map.of();
    private volatile boolean leaving;
    private volatile boolean running = true;
    private volatile BgpStatus status;
    private volatile Process process;
    private final Map<IpAddress, Long> established = new HashMap<>();
    private Map<IpAddress, BfdState> bfd;
    private long birdRestarts;
    private long announcements;
    private long withdrawals;

    /**
     * @throws IllegalArgumentException when BIRD (or setpriv) is not installed, saying which package to install.
     */
    public BirdSupervisor(final BgpConfig config, final Path stateDir, final Consumer<String> messages)
    {
        this.config = config;
        this.configFile = stateDir.resolve(CONFIG_FILE);
        this.socketFile = stateDir.resolve(SOCKET_FILE);
        this.bird = find("bird", BIRD_MISSING, searchPath());
        this.setpriv = find("setpriv", "--bgp needs setpriv, which is not installed: install the Debian package util-linux",
            searchPath());
        this.messages = messages;
        this.bfd = noBfd();
        this.status = new BgpStatus(Set.of(), downSessions(), bfd, Map.of(), 0, 0, 0);
        this.thread = new Thread(this::run, "sluice-bird");
        thread.setDaemon(true);
    }

    /** Starts the thread that runs BIRD; call once the data path forwards. */
    public void start()
    {
        thread.start();
    }

    /**
     * What BIRD should announce from now on.
     *
     * @param vips every VIP address the BGP file lets this forwarder announce, true for those that can be served.
     */
    public void want(final Map<IpAddress, Boolean> vips)
    {
        wanted = Map.copyOf(vips);
        LockSupport.unpark(thread);
    }

    /** New settings from now on: BIRD is reconfigured on this supervisor's thread, not restarted. */
    public void reconfigure(final BgpConfig settings)
    {
        config = settings;
        LockSupport.unpark(thread);
    }

    public BgpStatus status()
    {
        return status;
    }

    /**
     * Withdraws every VIP for good (the forwarder is leaving) and waits until BIRD confirmed it.
     *
     * @return whether it did within the timeout (a BIRD that is not running announces nothing either).
     */
    public boolean withdrawAll(final long timeoutMs)
    {
        leaving = true;
        LockSupport.unpark(thread);
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!status.announced().isEmpty())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return true;
    }

    /** Stops BIRD (SIGTERM: it closes its sessions with a Cease notification) and the thread. */
    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        if (thread.isAlive())
        {
            try
            {
                thread.join(STOP_WAIT_MS * 2);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        stopProcess();
    }

    private void run()
    {
        long backoffMs = MIN_BACKOFF_MS;
        while (running)
        {
            final long startedMs = System.currentTimeMillis();
            Map<IpAddress, Boolean> applied = effectiveWanted();
            try
            {
                writeConfig(config, applied);
                Files.deleteIfExists(socketFile);
                process = new ProcessBuilder(setpriv, "--pdeathsig", "KILL", "--", bird, "-f", "-c", configFile.toString(),
                    "-s", socketFile.toString()).inheritIO().start();
                try (BirdControl control = awaitControl())
                {
                    countChanges(Map.of(), applied);
                    publish(applied, status.sessions());
                    drive(control, applied);
                }
            }
            catch (final IOException | UncheckedIOException ex)
            {
                if (running)
                {
                    messages.accept("BGP: BIRD: " + ex.getMessage());
                }
            }
            final Process exited = process;
            stopProcess();
            bfd = noBfd();
            publish(Map.of(), downSessions());
            if (!running)
            {
                break;
            }
            birdRestarts++;
            backoffMs = System.currentTimeMillis() - startedMs > STABLE_RUN_MS ? MIN_BACKOFF_MS : backoffMs;
            final String status = exited == null || exited.isAlive() ? "" : " (status " + exited.exitValue() + ")";
            messages.accept("BGP: BIRD exited" + status +
                "; VIPs are not announced; starting it again in " + backoffMs + " ms (restart " + birdRestarts + ")");
            sleepMs(backoffMs);
            backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        }
    }

    /** Keeps BIRD in step with what is wanted until it exits or the supervisor closes. */
    private void drive(final BirdControl control, final Map<IpAddress, Boolean> written) throws IOException
    {
        Map<IpAddress, Boolean> applied = written;
        BgpConfig appliedSettings = config;
        Map<IpAddress, SessionState> sessions = poll(control);
        publish(applied, sessions);
        long nextPollNs = System.nanoTime() + POLL_INTERVAL_NS;
        while (running && process.isAlive())
        {
            final BgpConfig settings = config;
            if (settings != appliedSettings)
            {
                reconfigure(control, appliedSettings, settings, applied);
                appliedSettings = settings;
            }
            final Map<IpAddress, Boolean> want = effectiveWanted();
            if (!want.equals(applied))
            {
                apply(control, applied, want);
                countChanges(applied, want);
                applied = want;
                publish(applied, sessions);
            }
            if (System.nanoTime() - nextPollNs >= 0)
            {
                sessions = poll(control);
                publish(applied, sessions);
                nextPollNs = System.nanoTime() + POLL_INTERVAL_NS;
            }
            LockSupport.parkNanos(PARK_NS);
        }
    }

    /**
     * The file rewritten under new settings and {@code configure}: BIRD restarts only the protocols
     * whose settings changed. BIRD keeps running its previous configuration when it refuses the new
     * one, and so does the file, for a restart.
     */
    private void reconfigure(final BirdControl control, final BgpConfig from, final BgpConfig to,
        final Map<IpAddress, Boolean> vips) throws IOException
    {
        writeConfig(to, vips);
        final BirdReply reply = control.command("configure");
        if (reply.ok())
        {
            messages.accept("BGP: BIRD reconfigured with the new settings (AS " + to.localAs() + ", " + to.neighbors().size() +
                " neighbour(s))");
            return;
        }
        writeConfig(from, vips);
        messages.accept("BGP: BIRD refused the new settings and runs on the previous ones: " + reply.text());
    }

    private void apply(final BirdControl control, final Map<IpAddress, Boolean> from, final Map<IpAddress, Boolean> to)
        throws IOException
    {
        writeConfig(config, to);
        if (!from.keySet().equals(to.keySet()))
        {
            check(control.command("configure"), "configure");
            return;
        }
        for (final Map.Entry<IpAddress, Boolean> vip : to.entrySet())
        {
            if (!vip.getValue().equals(from.get(vip.getKey())))
            {
                final String command = (vip.getValue() ? "enable " : "disable ") + BirdConfigText.protocolName(vip.getKey());
                check(control.command(command), command);
            }
        }
    }

    private Map<IpAddress, SessionState> poll(final BirdControl control) throws IOException
    {
        final BirdReply reply = control.command("show protocols");
        check(reply, "show protocols");
        final Map<String, SessionState> byProtocol = new HashMap<>();
        for (final String row : reply.rows(1002))
        {
            final String[] columns = row.strip().split("\\s+");
            if (columns.length >= 2 && columns[1].equals("BGP"))
            {
                byProtocol.put(columns[0], SessionState.ofBird(columns.length > 5 ? columns[5] : ""));
            }
        }
        final Map<IpAddress, SessionState> sessions = new HashMap<>();
        for (final BgpConfig.Neighbor neighbor : config.neighbors())
        {
            final SessionState state = byProtocol.getOrDefault(BirdConfigText.protocolName(neighbor), SessionState.DOWN);
            final SessionState before = status.sessions().get(neighbor.address());
            if (state == SessionState.ESTABLISHED && before != SessionState.ESTABLISHED)
            {
                established.merge(neighbor.address(), 1L, Long::sum);
            }
            // Only the changes that matter: a neighbour that is unreachable cycles through connect and active.
            if ((state == SessionState.ESTABLISHED) != (before == SessionState.ESTABLISHED))
            {
                messages.accept("BGP: neighbour " + neighbor.address() + " (AS " + neighbor.as() + ") is " + state.label());
            }
            sessions.put(neighbor.address(), state);
        }
        if (config.bfd() != null)
        {
            bfd = pollBfd(control);
        }
        return sessions;
    }

    /** Rows of {@code show bfd sessions}: "198.18.0.1  eth0  Up  1733612345  0.100  0.300", after a title and a header. */
    private Map<IpAddress, BfdState> pollBfd(final BirdControl control) throws IOException
    {
        final BirdReply reply = control.command("show bfd sessions");
        check(reply, "show bfd sessions");
        final Map<String, BfdState> byAddress = new HashMap<>();
        for (final String row : reply.rows(1020))
        {
            final String[] columns = row.strip().split("\\s+");
            if (columns.length >= 3)
            {
                byAddress.put(columns[0], BfdState.ofBird(columns[2]));
            }
        }
        final Map<IpAddress, BfdState> states = new HashMap<>();
        for (final BgpConfig.Neighbor neighbor : config.neighbors())
        {
            states.put(neighbor.address(), byAddress.getOrDefault(neighbor.address().toString(), BfdState.NONE));
        }
        return states;
    }

    private static void check(final BirdReply reply, final String command) throws IOException
    {
        if (!reply.ok())
        {
            throw new IOException("'" + command + "' refused: " + reply.text());
        }
    }

    /** What is wanted, or with the forwarder leaving every VIP withdrawn. */
    private Map<IpAddress, Boolean> effectiveWanted()
    {
        final Map<IpAddress, Boolean> want = new TreeMap<>(wanted);
        if (leaving)
        {
            want.replaceAll((vip, announce) -> false);
        }
        return want;
    }

    private void countChanges(final Map<IpAddress, Boolean> from, final Map<IpAddress, Boolean> to)
    {
        final Set<IpAddress> before = announcedIn(from);
        final Set<IpAddress> after = announcedIn(to);
        for (final IpAddress vip : after)
        {
            announcements += before.contains(vip) ? 0 : 1;
        }
        for (final IpAddress vip : before)
        {
            withdrawals += after.contains(vip) ? 0 : 1;
        }
    }

    private void publish(final Map<IpAddress, Boolean> applied, final Map<IpAddress, SessionState> sessions)
    {
        status = new BgpStatus(announcedIn(applied), sessions, bfd, established, birdRestarts, announcements, withdrawals);
    }

    private static Set<IpAddress> announcedIn(final Map<IpAddress, Boolean> vips)
    {
        final Set<IpAddress> announced = new HashSet<>();
        vips.forEach((vip, announce) ->
        {
            if (announce)
            {
                announced.add(vip);
            }
        });
        return announced;
    }

    private Map<IpAddress, SessionState> downSessions()
    {
        final Map<IpAddress, SessionState> sessions = new HashMap<>();
        for (final BgpConfig.Neighbor neighbor : config.neighbors())
        {
            sessions.put(neighbor.address(), SessionState.DOWN);
        }
        return sessions;
    }

    /** No BFD session to any neighbour; empty when the BGP file has no {@code bfd}. */
    private Map<IpAddress, BfdState> noBfd()
    {
        final Map<IpAddress, BfdState> states = new HashMap<>();
        if (config.bfd() != null)
        {
            for (final BgpConfig.Neighbor neighbor : config.neighbors())
            {
                states.put(neighbor.address(), BfdState.NONE);
            }
        }
        return states;
    }

    /** Waits for BIRD's control socket to answer; BIRD makes it once it has read its configuration. */
    private BirdControl awaitControl() throws IOException
    {
        final long deadlineMs = System.currentTimeMillis() + SOCKET_WAIT_MS;
        while (true)
        {
            try
            {
                return BirdControl.connect(socketFile);
            }
            catch (final IOException ex)
            {
                if (!process.isAlive() || !running)
                {
                    throw new IOException("BIRD exited at start (see its lines above)");
                }
                if (System.currentTimeMillis() > deadlineMs)
                {
                    throw new IOException("no control socket " + socketFile + " within " + SOCKET_WAIT_MS + " ms: " +
                        ex.getMessage());
                }
                sleepMs(20);
            }
        }
    }

    private void writeConfig(final BgpConfig settings, final Map<IpAddress, Boolean> vips)
    {
        try
        {
            final Path temporary = configFile.resolveSibling(CONFIG_FILE + ".tmp");
            Files.writeString(temporary, BirdConfigText.render(settings, vips), StandardCharsets.US_ASCII);
            Files.move(temporary, configFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + configFile + ": " + ex.getMessage(), ex);
        }
    }

    private void stopProcess()
    {
        final Process current = process;
        if (current == null || !current.isAlive())
        {
            return;
        }
        current.destroy();
        try
        {
            if (!current.waitFor(STOP_WAIT_MS, TimeUnit.MILLISECONDS))
            {
                current.destroyForcibly().waitFor(STOP_WAIT_MS, TimeUnit.MILLISECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Sleeps, cut short only by close (an unpark for a new wish does not shorten a backoff). */
    private void sleepMs(final long ms)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        long leftNs;
        while (running && (leftNs = deadlineNs - System.nanoTime()) > 0)
        {
            LockSupport.parkNanos(leftNs);
        }
    }

    /** PATH, then where Debian puts system programs (a root shell's PATH may lack /usr/sbin). */
    private static List<String> searchPath()
    {
        final String pathVariable = System.getenv("PATH");
        final List<String> directories = new ArrayList<>(pathVariable == null ? List.of() : List.of(pathVariable.split(":")));
        directories.addAll(SEARCH_PATH);
        return directories;
    }

    /**
     * @return the program's path in the first directory that has it.
     * @throws IllegalArgumentException with {@code missing} when none does.
     */
    static String find(final String program, final String missing, final List<String> directories)
    {
        for (final String directory : directories)
        {
            final Path candidate = Path.of(directory.isEmpty() ? "." : directory, program);
            if (Files.isExecutable(candidate))
            {
                return candidate.toString();
            }
        }
        throw new IllegalArgumentException(missing);
    }
}
