package io.sluice.l7.balance;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.concurrent.EventExecutor;
import io.sluice.l7.config.Pool;
import io.sluice.l7.config.Server;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Picks a server of one pool for each request: a healthy server named by the request's sticky
 * cookie if the pool has one, else the pool's algorithm's choice among the healthy servers.
 *
 * <p>One instance per pool per configuration, shared by every event loop. Picking takes no lock:
 * the healthy servers are an immutable {@link HealthySet} rebuilt (by whichever event loop
 * notices first) when a health flag changes, and the algorithms' state is atomics.
 *
 * <p>Before a request leaves, the proxy takes a slot for it ({@link #begin}, else
 * {@link #enqueue}) and ends it ({@link #end}) exactly once however the request ends: the
 * in-flight counts least-request reads and the {@code max_requests} limits (the pool's and its
 * servers') hold. A server at its limit is passed over for one with room, as the algorithm would
 * choose next, unless the request is pinned to it (by its sticky cookie, or by the hash of a
 * hashing pool): then, as with no room anywhere, it waits in the pool's queue ({@link PoolQueue}).
 */
public final class PoolBalancer
{
    private final Pool pool;
    private final Upstream[] upstreams;
    private final Map<String, Upstream> byName;
    private final AtomicLong healthChanges = new AtomicLong();
    private final Algorithm algorithm;
    /** The sticky cookie's name, or null when the pool is not sticky. */
    private final String stickyCookie;
    /** Servers by {@link Upstream#stickyValue()}; empty when the pool is not sticky. */
    private final Map<String, Upstream> byStickyValue;
    /** Shared with the pool of the same name in the configurations before and after this one. */
    private final PoolQueue queue;
    private final long queueTimeoutNanos;

    private volatile HealthySet healthy;

    public PoolBalancer(final Pool pool)
    {
        this(pool, ThreadLocalRandom::current);
    }

    /** With the random source least-request's draws need; see {@link #PoolBalancer(Pool, Supplier, PoolBalancer)}. */
    public PoolBalancer(final Pool pool, final Supplier<? extends RandomGenerator> random)
    {
        this(pool, random, null);
    }

    /**
     * The pool of a configuration that replaces {@code previous} (a reload; null for none): its
     * servers of the same name and address count on their namesakes' in-flight counts, and the
     * pool on its queue. Nothing of {@code previous} changes until {@link #serve()}.
     */
    public PoolBalancer(final Pool pool, final PoolBalancer previous)
    {
        this(pool, ThreadLocalRandom::current, previous);
    }

    /**
     * @param random   the random source for least-request's draws, fetched per pick; tests pass a
     *                 seeded one (which must then be thread-safe if the test picks from threads).
     * @param previous the pool of the configuration this one replaces, or null.
     *                 A pool may have no servers (its names have not resolved yet): it answers every request 503.
     * @throws IllegalArgumentException when the pool cannot be served, naming it and why.
     */
    public PoolBalancer(final Pool pool, final Supplier<? extends RandomGenerator> random, final PoolBalancer previous)
    {
        this.pool = pool;
        this.queue = previous == null ? new PoolQueue(this) : previous.queue;
        this.queueTimeoutNanos = pool.queue().timeout().toNanos();
        stickyCookie = pool.sticky() == null ? null : pool.sticky().cookie();
        upstreams = new Upstream[pool.servers().size()];
        final Map<String, Upstream> names = new HashMap<>();
        final Map<String, Upstream> stickyValues = new HashMap<>();
        for (int i = 0; i < upstreams.length; i++)
        {
            final Server server = pool.servers().get(i);
            if (server.address().isUnresolved())
            {
                // io.sluice.l7.dns serves a name's addresses as servers of their own; the name itself is no address.
                throw new IllegalArgumentException("pool '" + pool.name() + "': server '" + server.name() + "' is named by DNS ("
                    + server.address().getHostString() + ") and not resolved");
            }
            if (server.weight() < 1)
            {
                throw new IllegalArgumentException("pool '" + pool.name() + "': server '" + server.name() + "' has weight " + server.weight());
            }
            final Upstream before = previous == null ? null : previous.upstream(server.name());
            final boolean same = before != null && before.server().address().equals(server.address());
            upstreams[i] = new Upstream(server, healthChanges, stickyCookie,
                same ? before.inFlightCounter() : new InFlight());
            if (names.put(server.name(), upstreams[i]) != null)
            {
                throw new IllegalArgumentException("pool '" + pool.name() + "' has two servers named '" + server.name() + "'");
            }
            final Upstream sameCookie = stickyValues.put(upstreams[i].stickyValue(), upstreams[i]);
            if (sameCookie != null && stickyCookie != null)
            {
                throw new IllegalArgumentException("pool '" + pool.name() + "': servers '" + sameCookie.name() + "' and '"
                    + server.name() + "' have the same sticky cookie value; rename one");
            }
        }
        byName = Map.copyOf(names);
        byStickyValue = stickyCookie == null ? Map.of() : Map.copyOf(stickyValues);
        algorithm = switch (pool.balance())
        {
            case ROUND_ROBIN -> new SmoothWeightedRoundRobin();
            case LEAST_REQUEST -> new LeastRequest(random);
            case HASH ->
            {
                if (pool.hashOn() == null)
                {
                    throw new IllegalArgumentException("pool '" + pool.name() + "' hashes but says not on what");
                }
                yield new RingHash(pool.hashOn(), upstreams, new SmoothWeightedRoundRobin());
            }
        };
        healthy = HealthySet.of(upstreams, healthChanges.get());
    }

    public Pool pool()
    {
        return pool;
    }

    public String name()
    {
        return pool.name();
    }

    /** In the configuration's order; the health checker sets their flags. */
    public List<Upstream> upstreams()
    {
        return List.of(upstreams);
    }

    /** The pool's server of that name, or null. */
    public Upstream upstream(final String serverName)
    {
        return byName.get(serverName);
    }

    /**
     * Where this request goes, and for a sticky pool the cookie to set on the response.
     *
     * @param client the client's address (hashing on it needs it), or null when unknown.
     * @return {@link Pick#NONE} when no server is healthy; never null.
     */
    public Pick pick(final HttpRequest request, final InetSocketAddress client)
    {
        final HealthySet current = healthySet();
        if (current.isEmpty())
        {
            return Pick.NONE;
        }
        if (stickyCookie == null)
        {
            return algorithm.choose(request, client, current).pick();
        }
        final String cookie = RequestCookies.value(request.headers(), stickyCookie);
        if (cookie != null)
        {
            final Upstream named = byStickyValue.get(cookie);
            if (named != null && named.healthy())
            {
                return named.pick();
            }
        }
        // No cookie, or one naming a server that is down or gone: choose afresh and say so.
        return algorithm.choose(request, client, current).pickSettingCookie();
    }

    /**
     * Takes a slot for a request on {@code chosen}'s server, or when it is full and the request is
     * not pinned to it, on another with room as the algorithm chooses; none while requests wait.
     *
     * @param chosen what {@link #pick} chose for the request (with a server).
     * @return the pick with the slot (then {@link #end} it once), or null: none free, {@link #enqueue} it.
     */
    public Pick begin(final Pick chosen, final HttpRequest request, final InetSocketAddress client)
    {
        if (queue.waiting() > 0 || !queue.tryBegin(pool.maxRequests()))
        {
            return null;
        }
        if (chosen.upstream().tryBegin())
        {
            return chosen;
        }
        if (!pinned(chosen, request, client))
        {
            for (int i = 0; i < upstreams.length; i++)
            {
                final Upstream other = withRoom(request, client);
                if (other == null)
                {
                    break;
                }
                if (other.tryBegin())
                {
                    return other.pickSettingCookie();
                }
            }
        }
        queue.end();
        return null;
    }

    /**
     * Queues a request {@link #begin} found no slot for, on its event loop {@code executor}:
     * its {@link QueuedRequest#outcome()} says whether it was admitted at once after all, refused
     * (the queue is full) or waits; a waiting one's listener hears on {@code executor}.
     */
    public QueuedRequest enqueue(final Pick chosen, final HttpRequest request, final InetSocketAddress client,
        final QueueListener listener, final EventExecutor executor)
    {
        final InFlight pinnedTo = pinned(chosen, request, client) ? chosen.upstream().inFlightCounter() : null;
        return queue.enqueue(request, client, chosen, pinnedTo, listener, executor, pool.queue().size(), queueTimeoutNanos);
    }

    /** Ends the slot a request was given on {@code upstream} (by {@link #begin} or its queue): exactly once. */
    public void end(final Upstream upstream)
    {
        upstream.end();
        queue.end();
    }

    /** The request no longer waits (its exchange ended): out of the queue, or the slot it was just given, back. */
    public void leave(final QueuedRequest queued)
    {
        queue.leave(queued);
    }

    /** This configuration takes the pool's waiting requests from now on (a reload committed); a raised limit admits some. */
    public void serve()
    {
        queue.serve(this);
    }

    /** Requests in flight to the pool's servers (this configuration's and those before it still running). */
    public int inFlight()
    {
        return queue.inFlight();
    }

    /** Requests waiting in the pool's queue. */
    public int waiting()
    {
        return queue.waiting();
    }

    int maxRequests()
    {
        return pool.maxRequests();
    }

    /**
     * Whether the request may only go to {@code chosen}'s server: its sticky cookie named it (a
     * pick that sets no cookie in a sticky pool), or a hashing pool hashed its key to it.
     */
    private boolean pinned(final Pick chosen, final HttpRequest request, final InetSocketAddress client)
    {
        return stickyCookie != null && chosen.setCookie() == null || algorithm.keyed(request, client);
    }

    /** The healthy server counting on {@code inFlight}, the one a pinned request waits for; null when it is down or gone. */
    Upstream servingPinned(final InFlight inFlight)
    {
        for (final Upstream upstream : upstreams)
        {
            if (upstream.inFlightCounter() == inFlight)
            {
                return upstream.healthy() ? upstream : null;
            }
        }
        return null;
    }

    /**
     * A healthy server with room: the algorithm's next choices first (round-robin's next turns,
     * least-request's next draws), then, when they keep landing on full servers, the least loaded
     * with room; null when none has room.
     */
    Upstream withRoom(final HttpRequest request, final InetSocketAddress client)
    {
        final HealthySet current = healthySet();
        if (current.isEmpty())
        {
            return null;
        }
        for (int i = 0; i < current.upstreams.length; i++)
        {
            final Upstream choice = algorithm.choose(request, client, current);
            if (choice.hasRoom())
            {
                return choice;
            }
        }
        Upstream least = null;
        for (final Upstream upstream : current.upstreams)
        {
            if (upstream.hasRoom() && (least == null || upstream.inFlight() < least.inFlight()))
            {
                least = upstream;
            }
        }
        return least;
    }

    private HealthySet healthySet()
    {
        // The count is read before the flags, so a change during the rebuild leaves the new set
        // already stale and the next pick rebuilds again: a set is never newer than its count says.
        final long changes = healthChanges.get();
        HealthySet current = healthy;
        if (current.healthChanges != changes)
        {
            current = HealthySet.of(upstreams, changes);
            healthy = current;
        }
        return current;
    }

    @Override
    public String toString()
    {
        return "pool '" + pool.name() + "' " + List.of(upstreams);
    }
}
