package io.sluice.control.warmup;

import io.sluice.l7.accesslog.AccessLog;
import io.sluice.l7.config.L7Config;
import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.proxy.Transport;
import io.sluice.l7.server.L7Server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The L7 tier's warm-up ({@code sluice l7 --warm-up}): the real proxy ({@link L7Server}, the
 * pipeline {@code sluice l7} runs) on a free port of 127.0.0.1, in front of two
 * {@link CannedBackend}s in the same process, under the {@link WarmUpLoad} for a fixed time; then
 * everything is closed and nothing is left listening. What the JIT compiled for it stays: the
 * proxy then bound to the configuration's listeners serves its first client at full speed, and
 * does not recompile when its first connections close, which the warm-up's did already.
 *
 * <p>The proxy runs twice, first with an access log (into /dev/null), then without: the JIT
 * then knows both branches, and a proxy started either way does not throw its compiled code
 * away at its first request.
 */
public final class L7WarmUp
{
    /** The part of it run with an access log. */
    private static final double WITH_ACCESS_LOG = 0.25;
    private static final Path NOWHERE = Path.of("/dev/null");
    private static final int BIND_ATTEMPTS = 3;

    private L7WarmUp()
    {
    }

    /**
     * Warms up for {@code duration} on {@code transport} with {@code threads} event loops (0: one per processor).
     *
     * @return what the load did.
     * @throws IOException when the proxy or a backend cannot be started.
     */
    public static LoadCounts run(final Transport transport, final int threads, final Duration duration)
        throws IOException, InterruptedException
    {
        final long startNs = System.nanoTime();
        final long loggedUntilNs = startNs + (long)(duration.toNanos() * WITH_ACCESS_LOG);
        try (CannedBackend one = new CannedBackend(transport); CannedBackend two = new CannedBackend(transport))
        {
            return phase(one, two, transport, threads, true, loggedUntilNs)
                .plus(phase(one, two, transport, threads, false, startNs + duration.toNanos()));
        }
    }

    private static LoadCounts phase(final CannedBackend one, final CannedBackend two, final Transport transport,
        final int threads, final boolean logged, final long deadlineNs) throws IOException, InterruptedException
    {
        try (L7Server server = start(one, two, transport, threads, logged)) // closes the access log too
        {
            return WarmUpLoad.run(server.boundAddresses().getFirst(), deadlineNs);
        }
    }

    /**
     * The proxy on a free port of 127.0.0.1: a configuration names its port (0 is refused), so one
     * is asked of the kernel and then bound; should another process take it in between, another.
     */
    private static L7Server start(final CannedBackend one, final CannedBackend two, final Transport transport,
        final int threads, final boolean logged) throws IOException
    {
        for (int attempt = 1; ; attempt++)
        {
            final L7Config config = config(freeLoopbackPort(), one.address(), two.address());
            final AccessLog accessLog = logged ? AccessLog.toFile(NOWHERE, AccessLog.DEFAULT_CAPACITY) : null;
            try
            {
                return new L7Server(config, transport, threads, accessLog, () ->
                {
                    throw new IllegalStateException("a warm-up proxy has no file to reload");
                });
            }
            catch (final RuntimeException ex) // Netty rethrows bind(2)'s failure unchecked
            {
                if (accessLog != null)
                {
                    accessLog.close();
                }
                if (attempt == BIND_ATTEMPTS)
                {
                    throw ex;
                }
            }
        }
    }

    private static int freeLoopbackPort() throws IOException
    {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return probe.getLocalPort();
        }
    }

    /** As bench/rps/sluice-l7.yaml.in: one listener, one route, a round-robin pool of two servers. */
    private static L7Config config(final int port, final InetSocketAddress one, final InetSocketAddress two)
    {
        return L7ConfigLoader.parse("""
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
            """.formatted(port, one.getPort(), two.getPort()), "the warm-up configuration");
    }
}
