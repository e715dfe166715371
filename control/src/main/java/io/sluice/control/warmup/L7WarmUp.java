package io.sluice.control.warmup;

import io.sluice.l7.accesslog.AccessLog;
import io.sluice.l7.config.ConfigException;
import io.sluice.l7.config.L7Config;
import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.config.Listener;
import io.sluice.l7.config.ListenerTls;
import io.sluice.l7.metrics.TlsMetrics;
import io.sluice.l7.proxy.Transport;
import io.sluice.l7.server.L7Server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The L7 tier's warm-up ({@code sluice l7 --warm-up}): the real proxy ({@link L7Server}, the
 * pipeline {@code sluice l7} runs) on a free port of 127.0.0.1, in front of two
 * {@link CannedBackend}s in the same process, under the {@link WarmUpLoad} for a fixed time or
 * until the JIT has settled ({@link WarmUpLength}, {@link WarmUpEnd}); when
 * the configuration has a TLS listener, the proxy has a second listener with its TLS, so that the
 * handshakes (the proxy's ClientHello reader, the engine, session resumption) and TLS's read and
 * write paths are compiled too, for the same certificates and the same engine. Then
 * everything is closed and nothing is left listening. What the JIT compiled for it stays: the
 * proxy then bound to the configuration's listeners serves its first client at full speed, and
 * does not recompile when its first connections close, which the warm-up's did already.
 *
 * <p>The proxy runs twice, first with an access log (into /dev/null), then without: the JIT
 * then knows both branches, and a proxy started either way does not throw its compiled code
 * away at its first request. Only the second, longer run has the TLS listener: the access log
 * does not depend on TLS, and each start builds the listener's TLS contexts again (tens of
 * milliseconds of a cold JVM's time each).
 */
public final class L7WarmUp
{
    /** The part of its minimum run with an access log. */
    private static final double WITH_ACCESS_LOG = 0.25;
    private static final Path NOWHERE = Path.of("/dev/null");
    private static final int BIND_ATTEMPTS = 3;

    private final Transport transport;
    private final int threads;
    private final CannedBackend one;
    private final CannedBackend two;
    private final Consumer<String> say;
    /** The listener whose TLS the warm-up's proxy serves too, or null: the configuration has none, or it could not start. */
    private Listener tlsLike;
    private TlsClientSockets tlsClients;
    /** Why the last phase ended (the first ends by the clock, and says nothing). */
    private String ending;

    private L7WarmUp(final Transport transport, final int threads, final CannedBackend one, final CannedBackend two,
        final Consumer<String> say)
    {
        this.transport = transport;
        this.threads = threads;
        this.one = one;
        this.two = two;
        this.say = say;
    }

    /**
     * Warms up for {@code length} on {@code transport} with {@code threads} event loops (0: one
     * per processor); over TLS too when {@code served} has a TLS listener, with its first one's settings.
     *
     * @param say told, in one line, when the warm-up leaves TLS out because it cannot start.
     * @return what the load did, and why the warm-up ended when it did.
     * @throws IOException when the proxy or a backend cannot be started.
     */
    public static WarmedUp run(final Transport transport, final int threads, final WarmUpLength length, final L7Config served,
        final Consumer<String> say) throws IOException, InterruptedException
    {
        final long startNs = System.nanoTime();
        final long loggedUntilNs = startNs + (long)(length.minimum().toNanos() * WITH_ACCESS_LOG);
        try (CannedBackend one = new CannedBackend(transport); CannedBackend two = new CannedBackend(transport))
        {
            final L7WarmUp warmUp = new L7WarmUp(transport, threads, one, two, say);
            warmUp.takeTlsOf(served);
            final LoadCounts logged = warmUp.phase(true, () ->
            {
                WarmUpEnd.sleepUntil(loggedUntilNs);
                return null;
            });
            final LoadCounts unlogged = warmUp.phase(false, () -> WarmUpEnd.await(length, startNs));
            return new WarmedUp(warmUp.ending, logged.plus(unlogged));
        }
    }

    /** What ends a phase: a wait while its load runs. */
    private interface PhaseEnd
    {
        /** @return why it ended, or null for the first phase, which ends by the clock. */
        String await() throws InterruptedException;
    }

    /** Takes {@code served}'s first TLS listener, if it has one, and makes the clients for it. */
    private void takeTlsOf(final L7Config served)
    {
        final Listener first = served.listeners().stream().filter((listener) -> listener.tls() != null).findFirst().orElse(null);
        if (first == null)
        {
            return;
        }
        try
        {
            tlsClients = TlsClientSockets.of(first.tls());
            tlsLike = first;
        }
        catch (final GeneralSecurityException ex)
        {
            say.accept("the warm-up leaves TLS out: the JDK has no TLS client (" + ex.getMessage() + ")");
        }
    }

    /** The phase with an access log is cleartext only; the longer one without it has the TLS listener as well. */
    private LoadCounts phase(final boolean logged, final PhaseEnd end) throws IOException, InterruptedException
    {
        try (L7Server server = start(logged)) // closes the access log too
        {
            final List<Listener> listeners = server.config().listeners();
            final InetSocketAddress tlsListener = listeners.size() > 1 ? listeners.get(1).address() : null;
            final TlsMetrics handshakes = server.metrics().tls();
            final WarmUpLoad load = WarmUpLoad.start(listeners.getFirst().address(), tlsListener,
                tlsListener == null ? null : tlsClients);
            final LoadCounts counts;
            try
            {
                ending = end.await();
            }
            finally
            {
                counts = load.stop(); // the clients end before the proxy they talk to is closed
            }
            return counts.withHandshakes(handshakes.handshakes(false), handshakes.handshakes(true));
        }
    }

    /**
     * The proxy on free ports of 127.0.0.1: a configuration names its ports (0 is refused), so they
     * are asked of the kernel and then bound; should another process take one in between, others.
     * When the TLS engine refuses the TLS listener's settings, one line says so and the proxy
     * starts without it: the cleartext paths are still worth warming.
     */
    private L7Server start(final boolean logged) throws IOException
    {
        int bindFailures = 0;
        while (true)
        {
            final int[] ports = freeLoopbackPorts(logged || tlsLike == null ? 1 : 2);
            final L7Config config = config(ports);
            final AccessLog accessLog = logged ? AccessLog.toFile(NOWHERE, AccessLog.DEFAULT_CAPACITY) : null;
            try
            {
                return new L7Server(config, transport, threads, accessLog, () ->
                {
                    throw new IllegalStateException("a warm-up proxy has no file to reload");
                });
            }
            catch (final ConfigException ex) // what it throws for a configuration: a TLS engine refusing a setting
            {
                closeIfOpen(accessLog);
                if (ports.length == 1)
                {
                    throw ex;
                }
                say.accept("the warm-up leaves TLS out: " + ex.getMessage());
                tlsLike = null;
            }
            catch (final RuntimeException ex) // Netty rethrows bind(2)'s failure unchecked
            {
                closeIfOpen(accessLog);
                if (++bindFailures == BIND_ATTEMPTS)
                {
                    throw ex;
                }
            }
        }
    }

    private static void closeIfOpen(final AccessLog accessLog)
    {
        if (accessLog != null)
        {
            accessLog.close();
        }
    }

    /** {@code count} ports of 127.0.0.1 free now, all different (held open together while asked for). */
    private static int[] freeLoopbackPorts(final int count) throws IOException
    {
        final ServerSocket[] probes = new ServerSocket[count];
        try
        {
            final int[] ports = new int[count];
            for (int i = 0; i < count; i++)
            {
                probes[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = probes[i].getLocalPort();
            }
            return ports;
        }
        finally
        {
            for (final ServerSocket probe : probes)
            {
                if (probe != null)
                {
                    probe.close();
                }
            }
        }
    }

    /**
     * As bench/rps/sluice-l7.yaml.in: one listener on {@code ports[0]}, one route, a round-robin
     * pool of two servers; and on {@code ports[1]}, when there is one, the TLS listener.
     */
    private L7Config config(final int[] ports)
    {
        final L7Config cleartext = L7ConfigLoader.parse("""
            listeners:
              - name: warm-up
                address: 127.0.0.1:%d
            routes:
              - name: all
                to: pool
            pools:
              pool:
                balance: round-robin
                servers:
                  - { name: one, address: "127.0.0.1:%d" }
                  - { name: two, address: "127.0.0.1:%d" }
            """.formatted(ports[0], one.address().getPort(), two.address().getPort()), "the warm-up configuration");
        if (ports.length == 1)
        {
            return cleartext;
        }
        final List<Listener> listeners = new ArrayList<>(cleartext.listeners());
        listeners.add(tlsListener(tlsLike, new InetSocketAddress(InetAddress.getLoopbackAddress(), ports[1])));
        return new L7Config(listeners, cleartext.routes(), cleartext.pools(), cleartext.timeouts(), cleartext.admin(),
            cleartext.limits(), null);
    }

    /**
     * {@code served}'s TLS at {@code address}: the same certificates (so the same key types, and
     * the engine the real listener gets), ticket keys, ALPN, versions, cipher suites, groups, SNI
     * policy and HSTS. Two things are left out: a PROXY protocol header (the warm-up's clients
     * send none), and client certificates: the warm-up's clients have none to show, so a listener
     * that required one would refuse every handshake; the warm-up's asks for none and has no client CA.
     * Nor does it cap connections per client: its clients all come from 127.0.0.1.
     */
    private static Listener tlsListener(final Listener served, final InetSocketAddress address)
    {
        final ListenerTls tls = served.tls();
        return new Listener("warm-up-tls", address, null, new ListenerTls(tls.certificates(), tls.strictSni(), tls.alpn(),
            tls.minVersion(), tls.ciphers(), tls.groups(), ListenerTls.ClientAuth.NONE, null, tls.ticketKeys(), tls.hsts(),
            tls.where()), 0, served.webSocketsOverHttp2(), 0);
    }
}
