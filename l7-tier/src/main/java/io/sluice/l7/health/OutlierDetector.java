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
 * <p>One per configuration; a reload starts the new one with every server in (ejections are not
 * carried over: they are cheap to earn again, and five failures are soon seen).
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
    private final InstantSource clock;

    public OutlierDetector(final Collection<PoolBalancer> pools)
    {
        this(pools, InstantSource.system());
    }

    /** @param clock for ejection times; tests pass one they move. */
    public OutlierDetector(final Collection<PoolBalancer> pools, final InstantSource clock)
    {
        this.clock = clock;
        final Map<Upstream, EjectionState> byUpstream = new HashMap<>();
        for (final PoolBalancer pool : pools)
        {
            final PoolEjections ejections = new PoolEjections(pool.upstreams(), BASE_EJECTION.toMillis(), MAX_EJECTION.toMillis());
            for (final EjectionState state : ejections.members())
            {
                byUpstream.put(state.upstream, state);
            }
        }
        states = Map.copyOf(byUpstream); // Upstream keeps Object's identity equality: one entry per server object
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
