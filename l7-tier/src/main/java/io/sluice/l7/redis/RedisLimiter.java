package io.sluice.l7.redis;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.EventExecutor;
import io.sluice.l7.config.RedisSettings;
import io.sluice.l7.metrics.RedisMetrics;
import io.sluice.l7.ratelimit.LimitDecision;
import io.sluice.l7.ratelimit.SharedLimiter;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Global rate limits counted in one Redis: a connection per event loop of the proxy, so a
 * decision asked on an event loop (a request's filter) is written on that loop's connection and
 * completes there, crossing no thread. Asked from any other thread, it goes to the loops in turn.
 * Each decision is one {@code EVALSHA} of {@link GcraScript}.
 */
public final class RedisLimiter implements SharedLimiter, AutoCloseable
{
    private final RedisSettings settings;
    private final RedisConnection[] connections;
    private final AtomicInteger nextForOtherThreads = new AtomicInteger();
    /** The last line printed, so that every loop saying the same thing prints it once. */
    private String lastReport;

    /** Starts connecting on every event loop of {@code loops} at once; returns without waiting. */
    public RedisLimiter(final RedisSettings settings, final EventLoopGroup loops,
        final Class<? extends SocketChannel> channelType, final RedisMetrics metrics)
    {
        this.settings = settings;
        final List<RedisConnection> made = new ArrayList<>();
        for (final EventExecutor executor : loops)
        {
            made.add(new RedisConnection((EventLoop)executor, channelType, settings, metrics, this::report));
        }
        this.connections = made.toArray(new RedisConnection[0]);
        for (final RedisConnection connection : connections)
        {
            connection.start();
        }
    }

    public RedisSettings settings()
    {
        return settings;
    }

    @Override
    public CompletionStage<LimitDecision> decide(final String key, final long emissionIntervalNanos, final int burst,
        final int cost)
    {
        if (emissionIntervalNanos <= 0 || burst < 0 || cost < 0
            || emissionIntervalNanos > GcraScript.MAX_WINDOW_NANOS / (burst + 1L))
        {
            return CompletableFuture.failedFuture(new IllegalArgumentException("interval " + emissionIntervalNanos + "ns, burst "
                + burst + ", cost " + cost + ": each must be positive (cost and burst may be 0) and the window at most 2^53 ns"));
        }
        final CompletableFuture<LimitDecision> result = new CompletableFuture<>();
        for (final RedisConnection connection : connections)
        {
            if (connection.loop().inEventLoop())
            {
                connection.decide(result, key, emissionIntervalNanos, burst, cost);
                return result;
            }
        }
        final RedisConnection connection = connections[Math.floorMod(nextForOtherThreads.getAndIncrement(), connections.length)];
        try
        {
            connection.loop().execute(() -> connection.decide(result, key, emissionIntervalNanos, burst, cost));
        }
        catch (final RejectedExecutionException stopping)
        {
            result.completeExceptionally(new RedisException("redis " + addressText(settings) + ": the proxy is stopping"));
        }
        return result;
    }

    /** Stops taking decisions; each connection closes once the decisions in flight on it have ended. */
    @Override
    public void close()
    {
        for (final RedisConnection connection : connections)
        {
            try
            {
                connection.loop().execute(connection::close);
            }
            catch (final RejectedExecutionException stopping)
            {
                // the loop is shutting down, and closes its channels itself
            }
        }
    }

    /** One line for the operator, unless it is the line printed last (every loop reports the same outage). */
    private void report(final String line)
    {
        synchronized (this)
        {
            if (line.equals(lastReport))
            {
                return;
            }
            lastReport = line;
        }
        System.out.println("sluice l7: " + line);
    }

    /** {@code 127.0.0.1:6379}, {@code [::1]:6379}: as the configuration writes it. */
    static String addressText(final RedisSettings settings)
    {
        final InetSocketAddress address = settings.address();
        final String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
