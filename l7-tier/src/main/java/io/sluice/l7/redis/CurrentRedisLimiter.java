package io.sluice.l7.redis;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.sluice.l7.config.RedisSettings;
import io.sluice.l7.metrics.RedisMetrics;
import io.sluice.l7.ratelimit.LimitDecision;
import io.sluice.l7.ratelimit.SharedLimiter;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The proxy's one {@link SharedLimiter} for as long as it runs: the {@link RedisLimiter} of the
 * configuration served now. A reload that changes {@code redis:} makes a new one (its connections
 * from scratch) and closes the old once its decisions in flight end; one that leaves it as it was
 * keeps the connections. Without {@code redis:} every decision fails at once, so a global limit
 * falls back to its local one.
 */
public final class CurrentRedisLimiter implements SharedLimiter, AutoCloseable
{
    private static final RedisException NONE = new RedisException("no redis: in the configuration");

    private final EventLoopGroup loops;
    private final Class<? extends SocketChannel> channelType;
    private final RedisMetrics metrics;
    private volatile RedisLimiter current;

    public CurrentRedisLimiter(final EventLoopGroup loops, final Class<? extends SocketChannel> channelType,
        final RedisMetrics metrics)
    {
        this.loops = loops;
        this.channelType = channelType;
        this.metrics = metrics;
    }

    /** Counts in the Redis {@code settings} names from now on (null: none). */
    public synchronized void use(final RedisSettings settings)
    {
        final RedisLimiter before = current;
        if (Objects.equals(before == null ? null : before.settings(), settings))
        {
            return;
        }
        current = settings == null ? null : new RedisLimiter(settings, loops, channelType, metrics);
        if (before != null)
        {
            before.close();
        }
    }

    @Override
    public CompletionStage<LimitDecision> decide(final String key, final long emissionIntervalNanos, final int burst,
        final int cost)
    {
        final RedisLimiter limiter = current;
        return limiter != null ? limiter.decide(key, emissionIntervalNanos, burst, cost) : CompletableFuture.failedFuture(NONE);
    }

    @Override
    public synchronized void close()
    {
        use(null);
    }
}
