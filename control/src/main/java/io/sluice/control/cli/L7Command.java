package io.sluice.control.cli;

import io.sluice.control.warmup.L7WarmUp;
import io.sluice.control.warmup.WarmUpLength;
import io.sluice.control.warmup.WarmedUp;
import io.sluice.l7.accesslog.AccessLog;
import io.sluice.l7.config.ConfigException;
import io.sluice.l7.config.L7Config;
import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.proxy.Transport;
import io.sluice.l7.server.L7Server;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code sluice l7 --config FILE [--threads N] [--transport T] [--access-log F] [--drain-timeout D]
 * [--warm-up S|auto] [--warm-up-max S]}: the L7 tier, an HTTP reverse proxy, in the foreground until stopped. A
 * configuration that cannot be used is refused with one line naming the file, line and field,
 * before anything is bound (and before the warm-up).
 *
 * <p>SIGHUP reads the file again and serves it without dropping a connection; a file that
 * cannot be used is refused with its one line and the running configuration keeps serving.
 * SIGTERM (or Ctrl-C) drains: no new connections, every exchange in flight finishes (up to
 * the drain timeout), then the process exits.
 */
@Command(name = "l7", mixinStandardHelpOptions = true,
    description = "Run the L7 tier: an HTTP reverse proxy configured by a YAML file, in the foreground until stopped.")
public final class L7Command implements Callable<Integer>
{
    private static final int MAX_WARM_UP_SECONDS = 300;
    private static final String AUTO = "auto";

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The YAML configuration file.")
    Path config;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
        description = "Event loop threads (default: one per available processor).")
    int threads;

    @Option(names = "--transport", paramLabel = "auto|io_uring|epoll|nio", defaultValue = "auto",
        description = "How sockets are driven: auto takes io_uring where the kernel allows it, else epoll, else NIO (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--access-log", paramLabel = "FILE|-|off", defaultValue = "-",
        description = "Where a JSON line per request goes: a file (appended to), - for standard output, or off (default: ${DEFAULT-VALUE}).")
    String accessLog;

    @Option(names = "--drain-timeout", paramLabel = "SECONDS", defaultValue = "30",
        description = "On SIGTERM, how long exchanges in flight may take to finish (default ${DEFAULT-VALUE} s).")
    int drainTimeoutSeconds;

    @Option(names = "--warm-up", paramLabel = "SECONDS|auto", defaultValue = "8",
        description = "Before listening, run the proxy this long on loopback, against backends of its own, so that the JIT has " +
            "compiled its hot paths (connections closing included) before the first client; auto: until the JIT has settled " +
            "(it compiled for less than 2 %% of 3 seconds in a row), at least 8 s and at most --warm-up-max; 0: none " +
            "(default: ${DEFAULT-VALUE} s).")
    String warmUp;

    @Option(names = "--warm-up-max", paramLabel = "SECONDS", defaultValue = "60",
        description = "With --warm-up auto, the longest it lasts, the JIT settled or not (default ${DEFAULT-VALUE} s).")
    int warmUpMaxSeconds;

    @Override
    public Integer call()
    {
        if (threads < 0 || threads > 1024)
        {
            throw new ParameterException(spec.commandLine(), "--threads " + threads + " is outside 0-1024");
        }
        final WarmUpLength warmUpLength = warmUpLength();
        final Transport chosen;
        try
        {
            chosen = Transport.named(transport);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), "--transport: " + ex.getMessage());
        }
        final L7Config loaded;
        try
        {
            loaded = L7ConfigLoader.load(config);
        }
        catch (final ConfigException ex)
        {
            throw new CliException(ex.getMessage());
        }
        final PrintWriter out = spec.commandLine().getOut();
        if (warmUpLength != null)
        {
            warmUp(chosen, loaded, warmUpLength, out);
            // Once, before the first client: what the warm-up promoted to the old generation is garbage now, and a
            // full collection (with the launcher's MaxHeapFreeRatio) gives the pages it filled back to the system.
            System.gc();
        }
        try (ShutdownSignalBarrier stop = new ShutdownSignalBarrier(); L7Server server = start(loaded, chosen, openAccessLog()))
        {
            out.println("sluice l7: listening on " + server.boundAddresses().stream().map(InetSocketAddress::toString)
                .collect(Collectors.joining(", ")) + " (" + server.transportName() + "), " + loaded.routes().size() +
                " routes, " + loaded.pools().size() + " pools" +
                (server.adminAddress() == null ? "" : ", admin on " + server.adminAddress()) + "; Ctrl-C to stop");
            if (server.tlsProvider() != null)
            {
                out.println("sluice l7: " + server.tlsProvider());
            }
            out.flush();
            Signal.handle(new Signal("HUP"), (signal) -> reload(server, out));
            stop.await();
            out.println("sluice l7: draining " + server.clientConnections() + " connections (up to " + drainTimeoutSeconds + " s)");
            out.flush();
            final boolean clean = server.drain(java.time.Duration.ofSeconds(drainTimeoutSeconds));
            out.println("sluice l7: stopped" + (clean ? "" : "; connections still open after the drain timeout were closed"));
            out.flush();
            return 0;
        }
    }

    /** {@code --warm-up} and {@code --warm-up-max}, or null for none; out of range or neither a number nor auto: a usage error. */
    private WarmUpLength warmUpLength()
    {
        if (warmUpMaxSeconds < 1 || warmUpMaxSeconds > MAX_WARM_UP_SECONDS)
        {
            throw new ParameterException(spec.commandLine(),
                "--warm-up-max " + warmUpMaxSeconds + " is outside 1-" + MAX_WARM_UP_SECONDS);
        }
        if (AUTO.equals(warmUp))
        {
            return WarmUpLength.untilJitSettles(Duration.ofSeconds(warmUpMaxSeconds));
        }
        final int seconds;
        try
        {
            seconds = Integer.parseInt(warmUp);
        }
        catch (final NumberFormatException ex)
        {
            throw new ParameterException(spec.commandLine(), "--warm-up " + warmUp + " is neither seconds nor auto");
        }
        if (seconds < 0 || seconds > MAX_WARM_UP_SECONDS)
        {
            throw new ParameterException(spec.commandLine(), "--warm-up " + seconds + " is outside 0-" + MAX_WARM_UP_SECONDS);
        }
        return seconds == 0 ? null : WarmUpLength.fixed(Duration.ofSeconds(seconds));
    }

    /**
     * {@code --warm-up}: the proxy and load ({@link L7WarmUp}) in this process before the
     * configuration's listeners are bound, on the same transport and event loops count. On one core the JIT
     * otherwise compiles while the first clients wait (less than half the rate for the first seconds), and
     * compiles again when their first connections close. With a TLS listener it warms TLS too, as the first
     * one serves it. A warm-up that cannot run (no loopback) is one line, and the proxy starts cold; one whose
     * TLS cannot start says so in one line and warms cleartext. A last line says how long it ran, why it stopped
     * then, and what was warmed.
     */
    private void warmUp(final Transport chosen, final L7Config loaded, final WarmUpLength length, final PrintWriter out)
    {
        out.println("sluice l7: warming up " + length.describe() + " before listening (--warm-up 0 skips it)");
        out.flush();
        try
        {
            final WarmedUp warmed = L7WarmUp.run(chosen, threads, length, loaded, (line) -> out.println("sluice l7: " + line));
            out.println("sluice l7: warmed up: " + warmed.summary());
        }
        catch (final IOException | RuntimeException ex)
        {
            out.println("sluice l7: the warm-up failed (" + ex.getMessage() + "); starting cold");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private AccessLog openAccessLog()
    {
        if ("off".equals(accessLog))
        {
            return null;
        }
        if ("-".equals(accessLog))
        {
            return AccessLog.toStandardOutput(AccessLog.DEFAULT_CAPACITY);
        }
        try
        {
            return AccessLog.toFile(Path.of(accessLog), AccessLog.DEFAULT_CAPACITY);
        }
        catch (final java.io.IOException ex)
        {
            throw new CliException("--access-log " + accessLog + ": cannot open: " + ex.getMessage());
        }
    }

    /** SIGHUP: the file again; refused (one line), the running configuration stays. */
    private void reload(final L7Server server, final PrintWriter out)
    {
        try
        {
            server.reload(L7ConfigLoader.load(config));
            out.println("sluice l7: reloaded " + config);
        }
        catch (final Exception ex) // a refused file, or a new listener that cannot bind
        {
            out.println("sluice l7: reload refused, still serving the previous configuration: " + ex.getMessage());
        }
        out.flush();
    }

    /** Binds the listeners; a failure (an address in use, not local) is one line. */
    private L7Server start(final L7Config loaded, final Transport chosen, final AccessLog log)
    {
        final L7Server[] started = new L7Server[1];
        try
        {
            // The admin endpoint's reload reads the file again, as SIGHUP does; a refusal is its answer.
            started[0] = new L7Server(loaded, chosen, threads, log, () -> started[0].reload(L7ConfigLoader.load(config)));
            return started[0];
        }
        catch (final Exception ex) // Netty rethrows bind(2)'s IOException unchecked
        {
            if (log != null)
            {
                log.close();
            }
            throw new CliException("cannot start: " + ex.getMessage());
        }
    }
}
