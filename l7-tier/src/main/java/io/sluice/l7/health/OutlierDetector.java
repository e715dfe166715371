package io.sluice.l7.health;

import io.sluice.l7.balance.PoolBalancer;
import io.sluice.l7.balance.Upstream;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Passive outlier ejection (Envoy's consecutive-5xx outlier detection, HAProxy's
 * {@code observe layer7}): the proxy reports how each exchange with a server ended, and a server
 * that fails {@value #CONSECUTIVE_FAILURES} times in a row is taken out for a while, longer each
 * time, then put back. It sees what checks cannot: a server that answers {@code /health} but
 * fails real requests.
 *
 * <p>Ejection is one of two judges on an {@link Upstream} ({@link Upstream#ejected(boolean)});
 * the active checks are the other, and a server is picked only when neither has taken it out.
 * Thread-safe and lock-free on the common path (an answer that is not a failure reads one
 * counter); taking a server out or putting one back locks its pool. Servers come back on the
 * first report for their pool after their time is up, so there is no timer: a pool that gets no
 * requests has no one to serve anyway.
 *
 * <p>One per configuration. A reload makes the new one from the one it replaces, and a server that
 * stays (same pool, name and address: the health checks' notion, {@link ServerKey}) keeps its
 * state: ejected, it stays out until its time is up, and its run of ejections (which doubles the
 * next one) and its failures in a row go on. Otherwise a reload would hand a server that was
 * just found failing its share of requests again, and reset its backoff to the base time, so a
 * server failing for good would come back every few reloads. Servers that left are forgotten;
 * new ones start clean. Outcomes the old configuration's exchanges report after the reload are
 * its own: they no longer reach the new one.
 */
public final class OutlierDetector
{
    /** Failures in a row that eject a server (Envoy's consecutive_5xx default). */
    public static final int CONSECUTIVE_FAILURES = 5;
    /** The first ejection's length; each further one in a run doubles it (Envoy's base_ejection_time default). */
    public static final Duration BASE_EJECTION = Duration.ofSeconds(30);
    /** No ejection lasts longer, and a server in for this long since its last ejection starts a new run at the base. */
    public static final Duration MAX_EJECTION = Duration.ofMinutes(5);
    /** The status to report when no connection to the server could be made. */
    public static final int CONNECT_FAILED = -1;
    /** The status to report when the exchange broke before any status (the client left, say): no verdict on the server. */
    public static final int NO_STATUS = 0;

    private final Map<Upstream, EjectionState> states;
    /** The same states by name, for the next configuration to take over. */
    private final Map<ServerKey, EjectionState> byKey;
    private final InstantSource clock;

    /** @param previous the detector of the configuration this one replaces, or null for the first. */
    public OutlierDetector(final Collection<PoolBalancer> pools, final OutlierDetector previous)
    {
        this(pools, previous, InstantSource.system());
    }

    /**
     * @param previous the detector of the configuration this one replaces, or null.
     * @param clock    for ejection times; tests pass one they move.
     */
    public OutlierDetector(final Collection<PoolBalancer> pools, final OutlierDetector previous, final InstantSource clock)
    {
        this.clock = clock;
        final long nowMs = clock.millis();
        final Map<Upstream, EjectionState> byUpstream = new HashMap<>();
        final Map<ServerKey, EjectionState> named = new HashMap<>();
        for (final PoolBalancer pool : pools)
        {
            final PoolEjections ejections = new PoolEjections(pool.upstreams(), BASE_EJECTION.toMillis(), MAX_EJECTION.toMillis());
            for (final EjectionState state : ejections.members())
            {
                final ServerKey key = ServerKey.of(pool, state.upstream);
                final EjectionState before = previous == null ? null : previous.byKey.get(key);
                if (before != null && before.upstream.server().address().equals(state.upstream.server().address()))
                {
                    ejections.carryOver(state, before, nowMs);
                }
                byUpstream.put(state.upstream, state);
                named.put(key, state);
            }
        }
        states = Map.copyOf(byUpstream); // Upstream keeps Object's identity equality: one entry per server object
        byKey = Map.copyOf(named);
    }

    /**
     * How an exchange with a server ended; call once per exchange, on any thread.
     *
     * @param status the response's status (a 5xx counts as a failure, anything else clears the
     *               count), {@link #CONNECT_FAILED}, or {@link #NO_STATUS} (counts for nothing).
     *               A server not of this configuration's pools is ignored.
     */
    public void outcome(final Upstream upstream, final int status)
    {
        final EjectionState state = states.get(upstream);
        if (state == null)
        {
            return;
        }
        state.pool.returnDue(clock); // first, so a server due back makes room for one due out
        if (status == CONNECT_FAILED || (status >= 500 && status <= 599))
        {
            if (state.failuresInRow.incrementAndGet() >= CONSECUTIVE_FAILURES)
            {
                state.pool.eject(state, clock.millis());
            }
        }
        else if (status != NO_STATUS && state.failuresInRow.get() != 0)
        {
            state.failuresInRow.set(0); // read first: the usual good answer writes nothing shared
        }
    }

    /** What ejection knows of a server, or null when it is not of this configuration's pools. */
    public EjectionStatus status(final Upstream upstream)
    {
        final EjectionState state = states.get(upstream);
        return state == null ? null : state.pool.status(state);
    }
}
