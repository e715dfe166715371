package io.sluice.l7.redis;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.sluice.l7.config.RedisSettings;
import io.sluice.l7.metrics.L7Metrics;
import io.sluice.l7.metrics.RedisMetrics;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.ratelimit.LimitDecision;
import io.sluice.l7.ratelimit.SharedLimiter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.sluice.l7.redis.RedisServer.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Redis limiter against a real redis-server: GCRA's answers exact, one limit for two
 * proxies, a lost script loaded again, Redis stopped, hung and restarted under a stream of
 * decisions (each ends within its timeout, none hangs, and the same limiter serves again), and
 * AUTH and SELECT.
 */
@ExtendWith(LeakTracking.class)
class RedisLimiterTest
{
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    /** What Redis's clock may move between one decision and the test's look at it. */
    private static final long SLACK = TimeUnit.SECONDS.toNanos(1);
    private static final Duration TIMEOUT = Duration.ofMillis(50);

    @TempDir
    private Path dir;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final L7Metrics metrics = new L7Metrics();

    @AfterEach
    void close() throws Exception
    {
        for (final AutoCloseable closeable : closing.reversed())
        {
            closeable.close();
        }
    }

    @Test
    void gcraAnswersAreExactOnRedisClock() throws Exception
    {
        final RedisServer redis = redis();
        final RedisLimiter limiter = connected(settings(redis));

        for (int i = 0; i < 5; i++)
        {
            final LimitDecision spent = decide(limiter, "exact", HOUR, 4, 1);
            assertThat(spent.allowed()).as("request %d of a burst of 4 above one", i).isTrue();
            assertThat(spent.remaining()).isEqualTo(4 - i);
            assertThat(spent.retryAfterNanos()).isZero();
            assertThat(spent.resetNanos()).isBetween((i + 1) * HOUR - SLACK, (i + 1) * HOUR);
        }
        final LimitDecision refused = decide(limiter, "exact", HOUR, 4, 1);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfterNanos()).isBetween(HOUR - SLACK, HOUR);
        assertThat(refused.resetNanos()).isBetween(5 * HOUR - SLACK, 5 * HOUR);
        final LimitDecision read = decide(limiter, "exact", HOUR, 4, 0);
        assertThat(read.allowed()).as("a cost of 0 reads without spending").isTrue();
        assertThat(read.remaining()).isZero();
        assertThat(decide(limiter, "exact", HOUR, 4, 1).allowed()).as("and spent nothing").isFalse();

        final LimitDecision two = decide(limiter, "costly", HOUR, 4, 2);
        assertThat(two.remaining()).isEqualTo(3);
        assertThat(two.resetNanos()).isBetween(2 * HOUR - SLACK, 2 * HOUR);
        assertThat(decide(limiter, "costly", HOUR, 4, 4).allowed()).as("2 + 4 is over 5").isFalse();
        assertThat(decide(limiter, "costly", HOUR, 4, 3).remaining()).isZero();

        // The key expires when its bucket is whole again, so Redis keeps only keys that are spending.
        final long ttlMillis = Long.parseLong(redis.cli("PTTL", RespCommands.KEY_PREFIX + "exact"));
        assertThat(TimeUnit.MILLISECONDS.toNanos(ttlMillis)).isBetween(5 * HOUR - SLACK, 5 * HOUR);
        final long tatNanos = Long.parseLong(redis.cli("GET", RespCommands.KEY_PREFIX + "exact"));
        assertThat(tatNanos - TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()))
            .as("the stored TAT is Unix nanoseconds").isBetween(5 * HOUR - 60 * SLACK, 5 * HOUR + 60 * SLACK);
        // 8 here and the one that found the limiter connected
        assertThat(metrics.redis().decisions(true)).isEqualTo(9);
        assertThat(metrics.redis().decisions(false)).isEqualTo(3);
        assertThat(metrics.prometheusText())
            .contains("sluice_l7_redis_decisions_total{result=\"allowed\"} 9\n")
            .contains("sluice_l7_redis_decisions_total{result=\"limited\"} 3\n")
            .contains("sluice_l7_redis_round_trip_seconds_count 12\n")
            .contains("sluice_l7_redis_connected 1\n");
    }

    @Test
    void aRefusedRequestMayGoAfterItsRetryAfter() throws Exception
    {
        final RedisLimiter limiter = connected(settings(redis()));
        final long interval = TimeUnit.MILLISECONDS.toNanos(200);

        assertThat(decide(limiter, "paced", interval, 0, 1).allowed()).isTrue();
        final LimitDecision refused = decide(limiter, "paced", interval, 0, 1);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterNanos()).isPositive().isLessThanOrEqualTo(interval);
        TimeUnit.NANOSECONDS.sleep(refused.retryAfterNanos() + TimeUnit.MILLISECONDS.toNanos(5));
        assertThat(decide(limiter, "paced", interval, 0, 1).allowed()).isTrue();
    }

    @Test
    void twoProxiesShareOneLimit() throws Exception
    {
        final RedisServer redis = redis();
        final RedisLimiter first = connected(settings(redis));
        final RedisLimiter second = connected(settings(redis));

        int allowed = 0;
        for (int i = 0; i < 20; i++)
        {
            final LimitDecision decision = decide(i % 2 == 0 ? first : second, "shared", HOUR, 9, 1);
            if (decision.allowed())
            {
                allowed++;
                assertThat(decision.remaining()).isEqualTo(9 - i);
            }
        }
        assertThat(allowed).isEqualTo(10);
    }

    @Test
    void decisionsAskedTogetherArePipelinedAndCountedExactly() throws Exception
    {
        final RedisLimiter limiter = connected(settings(redis()));
        final List<CompletableFuture<LimitDecision>> asked = new ArrayList<>();

        for (int i = 0; i < 500; i++)
        {
            asked.add(limiter.decide("together", HOUR, 99, 1).toCompletableFuture());
        }

        final List<Long> remaining = new ArrayList<>();
        for (final CompletableFuture<LimitDecision> decision : asked)
        {
            final LimitDecision answer = decision.get(5, TimeUnit.SECONDS);
            if (answer.allowed())
            {
                remaining.add(answer.remaining());
            }
        }
        assertThat(remaining).hasSize(100);
        assertThat(remaining).as("answered in the order asked").isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(remaining.getFirst()).isEqualTo(99);
        assertThat(remaining.getLast()).isZero();
    }

    @Test
    void aScriptRedisLostIsLoadedAgain() throws Exception
    {
        final RedisServer redis = redis();
        final RedisLimiter limiter = connected(settings(redis));
        assertThat(decide(limiter, "flushed", HOUR, 9, 1).remaining()).isEqualTo(9);
        final long loads = metrics.redis().scriptLoads();

        assertThat(redis.cli("SCRIPT", "FLUSH")).isEqualTo("OK");

        assertThat(decide(limiter, "flushed", HOUR, 9, 1).remaining()).isEqualTo(8);
        assertThat(decide(limiter, "flushed", HOUR, 9, 1).remaining()).isEqualTo(7);
        assertThat(metrics.redis().scriptLoads()).isEqualTo(loads + 1);
        assertThat(metrics.redis().decisionErrors(RedisMetrics.DecisionError.SCRIPT_ERROR)).isZero();
    }

    @Test
    void redisStoppedAndStartedAgainUnderAStreamOfDecisions() throws Exception
    {
        final RedisServer redis = redis();
        final RedisLimiter limiter = connected(settings(redis));
        final List<Timed> stream = new ArrayList<>();

        stream(limiter, stream, 100);
        redis.stop();
        stream(limiter, stream, 300);
        assertThat(metrics.redis().connected()).isZero();
        redis.begin();
        final long restarted = System.nanoTime();
        while (!stream(limiter, stream, 20))
        {
            assertThat(System.nanoTime() - restarted).as("decisions succeed again within 5 s of the restart")
                .isLessThan(TimeUnit.SECONDS.toNanos(5));
        }

        for (final Timed decision : stream)
        {
            assertThat(decision.tookNanos()).as("no decision waits past its timeout")
                .isLessThan(TIMEOUT.toNanos() + TimeUnit.MILLISECONDS.toNanos(100));
        }
        assertThat(stream).filteredOn(Timed::failed).isNotEmpty();
        assertThat(metrics.redis().decisionErrors(RedisMetrics.DecisionError.NOT_CONNECTED))
            .as("failed at once while Redis was down").isPositive();
        assertThat(metrics.redis().connectionErrors(RedisMetrics.ConnectionError.CLOSED)
            + metrics.redis().connectionErrors(RedisMetrics.ConnectionError.REFUSED)).isPositive();
        assertThat(decide(limiter, "after", HOUR, 1, 1).allowed()).isTrue();
    }

    @Test
    void aHungRedisTimesDecisionsOutAndIsLeft() throws Exception
    {
        final RedisServer redis = redis();
        final RedisLimiter limiter = connected(settings(redis));
        final String pid = redis.pause();
        final List<Timed> stream = new ArrayList<>();
        try
        {
            final CompletableFuture<LimitDecision> hung = limiter.decide("hung", HOUR, 1, 1).toCompletableFuture();
            assertThatThrownBy(() -> hung.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RedisException.class).hasMessage("redis " + RedisLimiter.addressText(settings(redis))
                    + ": no answer within 50ms");
            stream(limiter, stream, 200);
            waitFor(() -> metrics.redis().connectionErrors(RedisMetrics.ConnectionError.UNRESPONSIVE) > 0,
                "the connection is closed as unresponsive after 1 s");
        }
        finally
        {
            redis.resume(pid);
        }
        assertThat(stream).allMatch(Timed::failed);
        assertThat(stream).allMatch((decision) -> decision.tookNanos() < TIMEOUT.toNanos() + TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(metrics.redis().decisionErrors(RedisMetrics.DecisionError.TIMEOUT)).isPositive();
        waitFor(() -> metrics.redis().connected() == 1, "connected again once Redis answers");
        assertThat(decide(limiter, "resumed", HOUR, 1, 1).allowed()).isTrue();
    }

    @Test
    void authAndSelect() throws Exception
    {
        final RedisServer redis = redis("requirepass right", "user limiter on >other ~* +@all");
        final RedisSettings base = settings(redis);

        final RedisLimiter wrong = limiter(new RedisSettings(base.address(), TIMEOUT, null, "wrong", 0));
        waitFor(() -> failure(wrong).contains("AUTH refused"), "a wrong password is refused");
        assertThat(failure(wrong)).isEqualTo("redis " + RedisLimiter.addressText(base) + ": AUTH refused: WRONGPASS invalid "
            + "username-password pair or user is disabled.");
        assertThat(metrics.redis().connectionErrors(RedisMetrics.ConnectionError.HANDSHAKE)).isPositive();

        final RedisLimiter none = limiter(base);
        waitFor(() -> failure(none).contains("NOAUTH"), "no password where one is needed");
        assertThat(failure(none)).isEqualTo("redis " + RedisLimiter.addressText(base)
            + ": SCRIPT LOAD refused: NOAUTH Authentication required.");

        final RedisLimiter right = connected(new RedisSettings(base.address(), TIMEOUT, null, "right", 3));
        assertThat(decide(right, "in-3", HOUR, 1, 1).allowed()).isTrue();
        final String key = RespCommands.KEY_PREFIX + "in-3";
        assertThat(redis.cli("--no-auth-warning", "-a", "right", "-n", "3", "EXISTS", key)).isEqualTo("1");
        assertThat(redis.cli("--no-auth-warning", "-a", "right", "-n", "0", "EXISTS", key)).isEqualTo("0");

        final RedisLimiter user = limiter(new RedisSettings(base.address(), TIMEOUT, "limiter", "other", 0));
        waitFor(() -> succeeds(user), "an ACL user");
    }

    @Test
    void aCurrentLimiterKeepsItsConnectionForTheSameSettingsAndMovesForNewOnes() throws Exception
    {
        final RedisServer first = redis();
        final RedisServer second = RedisServer.start(Files.createDirectory(dir.resolve("second")));
        closing.add(second);
        final EventLoopGroup loops = loops();
        final CurrentRedisLimiter current = new CurrentRedisLimiter(loops, NioSocketChannel.class, metrics.redis());
        closing.add(current);

        assertThatThrownBy(() -> current.decide("k", HOUR, 1, 1).toCompletableFuture().get(1, TimeUnit.SECONDS))
            .cause().hasMessage("no redis: in the configuration");
        current.use(settings(first));
        waitFor(() -> succeeds(current), "connected to the first");
        final String clients = clientIds(first);
        current.use(settings(first));
        assertThat(decide(current, "k2", HOUR, 1, 1).allowed()).isTrue();
        assertThat(clientIds(first)).as("the same settings keep the connection").isEqualTo(clients);

        current.use(settings(second));
        waitFor(() -> succeeds(current), "connected to the second");
        assertThat(decide(current, "moved", HOUR, 1, 1).allowed()).isTrue();
        assertThat(second.cli("EXISTS", RespCommands.KEY_PREFIX + "moved")).isEqualTo("1");
        waitFor(() -> clientIds(first).isEmpty(), "the first's connection closed");
    }

    /** A decision that ended, and how long it took from the asking. */
    private record Timed(boolean failed, long tookNanos)
    {
    }

    /**
     * Asks a decision every millisecond for {@code millis}, from this thread (so each goes to the
     * limiter's event loop), and waits for all of them.
     *
     * @return whether the last one succeeded.
     */
    private static boolean stream(final RedisLimiter limiter, final List<Timed> into, final int millis)
        throws InterruptedException
    {
        final List<CompletableFuture<Timed>> asked = new ArrayList<>();
        for (int i = 0; i < millis; i++)
        {
            final long start = System.nanoTime();
            asked.add(limiter.decide("stream", TimeUnit.MICROSECONDS.toNanos(1), 0, 1).toCompletableFuture()
                .handle((decision, failure) -> new Timed(failure != null, System.nanoTime() - start)));
            Thread.sleep(1);
        }
        for (final CompletableFuture<Timed> decision : asked)
        {
            into.add(decision.orTimeout(2, TimeUnit.SECONDS).join());
        }
        return !asked.getLast().join().failed();
    }

    private RedisServer redis(final String... configuration) throws Exception
    {
        final RedisServer redis = RedisServer.start(dir, configuration);
        closing.add(redis);
        return redis;
    }

    private static RedisSettings settings(final RedisServer redis)
    {
        return new RedisSettings(redis.address(), TIMEOUT, null, null, 0);
    }

    private EventLoopGroup loops()
    {
        final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        closing.add(() -> loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly());
        return loops;
    }

    /** A limiter on an event loop group of its own: a proxy of its own. */
    private RedisLimiter limiter(final RedisSettings settings)
    {
        final RedisLimiter limiter = new RedisLimiter(settings, loops(), NioSocketChannel.class, metrics.redis());
        closing.add(limiter);
        return limiter;
    }

    private RedisLimiter connected(final RedisSettings settings) throws InterruptedException
    {
        final RedisLimiter limiter = limiter(settings);
        waitFor(() -> succeeds(limiter), "connected");
        return limiter;
    }

    private static LimitDecision decide(final SharedLimiter limiter, final String key, final long intervalNanos,
        final int burst, final int cost) throws Exception
    {
        return limiter.decide(key, intervalNanos, burst, cost).toCompletableFuture().get(1, TimeUnit.SECONDS);
    }

    private static boolean succeeds(final SharedLimiter limiter)
    {
        try
        {
            decide(limiter, "probe", TimeUnit.MICROSECONDS.toNanos(1), 1_000, 1);
            return true;
        }
        catch (final Exception notYet)
        {
            return false;
        }
    }

    /** The message a decision fails with now ("" when it succeeds). */
    private static String failure(final RedisLimiter limiter)
    {
        try
        {
            decide(limiter, "probe", HOUR, 1, 0);
            return "";
        }
        catch (final ExecutionException ex)
        {
            return ex.getCause().getMessage();
        }
        catch (final Exception ex)
        {
            return ex.toString();
        }
    }

    /** The ids of the clients connected to {@code redis} other than redis-cli itself. */
    private static String clientIds(final RedisServer redis)
    {
        try
        {
            final StringBuilder ids = new StringBuilder();
            for (final String line : redis.cli("CLIENT", "LIST").split("\n"))
            {
                if (!line.contains("cmd=client"))
                {
                    ids.append(line, 0, line.indexOf(' ')).append(' ');
                }
            }
            return ids.toString().trim();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
