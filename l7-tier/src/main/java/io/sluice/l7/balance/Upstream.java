package io.sluice.l7.balance;

import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import io.sluice.l7.config.Server;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A server of a pool as the balancer sees it: whether it may take requests, and how many requests
 * it has in flight (least-request compares them). Two judges can take it out, independently: the
 * active health checks ({@link #healthy(boolean)}) and passive outlier ejection
 * ({@link #ejected(boolean)}); it is picked only when neither has. Every event loop and the
 * health checker touch it, so both are atomics.
 */
public final class Upstream
{
    private static final VarHandle OUT_OF_SERVICE;
    private static final VarHandle IN_FLIGHT;
    /** Bits of {@link #outOfService}: one judge each, so neither can put back a server the other took out. */
    private static final int FAILING_CHECKS = 1;
    private static final int EJECTED = 2;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            OUT_OF_SERVICE = lookup.findVarHandle(Upstream.class, "outOfService", int.class);
            IN_FLIGHT = lookup.findVarHandle(Upstream.class, "inFlight", int.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Server server;
    /** The pool's count of health changes: a change tells the balancer to rebuild its healthy set. */
    private final AtomicLong poolHealthChanges;
    private final String stickyValue;
    /** Made once, so picking allocates nothing: going here with no cookie to set, and setting one. */
    private final Pick pick;
    private final Pick pickSettingCookie;

    @SuppressWarnings("unused") // through OUT_OF_SERVICE
    private volatile int outOfService;
    @SuppressWarnings("unused") // through IN_FLIGHT
    private volatile int inFlight;

    /** @param stickyCookie the pool's sticky cookie name, or null when it has none. */
    Upstream(final Server server, final AtomicLong poolHealthChanges, final String stickyCookie)
    {
        this.server = server;
        this.poolHealthChanges = poolHealthChanges;
        stickyValue = stickyValue(server.name());
        pick = new Pick(this, null);
        pickSettingCookie = stickyCookie == null ? pick : new Pick(this, setCookie(stickyCookie, stickyValue));
    }

    /**
     * The sticky cookie's value for a server: a hash of its name, not its position, so cookies stay
     * valid when servers are added or removed around it, and reveal nothing about the backend.
     */
    static String stickyValue(final String serverName)
    {
        return Hash64.hex(Hash64.hash(serverName));
    }

    private static String setCookie(final String name, final String value)
    {
        final DefaultCookie cookie = new DefaultCookie(name, value);
        cookie.setPath("/");
        cookie.setHttpOnly(true);
        return ServerCookieEncoder.STRICT.encode(cookie);
    }

    public Server server()
    {
        return server;
    }

    public String name()
    {
        return server.name();
    }

    public int weight()
    {
        return server.weight();
    }

    /** Pickable: the active checks pass (or there are none) and passive ejection has not taken it out. */
    public boolean healthy()
    {
        return (int)OUT_OF_SERVICE.getVolatile(this) == 0;
    }

    /** The active health checks' verdict (any thread); takes effect on the pool's next pick. */
    public void healthy(final boolean healthy)
    {
        take(FAILING_CHECKS, !healthy);
    }

    /** Whether the active health checks let it take requests, whatever passive ejection says. */
    public boolean passesChecks()
    {
        return ((int)OUT_OF_SERVICE.getVolatile(this) & FAILING_CHECKS) == 0;
    }

    /** Whether passive outlier ejection has taken it out. */
    public boolean ejected()
    {
        return ((int)OUT_OF_SERVICE.getVolatile(this) & EJECTED) != 0;
    }

    /** Set by outlier ejection (any thread); takes effect on the pool's next pick. */
    public void ejected(final boolean ejected)
    {
        take(EJECTED, ejected);
    }

    private void take(final int judge, final boolean out)
    {
        int before;
        int after;
        do
        {
            before = (int)OUT_OF_SERVICE.getVolatile(this);
            after = out ? before | judge : before & ~judge;
            if (before == after)
            {
                return;
            }
        }
        while (!OUT_OF_SERVICE.compareAndSet(this, before, after));
        if ((before == 0) != (after == 0))
        {
            // After the flag, so a balancer that sees the new count also sees the new flag.
            poolHealthChanges.incrementAndGet();
        }
    }

    /** A request to this server started; call {@link #end()} exactly once when it is over. */
    public void begin()
    {
        IN_FLIGHT.getAndAdd(this, 1);
    }

    /** A request to this server ended (answered, failed, or abandoned). */
    public void end()
    {
        IN_FLIGHT.getAndAdd(this, -1);
    }

    public int inFlight()
    {
        return (int)IN_FLIGHT.getVolatile(this);
    }

    String stickyValue()
    {
        return stickyValue;
    }

    Pick pick()
    {
        return pick;
    }

    Pick pickSettingCookie()
    {
        return pickSettingCookie;
    }

    @Override
    public String toString()
    {
        return server.name() + "@" + server.address() + (passesChecks() ? "" : " (unhealthy)") + (ejected() ? " (ejected)" : "");
    }
}
