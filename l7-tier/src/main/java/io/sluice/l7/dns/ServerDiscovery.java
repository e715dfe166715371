package io.sluice.l7.dns;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.sluice.l7.config.DnsSettings;
import io.sluice.l7.config.L7Config;
import io.sluice.l7.config.Pool;
import io.sluice.l7.config.Server;
import io.sluice.l7.metrics.DnsStats;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The DNS names of the served configuration's pool servers, each {@link WatchedName watched}: looked up when a
 * configuration first names it ({@link #resolve}, then {@link #watch} once that configuration serves), again
 * whenever its TTL runs out, and dropped when no configuration names it any more. A changed answer calls the
 * listener given, which serves the pools again with {@link #current()}'s addresses.
 *
 * <p>The lookups run on an event loop of their own, made with the first name: a few packets per TTL do not
 * need the proxy's loops, and NIO serves on every transport. The listener runs on a thread of its own too: serving
 * the pools again waits for the server's lock, which a reload holds while it waits for this loop's lookups.
 */
public final class ServerDiscovery implements AutoCloseable
{
    private final Runnable answersChanged;
    private final ExecutorService applying =
        Executors.newSingleThreadExecutor(new DefaultThreadFactory("sluice-dns-apply", true));
    /** Several names changing at once serve the pools again once. */
    private final AtomicBoolean applyPending = new AtomicBoolean();
    private final Map<String, WatchedName> watched = new ConcurrentHashMap<>();
    private EventLoopGroup group;
    /** The lookups watched names make now; null before the first name. */
    private volatile NameLookup lookup;
    /** Made by {@link #resolve} for other settings, current once {@link #watch}ed; else null. */
    private NameLookup pending;

    /** @param answersChanged run (on a thread of its own, never two at once) when a watched name's addresses changed. */
    public ServerDiscovery(final Runnable answersChanged)
    {
        this.answersChanged = answersChanged;
    }

    /**
     * The addresses of every name {@code config}'s servers use: the watched names' last good ones, and the others
     * looked up now, the calling thread waiting for their answers (up to {@code dns.timeout} per name server).
     *
     * @throws IllegalArgumentException in one line: a new name that does not resolve (with {@code dns.unresolved:
     *         refuse}, the default), or no name servers to ask.
     */
    public synchronized Resolution resolve(final L7Config config)
    {
        final Map<String, String> names = names(config);
        if (names.isEmpty())
        {
            return new Resolution(Map.of(), Map.of(), lookup);
        }
        final NameLookup using = lookupFor(config.dns());
        final Map<String, Future<Answer>> asked = new TreeMap<>();
        final Map<String, List<InetAddress>> addresses = new HashMap<>();
        names.forEach((name, server) ->
        {
            final WatchedName known = watched.get(name);
            if (known == null)
            {
                asked.put(name, using.lookUp(name));
            }
            else
            {
                addresses.put(name, known.addresses());
            }
        });
        final DnsSettings settings = config.dns();
        final long waitMs = settings.timeout().toMillis() * (Math.max(1, settings.servers().size()) + 1) + 1000;
        final Map<String, Answer> found = new HashMap<>();
        for (final Map.Entry<String, Future<Answer>> entry : asked.entrySet())
        {
            final Future<Answer> future = entry.getValue();
            final Answer answer = future.awaitUninterruptibly(waitMs) ? future.getNow() : Answer.failed("timed out");
            if (!answer.succeeded() && settings.refuseUnresolved())
            {
                throw new IllegalArgumentException(names.get(entry.getKey()) + ": " + entry.getKey() + " does not resolve ("
                    + answer.failure() + "); dns: { unresolved: empty } would serve it once it does");
            }
            if (!answer.succeeded())
            {
                say(entry.getKey() + " does not resolve (" + answer.failure() + "); " + names.get(entry.getKey())
                    + " waits for it (dns.unresolved: empty)");
            }
            found.put(entry.getKey(), answer);
            addresses.put(entry.getKey(), answer.addresses());
        }
        return new Resolution(addresses, found, using);
    }

    /**
     * {@code config} serves from now on with {@code resolution} (its {@link #resolve}): its new names are watched,
     * those it no longer names are not, and lookups use its {@code dns:} settings.
     */
    public synchronized void watch(final L7Config config, final Resolution resolution)
    {
        final Map<String, String> names = names(config);
        if (resolution.lookup != null && resolution.lookup != lookup)
        {
            final NameLookup before = lookup;
            lookup = resolution.lookup;
            pending = null;
            if (before != null)
            {
                before.close();
            }
        }
        watched.entrySet().removeIf(entry ->
        {
            final boolean gone = !names.containsKey(entry.getKey());
            if (gone)
            {
                entry.getValue().stop();
            }
            return gone;
        });
        resolution.found.forEach((name, first) ->
        {
            if (names.containsKey(name) && !watched.containsKey(name))
            {
                watched.put(name, new WatchedName(name, this, loop(), first));
            }
        });
    }

    /** The watched names' addresses now. */
    public Resolution current()
    {
        final Map<String, List<InetAddress>> addresses = new HashMap<>();
        watched.forEach((name, watching) -> addresses.put(name, watching.addresses()));
        return new Resolution(addresses, Map.of(), lookup);
    }

    /** Each watched name's figures, by name. */
    public List<DnsStats> stats()
    {
        return new TreeMap<>(watched).values().stream().map(WatchedName::stats).toList();
    }

    NameLookup lookup()
    {
        return lookup;
    }

    /** A watched name's addresses changed (on the loop): the listener runs soon after, off it. */
    void answerChanged()
    {
        if (applyPending.compareAndSet(false, true))
        {
            applying.execute(() ->
            {
                applyPending.set(false); // before: a change during the run is served by another run
                answersChanged.run();
            });
        }
    }

    /** One line on standard output, as the proxy's other news. */
    void say(final String line)
    {
        System.out.println("sluice l7: dns: " + line);
        System.out.flush();
    }

    /** The lookup for these settings: the current one or the pending one when they are the same, else a new one. */
    private NameLookup lookupFor(final DnsSettings settings)
    {
        if (lookup != null && lookup.settings().equals(settings))
        {
            return lookup;
        }
        if (pending == null || !pending.settings().equals(settings))
        {
            if (pending != null)
            {
                pending.close(); // made for a configuration that was refused
            }
            pending = new NameLookup(loop(), settings);
        }
        return pending;
    }

    private EventLoop loop()
    {
        if (group == null)
        {
            group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("sluice-dns", true), NioIoHandler.newFactory());
        }
        return group.next();
    }

    /** Each DNS name the configuration's servers use, with the first server that uses it ({@code pools.api.servers[0]}). */
    private static Map<String, String> names(final L7Config config)
    {
        final Map<String, String> names = new TreeMap<>();
        for (final Pool pool : config.pools().values())
        {
            for (int i = 0; i < pool.servers().size(); i++)
            {
                final Server server = pool.servers().get(i);
                if (server.address().isUnresolved())
                {
                    names.putIfAbsent(server.address().getHostString(), "pools." + pool.name() + ".servers[" + i + "]");
                }
            }
        }
        return names;
    }

    @Override
    public synchronized void close()
    {
        watched.values().forEach(WatchedName::stop);
        watched.clear();
        applying.shutdownNow();
        if (group != null)
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
