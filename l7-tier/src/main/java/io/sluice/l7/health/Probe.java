package io.sluice.l7.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.sluice.l7.config.Pool;
import io.sluice.l7.proxy.Transport;
import io.sluice.l7.proxyprotocol.ProxyHeaderSender;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Checks one server, on one event loop: each check opens a connection, asks, judges the answer
 * and closes, within a time limit. Subclasses say what is asked and how the answer is judged.
 */
abstract class Probe
{
    /** At most this much of a response body is read; a check is not a download. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final InetSocketAddress address;
    private final long timeoutMs;
    /** The PROXY protocol header each check's connection begins with (its pool's send_proxy), or null. */
    private Pool.SendProxy sendProxy;

    Probe(final EventLoop loop, final Transport transport, final InetSocketAddress address, final long timeoutMs)
    {
        this.loop = loop;
        this.address = address;
        this.timeoutMs = timeoutMs;
        bootstrap = new Bootstrap().group(loop).channel(transport.clientChannel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)Math.min(Integer.MAX_VALUE, timeoutMs))
            .option(ChannelOption.TCP_NODELAY, true);
    }

    /**
     * A pool whose servers expect a PROXY protocol header (they refuse a connection without one)
     * gets one on its checks too: v1 {@code UNKNOWN} or v2 {@code LOCAL}, which relay no client,
     * as an NLB's own health checks do. Call before the first check.
     */
    Probe sendProxy(final Pool.SendProxy version)
    {
        this.sendProxy = version;
        return this;
    }

    EventLoop loop()
    {
        return loop;
    }

    InetSocketAddress address()
    {
        return address;
    }

    long timeoutMs()
    {
        return timeoutMs;
    }

    /**
     * Starts one check; call on the loop. {@code done} is called exactly once, on the loop: null
     * for a pass, else a one-line reason.
     */
    final void check(final Consumer<String> done)
    {
        final CheckAttempt attempt = new CheckAttempt(done);
        attempt.timer(loop.schedule(() -> attempt.fail(FailureReasons.timeout(timeoutMs)), timeoutMs, TimeUnit.MILLISECONDS));
        final ChannelFuture connecting = bootstrap.clone().handler(new ChannelInitializer<Channel>()
        {
            @Override
            protected void initChannel(final Channel channel)
            {
                attempt.channel(channel);
                if (sendProxy != null)
                {
                    channel.pipeline().addLast(ProxyHeaderSender.forHealthCheck(sendProxy));
                }
                addHandlers(channel, attempt);
            }
        }).connect(address);
        connecting.addListener((ChannelFuture future) ->
        {
            if (!future.isSuccess())
            {
                attempt.channel(future.channel());
                attempt.fail(FailureReasons.of(future.cause(), timeoutMs));
            }
        });
    }

    /** Adds what asks and judges to a new connection's pipeline; it ends {@code attempt}. */
    abstract void addHandlers(Channel channel, CheckAttempt attempt);
}
