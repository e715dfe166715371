package io.sluice.control.demo;

import io.sluice.lab.Lab;
import io.sluice.lab.http.HttpLoad;
import io.sluice.lab.http.HttpReply;
import io.sluice.linux.NetworkNamespace;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Load from the client's namespace while forwarders come and go: new HTTP connections, one
 * request each, and long-lived keep-alive connections each asked for a page every {@link
 * #LONG_LIVED_INTERVAL_MS}. The new connections come either from a few threads one after the
 * other ({@link #start}: as many as the machine makes) or open loop ({@link #openLoop}: a fixed
 * rate for a fixed time, each started at its due time whether the ones before it were answered or
 * not, so a stall shows as failures rather than as fewer attempts). Counts what succeeded and how
 * the rest failed; a long-lived connection that fails once is counted and not used again.
 */
public final class FailoverLoad implements AutoCloseable
{
    public static final long LONG_LIVED_INTERVAL_MS = 100;
    /** Covers one SYN retransmission (1 s): a SYN lost on a path the router has just dropped is sent again on the other. */
    private static final int NEW_CONNECTION_TIMEOUT_MS = 2_500;
    private static final long START_TIMEOUT_S = 30;
    private static final long AWAIT_POLL_MS = 50;

    private final InetSocketAddress vip;
    private final long newConnectionPauseMs;
    private final int newConnectionTimeoutMs;
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong longLivedRequests = new AtomicLong();
    private final Map<String, Long> failures = new TreeMap<>();
    private final List<String> longLivedFailures = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch newConnectionsDone = new CountDownLatch(1);
    private volatile boolean running = true;

    /** Per phase: new connections that were answered and that failed. */
    public record Counts(long ok, long failed)
    {
        public Counts minus(final Counts earlier)
        {
            return new Counts(ok - earlier.ok, failed - earlier.failed);
        }

        public double successPercent()
        {
            return ok + failed == 0 ? 0 : 100.0 * ok / (ok + failed);
        }
    }

    private FailoverLoad(final String vip, final int port, final long newConnectionPauseMs, final int newConnectionTimeoutMs)
    {
        this.vip = new InetSocketAddress(vip, port);
        this.newConnectionPauseMs = newConnectionPauseMs;
        this.newConnectionTimeoutMs = newConnectionTimeoutMs;
    }

    /** Opens the long-lived connections, then starts the new-connection threads, each opening one after the other. */
    public static FailoverLoad start(final String namespace, final String vip, final int port, final int newConnectionThreads,
        final int longLived) throws InterruptedException
    {
        return start(namespace, vip, port, newConnectionThreads, longLived, 0);
    }

    /**
     * As {@link #start(String, String, int, int, int)}, each new-connection thread pausing
     * {@code newConnectionPauseMs} after each connection: a steady rate rather than as many as the machine can make.
     */
    public static FailoverLoad start(final String namespace, final String vip, final int port, final int newConnectionThreads,
        final int longLived, final long newConnectionPauseMs) throws InterruptedException
    {
        final FailoverLoad load = new FailoverLoad(vip, port, newConnectionPauseMs, NEW_CONNECTION_TIMEOUT_MS);
        load.openLongLived(namespace, longLived);
        for (int i = 0; i < newConnectionThreads; i++)
        {
            load.threads.add(Thread.ofPlatform().name("failover-new-" + i).start(() ->
            {
                NetworkNamespace.enter(namespace);
                load.runNewConnections();
            }));
        }
        return load;
    }

    /**
     * Opens the long-lived connections, then starts {@code perSecond} new connections a second for
     * {@code duration}, each at its due time on a thread of a pool in the namespace (as many
     * threads as can be waiting at once), each failed when not answered within {@code timeoutMs}
     * (for the connect, and again for the answer).
     */
    public static FailoverLoad openLoop(final String namespace, final String vip, final int port, final int perSecond,
        final Duration duration, final int timeoutMs, final int longLived) throws InterruptedException
    {
        final FailoverLoad load = new FailoverLoad(vip, port, 0, timeoutMs);
        load.openLongLived(namespace, longLived);
        final int poolSize = (int)Math.ceil(perSecond * 2.0 * timeoutMs / 1_000) + 4;
        final ExecutorService pool = Executors.newFixedThreadPool(poolSize, (work) -> Thread.ofPlatform().name("failover-new")
            .unstarted(() ->
            {
                NetworkNamespace.enter(namespace);
                work.run();
            }));
        final long count = perSecond * duration.toSeconds();
        final long periodNs = TimeUnit.SECONDS.toNanos(1) / perSecond;
        load.threads.add(Thread.ofPlatform().name("failover-schedule").start(() ->
        {
            final long startNs = System.nanoTime();
            for (long i = 0; i < count && load.running; i++)
            {
                final long dueNs = startNs + i * periodNs;
                for (long waitNs = dueNs - System.nanoTime(); waitNs > 0; waitNs = dueNs - System.nanoTime())
                {
                    LockSupport.parkNanos(waitNs);
                }
                pool.execute(load::newConnection);
            }
            pool.shutdown();
            try
            {
                pool.awaitTermination(START_TIMEOUT_S, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            load.newConnectionsDone.countDown();
        }));
        return load;
    }

    /**
     * Waits until every new connection {@link #openLoop} scheduled was answered or failed.
     *
     * @throws IllegalStateException when they were not within {@code timeout}.
     */
    public void awaitNewConnectionsDone(final Duration timeout) throws InterruptedException
    {
        if (!newConnectionsDone.await(timeout.toMillis(), TimeUnit.MILLISECONDS))
        {
            throw new IllegalStateException("the new connections were not done within " + timeout.toSeconds() + " s: " +
                counts());
        }
    }

    private void openLongLived(final String namespace, final int longLived) throws InterruptedException
    {
        final CountDownLatch opened = new CountDownLatch(1);
        threads.add(Thread.ofPlatform().name("failover-long-lived").start(() ->
        {
            NetworkNamespace.enter(namespace);
            runLongLived(longLived, opened);
        }));
        if (!opened.await(START_TIMEOUT_S, TimeUnit.SECONDS) || !longLivedFailures.isEmpty())
        {
            close();
            throw new IllegalStateException("the long-lived connections did not open: " + longLivedFailures);
        }
    }

    public Counts counts()
    {
        return new Counts(ok.get(), failed.get());
    }

    /** Why new connections failed, by reason. */
    public Map<String, Long> failures()
    {
        synchronized (failures)
        {
            return Map.copyOf(failures);
        }
    }

    /** One line per long-lived connection that failed: which, when and how. */
    public List<String> longLivedFailures()
    {
        return List.copyOf(longLivedFailures);
    }

    /**
     * Waits until {@code answers} new connections were answered (a busy machine may take a while over the first ones).
     *
     * @throws IllegalStateException with the failures so far when they were not within {@code timeout}.
     */
    public void awaitAnswered(final long answers, final Duration timeout)
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (ok.get() < answers)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("the load got " + counts() + " within " + timeout.toSeconds() + " s: " + failures());
            }
            Lab.sleepMs(AWAIT_POLL_MS);
        }
    }

    public long longLivedRequests()
    {
        return longLivedRequests.get();
    }

    private void runNewConnections()
    {
        while (running)
        {
            if (newConnectionPauseMs > 0)
            {
                Lab.sleepMs(newConnectionPauseMs);
            }
            newConnection();
        }
    }

    private void newConnection()
    {
        try
        {
            final HttpReply reply = HttpLoad.requestOnNewConnection(vip, vip.getHostString(), "/", newConnectionTimeoutMs);
            if (reply.status() == 200)
            {
                ok.incrementAndGet();
                return;
            }
            fail("status " + reply.status());
        }
        catch (final IOException ex)
        {
            fail(ex.getClass().getSimpleName() + ": " + ex.getMessage());
        }
    }

    private void fail(final String reason)
    {
        failed.incrementAndGet();
        synchronized (failures)
        {
            failures.merge(reason, 1L, Long::sum);
        }
    }

    private void runLongLived(final int count, final CountDownLatch opened)
    {
        final List<KeepAliveConnection> connections = new ArrayList<>(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                connections.add(KeepAliveConnection.open(vip.getHostString(), vip.getPort()));
            }
        }
        catch (final IOException ex)
        {
            longLivedFailures.add("open: " + ex);
        }
        opened.countDown();
        final boolean[] broken = new boolean[connections.size()];
        while (running && hasLive(broken))
        {
            for (int i = 0; i < connections.size(); i++)
            {
                if (broken[i])
                {
                    continue;
                }
                try
                {
                    connections.get(i).get();
                    longLivedRequests.incrementAndGet();
                }
                catch (final IOException ex)
                {
                    broken[i] = true;
                    longLivedFailures.add("connection " + i + " (local port " + connections.get(i).socket().getLocalPort() +
                        ") at " + System.currentTimeMillis() + ": " + ex);
                }
            }
            Lab.sleepMs(LONG_LIVED_INTERVAL_MS);
        }
        for (final KeepAliveConnection connection : connections)
        {
            try
            {
                connection.close();
            }
            catch (final IOException ignored)
            {
                // closing at the end of the test
            }
        }
    }

    private static boolean hasLive(final boolean[] broken)
    {
        for (final boolean isBroken : broken)
        {
            if (!isBroken)
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws InterruptedException
    {
        running = false;
        for (final Thread thread : threads)
        {
            thread.join(TimeUnit.SECONDS.toMillis(START_TIMEOUT_S));
        }
    }
}
