package io.sluice.l7.health;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.sluice.l7.balance.PoolBalancer;
import io.sluice.l7.balance.Upstream;
import io.sluice.l7.config.HealthCheck;
import io.sluice.l7.config.Pool;
import io.sluice.l7.proxy.Transport;
import io.sluice.l7.upstream.BackendTls;

import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The active health checks of one configuration: every server of every pool that has a
 * {@link HealthCheck}, checked every interval on the proxy's own event loops (each server keeps
 * one loop, spread round the group, so no threads of its own and no locks), its verdict set on
 * its {@link Upstream} with {@link Upstream#healthy(boolean)}.
 *
 * <p>A reload starts the new configuration's checker with the old one as {@code previous}: the
 * old one stops, and a server in both (same pool, name, address and check, and the pool's same
 * protocol and TLS, which the check is spoken in) keeps its state, so a server that is down stays
 * down across the reload instead of taking traffic until it fails {@code fall} checks again, and
 * one coming back keeps its count of passes.
 */
public final class HealthChecker implements AutoCloseable
{
    private final Map<ServerKey, ServerCheck> checks;

    private HealthChecker(final Map<ServerKey, ServerCheck> checks)
    {
        this.checks = Map.copyOf(checks);
    }

    /** {@link #start(Collection, EventLoopGroup, Transport, HealthChecker, InstantSource)} on the system clock. */
    public static HealthChecker start(final Collection<PoolBalancer> pools, final EventLoopGroup loops, final Transport transport,
        final HealthChecker previous)
    {
        return start(pools, loops, transport, previous, InstantSource.system());
    }

    /**
     * Starts checking. Each server's first check comes at a random point of its first interval,
     * so a configuration with many servers does not check them all at the same instant.
     *
     * @param loops     the proxy's event loops; {@code transport} must be the one they were made for.
     * @param previous  the checker this one replaces, stopped here (its states taken over); or null.
     * @param clock     for the reports' times (epoch ms).
     */
    public static HealthChecker start(final Collection<PoolBalancer> pools, final EventLoopGroup loops, final Transport transport,
        final HealthChecker previous, final InstantSource clock)
    {
        if (previous != null)
        {
            previous.close(); // before its states are read, so none changes after
        }
        final Map<ServerKey, ServerCheck> checks = new HashMap<>();
        for (final PoolBalancer pool : pools)
        {
            final HealthCheck check = pool.pool().health();
            if (check == null)
            {
                continue;
            }
            // A check speaks to a server as the pool's requests do (the gRPC check always HTTP/2, as gRPC servers
            // speak it), over the same TLS for an h2 pool: a server passes only if requests can reach it.
            final Pool.Protocol protocol = pool.pool().protocol();
            final BackendTls tls = protocol.tls() == null ? null : BackendTls.of(protocol.tls());
            for (final Upstream upstream : pool.upstreams())
            {
                final InetSocketAddress address = upstream.server().address();
                final ServerKey key = ServerKey.of(pool, upstream);
                final ServerCheck before = previous == null ? null : previous.checks.get(key);
                final boolean same = before != null && before.address().equals(address) && before.check().equals(check) &&
                    before.protocol().equals(protocol);
                final ServerHealth health = same ? before.health() : ServerHealth.unchecked(clock.millis());
                final EventLoop loop = loops.next();
                final Probe probe = (check.grpc()
                    ? new GrpcProbe(loop, transport, address, check, tls)
                    : new HttpProbe(loop, transport, address, check, protocol.http2(), tls)).sendProxy(pool.pool().sendProxy());
                checks.put(key, new ServerCheck(upstream, check, protocol, probe, clock, health));
            }
        }
        final HealthChecker checker = new HealthChecker(checks);
        for (final ServerCheck check : checker.checks.values())
        {
            check.start(ThreadLocalRandom.current().nextLong(check.check().interval().toMillis()));
        }
        return checker;
    }

    /** What the checks know of a server, or null when its pool has no health check (or no such server). */
    public ServerHealth health(final String pool, final String server)
    {
        final ServerCheck check = checks.get(new ServerKey(pool, server));
        return check == null ? null : check.health();
    }

    /** Stops every check; one in flight ends unheeded within its timeout. */
    @Override
    public void close()
    {
        checks.values().forEach(ServerCheck::stop);
    }
}
