package io.sluice.l7.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.sluice.l7.http1.CleartextHttp2Detector;
import io.sluice.l7.http1.Http1ServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.sluice.l7.config.RequestLimits;
import io.sluice.l7.metrics.L7Metrics;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.util.AsciiString;

import java.util.function.Supplier;

/**
 * What a client connection speaks: HTTP/1.1, or HTTP/2 in cleartext (h2c), either with prior
 * knowledge (the connection starts with the HTTP/2 preface) or by upgrading an HTTP/1.1
 * request ({@code Upgrade: h2c}); over TLS, the one ALPN chose ({@link #negotiated}). Each HTTP/2 stream becomes a child
 * channel whose frames are turned into the same HTTP objects an HTTP/1.1 connection gives, handled by a
 * {@link FrontendHandler} of its own ({@link StreamPipeline}): one proxy for both, and backends keep speaking HTTP/1.1.
 * A stream may be a WebSocket (RFC 8441) where the listener lets it ({@link ClientStreamCodec}).
 * Below each HTTP/2 codec, {@link JoinedFlushes} sends what the streams wrote in one pass of the
 * event loop as one write (over TLS, one record).
 */
final class ClientProtocols
{
    /**
     * Last on an HTTP/2 connection: the codec has already answered a connection error (a flood,
     * a protocol violation) by sending GOAWAY and closing, counts it ({@link Http2Refusals}), and
     * passes it on first; here it ends. Without this each attacking connection logged a warning that the exception
     * reached the pipeline's tail: an attacker could fill the log.
     */
    private static final ChannelHandler CONNECTION_ERRORS = new ConnectionErrors();

    @ChannelHandler.Sharable
    private static final class ConnectionErrors extends io.netty.channel.ChannelInboundHandlerAdapter
    {
        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            // Nothing to do: the codec sends its GOAWAY (with the error's code) and closes after
            // this returns; closing here first would send GOAWAY NO_ERROR instead.
        }
    }

    private ClientProtocols()
    {
    }

    /**
     * The handler that tells the protocols apart, replacing itself with the right pipeline.
     *
     * @param frontends a new {@link FrontendHandler} for a stream (or the handler that redirects to https).
     */
    static ChannelHandler detector(final Http1ServerCodec http1, final Supplier<? extends ChannelHandler> frontends,
        final RequestLimits.Http2Limits limits, final boolean webSockets, final L7Metrics metrics)
    {
        final StreamPipeline streams = new StreamPipeline(frontends, webSockets, null);
        final HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(http1, (protocol) ->
            AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol) ?
                new Http2ServerUpgradeCodec(http2Codec(limits, webSockets, metrics), new Http2MultiplexHandler(streams),
                    CONNECTION_ERRORS)
                {
                    @Override
                    public void upgradeTo(final ChannelHandlerContext ctx, final FullHttpRequest request)
                    {
                        leaveHttp1(ctx.pipeline());
                        super.upgradeTo(ctx, request);
                        final ChannelPipeline pipeline = ctx.pipeline();
                        pipeline.addBefore(pipeline.context(Http2FrameCodec.class).name(), null, new JoinedFlushes());
                    }
                } : null)
        {
            /** Only h2c upgrades are taken here; a WebSocket handshake goes on to the proxy unaggregated. */
            @Override
            protected boolean shouldHandleUpgradeRequest(final HttpRequest request)
            {
                return request.headers().containsValue(HttpHeaderNames.UPGRADE, Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, true);
            }
        };
        final ChannelInitializer<Channel> priorKnowledge = new ChannelInitializer<>()
        {
            @Override
            protected void initChannel(final Channel channel)
            {
                leaveHttp1(channel.pipeline());
                channel.pipeline().addLast(new JoinedFlushes(), http2Codec(limits, webSockets, metrics),
                    new Http2MultiplexHandler(streams), CONNECTION_ERRORS);
            }
        };
        return new CleartextHttp2Detector(http1, upgrade, priorKnowledge);
    }

    /**
     * For a TLS connection: the protocol ALPN chose, once the handshake is done. {@code h2} goes
     * straight to the HTTP/2 codec; {@code http/1.1}, or no ALPN, to the HTTP/1.1 codec (no h2c
     * upgrade over TLS: RFC 9113 3.2 keeps it for cleartext). A failed handshake never reaches
     * it: the handshake's observer counts it and closes the connection.
     *
     * @param responseStamp what each response passes on its way out (a Strict-Transport-Security header), or null.
     */
    static ChannelHandler negotiated(final Http1ServerCodec http1, final Supplier<? extends ChannelHandler> frontends,
        final RequestLimits.Http2Limits limits, final boolean webSockets, final L7Metrics metrics,
        final ChannelHandler responseStamp)
    {
        final StreamPipeline streams = new StreamPipeline(frontends, webSockets, responseStamp);
        return new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1)
        {
            @Override
            protected void configurePipeline(final ChannelHandlerContext ctx, final String protocol)
            {
                final ChannelPipeline pipeline = ctx.pipeline();
                if (ApplicationProtocolNames.HTTP_2.equals(protocol))
                {
                    leaveHttp1(pipeline);
                    // in this order: the multiplexer looks for its codec when it is added
                    final Http2FrameCodec codec = http2Codec(limits, webSockets, metrics);
                    final JoinedFlushes flushes = new JoinedFlushes();
                    final Http2MultiplexHandler multiplex = new Http2MultiplexHandler(streams);
                    pipeline.addAfter(ctx.name(), null, flushes);
                    pipeline.addAfter(pipeline.context(flushes).name(), null, codec);
                    pipeline.addAfter(pipeline.context(codec).name(), null, multiplex);
                    pipeline.addAfter(pipeline.context(multiplex).name(), null, CONNECTION_ERRORS);
                    return;
                }
                if (responseStamp != null)
                {
                    pipeline.addAfter(ctx.name(), null, responseStamp);
                }
                pipeline.addAfter(ctx.name(), null, http1);
            }
        };
    }

    /**
     * The HTTP/2 connection's codec, with the limits of the configuration: concurrent streams
     * and header list size advertised in SETTINGS and enforced, header blocks validated (RFC
     * 9113 8.2, 8.3: connection-specific fields, pseudo-headers present and in place, upper
     * case), and Netty's flood
     * defences (rapid reset, empty DATA frames, small CONTINUATION frames). What it refuses is
     * counted ({@link Http2Refusals}). Extended CONNECT (RFC 8441) is advertised where the
     * listener takes WebSockets over HTTP/2.
     */
    private static Http2FrameCodec http2Codec(final RequestLimits.Http2Limits limits, final boolean webSockets,
        final L7Metrics metrics)
    {
        final Http2Settings settings = Http2Settings.defaultSettings()
            .maxConcurrentStreams(limits.concurrentStreams())
            .maxHeaderListSize(limits.headerListBytes());
        return Http2FrameCodecBuilder.forServer()
            .initialSettings(webSockets ? settings.connectProtocolEnabled(true) : settings)
            .validateHeaders(true)
            .validateRequiredPseudoHeaders(true) // :method, :scheme, :path (RFC 9113 8.3.1); Netty's default is to translate without them
            .decoderEnforceMaxRstFramesPerWindow(limits.resetsPerWindow(), limits.resetWindowSeconds())
            .decoderEnforceMaxConsecutiveEmptyDataFrames(limits.consecutiveEmptyFrames())
            .frameLogger(new Http2Refusals(metrics))
            .build();
    }

    /** HTTP/2 from here on: the connection's clock keeps only idleness, and its HTTP/1.1 handler goes. */
    private static void leaveHttp1(final ChannelPipeline pipeline)
    {
        final ConnectionClock clock = pipeline.get(ConnectionClock.class);
        if (clock != null)
        {
            clock.http2();
        }
        if (pipeline.get(FrontendHandler.class) != null)
        {
            pipeline.remove(FrontendHandler.class);
        }
    }
}
