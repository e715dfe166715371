package io.sluice.l7.redis;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.handler.codec.redis.SimpleStringRedisMessage;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.l7.config.RedisSettings;
import io.sluice.l7.metrics.RedisMetrics;
import io.sluice.l7.ratelimit.LimitDecision;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One event loop's connection to Redis, and everything about it on that loop alone: connecting
 * and the handshake ({@code AUTH}, {@code SELECT}, {@code SCRIPT LOAD}, pipelined), decisions
 * written as they come without waiting for earlier answers, their timeouts, and connecting again
 * with backoff after a failure. A decision asked while the connection is not ready fails at once
 * rather than waiting: a request must not queue behind a Redis that is down.
 *
 * <p>Timeouts take one timer, not one per decision: it fires at the earliest deadline of the
 * decisions waiting, fails those past theirs, and is set again for the next. A command left
 * unanswered much longer than any timeout means Redis is hung or the network drops silently:
 * the connection is closed and made again.
 */
final class RedisConnection
{
    private static final long CONNECT_TIMEOUT_MILLIS = 1_000;
    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long MIN_UNRESPONSIVE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The longest array Redis answers here (the script's four integers, never nested): anything longer is refused. */
    private static final int ANSWER_ELEMENTS = 4;
    /** Decisions waiting for answers on one connection; more fail at once (Redis is far slower than asked). */
    static final int MAX_IN_FLIGHT = 8192;

    private enum State
    {
        /** Waiting to connect (again), connecting, or closing a connection to make another. */
        CONNECTING,
        /** Connected; the handshake's answers are awaited. */
        HANDSHAKING,
        READY,
        /** Closed for good: decisions in flight end, no new ones, no reconnecting. */
        CLOSED
    }

    private final EventLoop loop;
    private final RedisSettings settings;
    private final RedisMetrics metrics;
    private final Consumer<String> report;
    private final String where;
    private final Bootstrap bootstrap;
    private final long timeoutNanos;
    private final long unresponsiveNanos;
    private final RedisException timedOut;
    private final RedisException closedUnanswered;
    private final RedisException tooManyInFlight;
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();

    private State state = State.CONNECTING;
    private Channel channel;
    /** Why decisions fail while not ready: the last failure, in the words {@link #report} used. */
    private RedisException unavailable;
    /** The handshake's commands not answered yet; ready at 0. */
    private int handshakeLeft;
    /** Decisions in flight whose result is not complete. */
    private int awaited;
    private boolean scriptLoadInFlight;
    /** Set when the proxy closes the channel itself, so its closing is not counted again as Redis's doing. */
    private boolean closedByUs;
    private long backoffNanos = FIRST_BACKOFF_NANOS;
    private ScheduledFuture<?> sweep;
    /** When {@link #sweep} fires ({@link System#nanoTime}). */
    private long sweepAtNanos;
    private ScheduledFuture<?> reconnect;

    RedisConnection(final EventLoop loop, final Class<? extends SocketChannel> channelType, final RedisSettings settings,
        final RedisMetrics metrics, final Consumer<String> report)
    {
        this.loop = loop;
        this.settings = settings;
        this.metrics = metrics;
        this.report = report;
        this.where = "redis " + RedisLimiter.addressText(settings);
        this.timeoutNanos = settings.timeout().toNanos();
        this.unresponsiveNanos = Math.max(MIN_UNRESPONSIVE_NANOS, 2 * timeoutNanos);
        this.timedOut = new RedisException(where + ": no answer within " + settings.timeout().toMillis() + "ms");
        this.closedUnanswered = new RedisException(where + ": the connection closed before the answer came");
        this.tooManyInFlight = new RedisException(where + ": " + MAX_IN_FLIGHT + " decisions waiting for answers already");
        this.unavailable = new RedisException(where + ": connecting");
        this.bootstrap = new Bootstrap()
            .group(loop)
            .channel(channelType)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)CONNECT_TIMEOUT_MILLIS)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel made)
                {
                    // Here, not from connect()'s future: a loopback connect may be active before connect() returns.
                    channel = made;
                    made.pipeline().addLast(new RedisDecoder(), new RedisBulkStringAggregator(), new RedisArrayAggregator(ANSWER_ELEMENTS, 1),
                        new Answers());
                }
            });
    }

    EventLoop loop()
    {
        return loop;
    }

    /** Connects for the first time (on any thread). */
    void start()
    {
        loop.execute(this::connect);
    }

    /**
     * Asks for a decision; on the loop. Completes {@code result} with Redis's answer, or
     * exceptionally: at once when the connection is not ready, else on a timeout or a failure.
     */
    void decide(final CompletableFuture<LimitDecision> result, final String key, final long intervalNanos, final int burst,
        final int cost)
    {
        if (state != State.READY)
        {
            metrics.decisionFailed(RedisMetrics.DecisionError.NOT_CONNECTED);
            result.completeExceptionally(unavailable);
            return;
        }
        if (inFlight.size() >= MAX_IN_FLIGHT)
        {
            metrics.decisionFailed(RedisMetrics.DecisionError.TOO_MANY_IN_FLIGHT);
            result.completeExceptionally(tooManyInFlight);
            return;
        }
        awaited++;
        send(Pending.decision(result, key, intervalNanos, burst, cost, System.nanoTime(), timeoutNanos));
    }

    /**
     * Takes no more decisions and closes once those in flight have ended (answered, or at their
     * timeout); on the loop.
     */
    void close()
    {
        if (state == State.CLOSED)
        {
            return;
        }
        if (state == State.READY)
        {
            metrics.connectionLost();
        }
        state = State.CLOSED;
        unavailable = new RedisException(where + ": closed (the configuration changed or the proxy is stopping)");
        if (reconnect != null)
        {
            reconnect.cancel(false);
        }
        closeIfDrained();
    }

    private void connect()
    {
        if (state == State.CLOSED)
        {
            return;
        }
        state = State.CONNECTING;
        reconnect = null;
        final ChannelFuture connecting = bootstrap.connect(settings.address());
        connecting.addListener((done) ->
        {
            if (!done.isSuccess() && state != State.CLOSED) // closed while connecting: no failure of Redis's
            {
                metrics.connectionFailed(RedisMetrics.ConnectionError.REFUSED);
                unavailableBecause("cannot connect (" + reason(done.cause()) + ")");
                retryLater();
            }
        });
    }

    /** Connected: the handshake, pipelined; decisions wait (failing at once) until its last answer. */
    private void handshake()
    {
        state = State.HANDSHAKING;
        closedByUs = false;
        final long now = System.nanoTime();
        if (settings.password() != null)
        {
            handshakeLeft++;
            write(Pending.step(Pending.Kind.AUTH, now), settings.username() == null
                ? RespCommands.command(channel.alloc(), "AUTH", settings.password())
                : RespCommands.command(channel.alloc(), "AUTH", settings.username(), settings.password()));
        }
        if (settings.database() != 0)
        {
            handshakeLeft++;
            write(Pending.step(Pending.Kind.SELECT, now),
                RespCommands.command(channel.alloc(), "SELECT", Integer.toString(settings.database())));
        }
        handshakeLeft++;
        loadScript(now);
    }

    private void loadScript(final long nowNanos)
    {
        scriptLoadInFlight = true;
        metrics.scriptLoaded();
        write(Pending.step(Pending.Kind.SCRIPT_LOAD, nowNanos), RespCommands.command(channel.alloc(), "SCRIPT", "LOAD",
            GcraScript.SOURCE));
    }

    private void send(final Pending decision)
    {
        write(decision, RespCommands.decision(channel.alloc(), decision.key, decision.intervalNanos, decision.burst,
            decision.cost));
    }

    private void write(final Pending pending, final ByteBuf command)
    {
        inFlight.add(pending);
        channel.writeAndFlush(command, channel.voidPromise());
        // Deadlines grow in the order decisions are written, so the timer moves only when it was set for the
        // unresponsive check (no decision was waiting) or for a retried decision's earlier deadline.
        final long wakeNanos = pending.kind == Pending.Kind.DECISION ? pending.deadlineNanos
            : pending.sentNanos + unresponsiveNanos;
        if (sweep == null || wakeNanos - sweepAtNanos < 0)
        {
            sweepAt(wakeNanos, System.nanoTime());
        }
    }

    private void sweepAt(final long wakeNanos, final long nowNanos)
    {
        if (sweep != null)
        {
            sweep.cancel(false);
        }
        sweepAtNanos = wakeNanos;
        sweep = loop.schedule(this::sweep, wakeNanos - nowNanos, TimeUnit.NANOSECONDS);
    }

    /** Redis's next answer, which is for the oldest command in flight. */
    private void answered(final RedisMessage answer)
    {
        final Pending pending = inFlight.poll();
        if (pending == null)
        {
            lose(RedisMetrics.ConnectionError.UNRESPONSIVE, "an answer to no command (" + describe(answer) + ")");
            return;
        }
        switch (pending.kind)
        {
            case AUTH, SELECT -> stepAnswered(pending, answer instanceof SimpleStringRedisMessage ok && "OK".equals(ok.content()),
                answer);
            case SCRIPT_LOAD ->
            {
                scriptLoadInFlight = false;
                stepAnswered(pending, answer instanceof FullBulkStringRedisMessage sha
                    && GcraScript.SHA1.equals(sha.content().toString(StandardCharsets.US_ASCII)), answer);
            }
            case DECISION -> decisionAnswered(pending, answer);
        }
    }

    private void stepAnswered(final Pending step, final boolean ok, final RedisMessage answer)
    {
        if (state != State.HANDSHAKING)
        {
            return; // a SCRIPT LOAD sent again after NOSCRIPT: the retried decision behind it tells whether it worked
        }
        if (!ok)
        {
            final String command = switch (step.kind)
            {
                case AUTH -> "AUTH";
                case SELECT -> "SELECT " + settings.database();
                default -> "SCRIPT LOAD";
            };
            metrics.connectionFailed(RedisMetrics.ConnectionError.HANDSHAKE);
            closeOurselves(command + " refused: " + describe(answer));
            return;
        }
        if (--handshakeLeft == 0)
        {
            state = State.READY;
            backoffNanos = FIRST_BACKOFF_NANOS;
            metrics.connectionReady();
            report.accept(where + ": connected");
        }
    }

    private void decisionAnswered(final Pending decision, final RedisMessage answer)
    {
        if (decision.finished)
        {
            return; // timed out: its answer came too late
        }
        if (answer instanceof ErrorRedisMessage error && error.content().startsWith("NOSCRIPT") && !decision.retried)
        {
            // Redis lost the script (SCRIPT FLUSH, a restart behind a proxy): load it again, then this decision behind it.
            decision.retried = true;
            if (!scriptLoadInFlight)
            {
                loadScript(System.nanoTime());
            }
            send(decision);
            return;
        }
        finish(decision);
        final LimitDecision limit = GcraScript.decision(answer);
        if (limit == null)
        {
            metrics.decisionFailed(RedisMetrics.DecisionError.SCRIPT_ERROR);
            decision.result.completeExceptionally(new RedisException(where + ": " + describe(answer)));
        }
        else
        {
            metrics.decided(limit.allowed(), System.nanoTime() - decision.sentNanos);
            decision.result.complete(limit);
        }
        closeIfDrained();
    }

    /** Fails decisions past their deadline, closes a connection Redis stopped answering, and sets itself again. */
    private void sweep()
    {
        sweep = null;
        final long now = System.nanoTime();
        final Pending oldest = inFlight.peek();
        if (oldest == null)
        {
            return;
        }
        if (now - oldest.sentNanos >= unresponsiveNanos)
        {
            lose(RedisMetrics.ConnectionError.UNRESPONSIVE,
                "no answer for " + TimeUnit.NANOSECONDS.toMillis(unresponsiveNanos) + "ms");
            return;
        }
        long next = oldest.sentNanos + unresponsiveNanos;
        for (final Pending pending : inFlight)
        {
            if (pending.awaited())
            {
                if (pending.deadlineNanos - now <= 0)
                {
                    finish(pending);
                    metrics.decisionFailed(RedisMetrics.DecisionError.TIMEOUT);
                    pending.result.completeExceptionally(timedOut);
                }
                else if (pending.deadlineNanos - next < 0)
                {
                    next = pending.deadlineNanos;
                }
            }
        }
        sweepAt(next, now);
        closeIfDrained();
    }

    private void finish(final Pending decision)
    {
        decision.finished = true;
        awaited--;
    }

    /** Closes the channel for a reason of the proxy's; {@link #disconnected} follows. */
    private void lose(final RedisMetrics.ConnectionError error, final String why)
    {
        metrics.connectionFailed(error);
        closeOurselves("connection closed: " + why);
    }

    /**
     * Decisions fail at once from now on, not only once the channel's closing has been noticed,
     * and answers still decoded from it are ignored.
     */
    private void closeOurselves(final String why)
    {
        if (state == State.READY)
        {
            metrics.connectionLost();
        }
        if (state != State.CLOSED)
        {
            state = State.CONNECTING;
        }
        closedByUs = true;
        unavailableBecause(why);
        channel.close();
    }

    /** The channel closed, whoever closed it: every decision in flight fails, and a new connection is made later. */
    private void disconnected()
    {
        if (state == State.READY)
        {
            metrics.connectionLost();
        }
        if (!closedByUs && state != State.CLOSED)
        {
            metrics.connectionFailed(RedisMetrics.ConnectionError.CLOSED);
            unavailableBecause("connection lost");
        }
        for (final Pending pending : inFlight)
        {
            if (pending.awaited())
            {
                finish(pending);
                metrics.decisionFailed(RedisMetrics.DecisionError.CONNECTION_CLOSED);
                pending.result.completeExceptionally(closedUnanswered);
            }
        }
        inFlight.clear();
        handshakeLeft = 0;
        scriptLoadInFlight = false;
        if (sweep != null)
        {
            sweep.cancel(false);
            sweep = null;
        }
        if (state != State.CLOSED)
        {
            state = State.CONNECTING;
            retryLater();
        }
    }

    private void retryLater()
    {
        if (state == State.CLOSED)
        {
            return;
        }
        // Jittered, so the proxies behind one forwarder do not all knock at once when Redis comes back.
        final long delay = (long)(backoffNanos * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
        backoffNanos = Math.min(MAX_BACKOFF_NANOS, 2 * backoffNanos);
        try
        {
            reconnect = loop.schedule(this::connect, delay, TimeUnit.NANOSECONDS);
        }
        catch (final RejectedExecutionException stopping)
        {
            state = State.CLOSED; // the proxy's event loops are shutting down
        }
    }

    private void closeIfDrained()
    {
        if (state == State.CLOSED && awaited == 0 && channel != null)
        {
            closedByUs = true;
            channel.close();
        }
    }

    /** From now on decisions fail with this reason, and the operator hears it (once, however many loops say it). */
    private void unavailableBecause(final String why)
    {
        unavailable = new RedisException(where + ": " + why);
        report.accept(unavailable.getMessage() + "; global limits use their local fallback until it is back");
    }

    private static String describe(final RedisMessage answer)
    {
        return switch (answer)
        {
            case ErrorRedisMessage error -> error.content();
            case SimpleStringRedisMessage simple -> "unexpected answer " + simple.content();
            default -> "unexpected answer " + answer.getClass().getSimpleName();
        };
    }

    private static String reason(final Throwable cause)
    {
        final String message = cause.getMessage();
        return message != null ? message : cause.getClass().getSimpleName();
    }

    /** The channel's events, for the channel it was made for only (an old one's late events are not this connection's). */
    private final class Answers extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelActive(final ChannelHandlerContext ctx)
        {
            if (ctx.channel() == channel)
            {
                handshake();
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object message)
        {
            try
            {
                if (ctx.channel() == channel && message instanceof RedisMessage answer)
                {
                    answered(answer);
                }
            }
            finally
            {
                ReferenceCountUtil.release(message);
            }
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            if (ctx.channel() == channel)
            {
                disconnected();
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            if (ctx.channel() == channel && ctx.channel().isActive() && !closedByUs)
            {
                lose(RedisMetrics.ConnectionError.CLOSED, reason(cause));
                return;
            }
            ctx.close();
        }
    }
}
