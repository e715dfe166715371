package io.sluice.l7.proxy;

import io.netty.channel.Channel;
import io.sluice.l7.http1.Http1ServerCodec;
import io.sluice.l7.config.RequestLimits;
import io.sluice.l7.config.Timeouts;

/**
 * A client connection's pipeline, made in one place for the proxy and for its tests over
 * in-memory channels: the connection's clock, the protocol detector (HTTP/1.1 through the strict
 * parser, or HTTP/2), and the proxy's handler.
 */
final class ClientPipeline
{
    private ClientPipeline()
    {
    }

    static void init(final Channel channel, final ClockSweeper sweeper, final RequestRouter router, final BackendConnections backends,
        final Draining draining, final Timeouts timeouts, final RequestLimits limits, final ExchangeObservers observers)
    {
        channel.pipeline()
            .addLast("clock", new ConnectionClock(sweeper, timeouts))
            .addLast("protocols", ClientProtocols.detector(new Http1ServerCodec(limits),
                // an HTTP/2 stream's: it drains with its connection, by GOAWAY, never alone
                () -> new FrontendHandler(router, backends, "http", Draining.NEVER, timeouts, limits, observers),
                limits.http2(), observers.metrics()))
            .addLast("proxy", new FrontendHandler(router, backends, "http", draining, timeouts, limits, observers));
    }
}
