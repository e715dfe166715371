package io.sluice.l7.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.sluice.l7.http1.Http1ServerCodec;
import io.sluice.l7.config.RequestLimits;
import io.sluice.l7.config.Timeouts;
import io.sluice.l7.tls.ServerTls;

import java.util.function.Supplier;

/**
 * A client connection's pipeline, made in one place for the proxy and for its tests over
 * in-memory channels: TLS when its listener has it, the connection's clock, the protocol
 * detector (HTTP/1.1 through the strict parser, or HTTP/2, with WebSockets over its streams
 * where the listener allows them; over TLS, ALPN's choice), and the
 * proxy's handler (or, on a listener that redirects to https, the redirect).
 */
final class ClientPipeline
{
    private ClientPipeline()
    {
    }

    static void init(final Channel channel, final ClockSweeper sweeper, final RequestRouter router, final BackendConnections backends,
        final Draining draining, final Timeouts timeouts, final RequestLimits limits, final ExchangeObservers observers)
    {
        init(channel, sweeper, router, backends, draining, timeouts, limits, observers, ListenerSecurity.CLEARTEXT);
    }

    /**
     * With TLS, the TLS handler comes first (every byte in and out passes it) and the protocol is
     * the one ALPN chose; the clock then times decrypted bytes, the handshake having a timeout of its own.
     */
    static void init(final Channel channel, final ClockSweeper sweeper, final RequestRouter router, final BackendConnections backends,
        final Draining draining, final Timeouts timeouts, final RequestLimits limits, final ExchangeObservers observers,
        final ListenerSecurity security)
    {
        final ServerTls tls = security.tls();
        final String scheme = tls == null ? "http" : "https";
        final ChannelHandler redirect = security.httpsRedirect();
        final ConnectionClock clock = new ConnectionClock(sweeper, timeouts);
        // an HTTP/2 stream's: it drains with its connection, by GOAWAY, never alone
        final Supplier<ChannelHandler> streams = redirect != null ? () -> redirect :
            () -> new FrontendHandler(router, backends, scheme, Draining.NEVER, timeouts, limits, observers, clock);
        final boolean webSockets = security.webSocketsOverHttp2();
        if (tls != null)
        {
            tls.addTo(channel.pipeline());
        }
        channel.pipeline()
            .addLast("clock", clock)
            .addLast("protocols", tls == null ?
                ClientProtocols.detector(new Http1ServerCodec(limits), streams, limits.http2(), webSockets, observers.metrics()) :
                ClientProtocols.negotiated(new Http1ServerCodec(limits), streams, limits.http2(), webSockets, observers.metrics(),
                    security.strictTransportSecurity()))
            .addLast("proxy", redirect != null ? redirect :
                new FrontendHandler(router, backends, scheme, draining, timeouts, limits, observers, null));
    }
}
