package io.sluice.l7.balance;

import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import io.sluice.l7.config.Server;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A server of a pool as the balancer sees it: whether the health checks let it take requests,
 * and how many requests it has in flight (least-request compares them). Every event loop and the
 * health checker touch it, so both are atomics.
 */
public final class Upstream
{
    private static final VarHandle HEALTHY;
    private static final VarHandle IN_FLIGHT;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEALTHY = lookup.findVarHandle(Upstream.class, "healthy", boolean.class);
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

    @SuppressWarnings("unused") // through HEALTHY
    private volatile boolean healthy = true;
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

    /** True until a health check says otherwise. */
    public boolean healthy()
    {
        return (boolean)HEALTHY.getVolatile(this);
    }

    /** Set by the health checker (any thread); takes effect on the pool's next pick. */
    public void healthy(final boolean healthy)
    {
        if ((boolean)HEALTHY.getAndSet(this, healthy) != healthy)
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
        return server.name() + "@" + server.address() + (healthy() ? "" : " (unhealthy)");
    }
}
