package io.sluice.l7.balance;

import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import io.sluice.l7.config.Server;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A server of a pool as the balancer sees it: whether it may take requests, and how many requests
 * it has in flight (least-request compares them; its {@code max_requests} caps them). Two judges
 * can take it out, independently: the active health checks ({@link #healthy(boolean)}) and
 * passive outlier ejection ({@link #ejected(boolean)}); it is picked only when neither has. Every
 * event loop and the health checker touch it, so both are atomics. The in-flight count outlives
 * a reload: the server of the same pool, name and address in the next configuration counts on
 * the same counter, so its limit holds across it and the requests begun before it end there.
 */
public final class Upstream
{
    private static final VarHandle OUT_OF_SERVICE;
    /** Bits of {@link #outOfService}: one judge each, so neither can put back a server the other took out. */
    private static final int FAILING_CHECKS = 1;
    private static final int EJECTED = 2;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            OUT_OF_SERVICE = lookup.findVarHandle(Upstream.class, "outOfService", int.class);
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

    /** Shared with this server's namesakes in the configurations before and after this one. */
    private final InFlight inFlight;

    @SuppressWarnings("unused") // through OUT_OF_SERVICE
    private volatile int outOfService;

    /**
     * @param stickyCookie the pool's sticky cookie name, or null when it has none.
     * @param inFlight     the count of the same server in the configuration this one replaces, or a new one.
     */
    Upstream(final Server server, final AtomicLong poolHealthChanges, final String stickyCookie, final InFlight inFlight)
    {
        this.server = server;
        this.poolHealthChanges = poolHealthChanges;
        this.inFlight = inFlight;
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

    /** A request to this server started, whatever its limit; call {@link #end()} exactly once when it is over. */
    public void begin()
    {
        inFlight.take();
    }

    /**
     * A request to this server starts if it has room under its {@code max_requests}; then call
     * {@link #end()} exactly once when it is over.
     */
    boolean tryBegin()
    {
        return inFlight.tryTake(server.maxRequests());
    }

    /** A request to this server ended (answered, failed, or abandoned). */
    public void end()
    {
        inFlight.release();
    }

    public int inFlight()
    {
        return inFlight.get();
    }

    /** Under its {@code max_requests} (or without one). */
    boolean hasRoom()
    {
        return inFlight.below(server.maxRequests());
    }

    /** The count, by identity: what a request waiting for this server waits for, across reloads. */
    InFlight inFlightCounter()
    {
        return inFlight;
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
