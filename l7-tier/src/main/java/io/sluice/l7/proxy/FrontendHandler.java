package io.sluice.l7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sluice.l7.http1.Http1ServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.sluice.l7.config.RequestLimits;
import io.sluice.l7.config.Timeouts;
import io.sluice.l7.http.RequestHeadChecks;
import io.sluice.l7.http.RequestRefusedException;
import io.sluice.l7.proxyprotocol.ConnectionAddresses;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * One client connection: takes its requests one at a time, routes each, and streams it to a
 * backend connection of this event loop while the backend's response streams back
 * ({@link BackendHandler}). Nothing is aggregated: request and response bodies pass through in
 * the chunks they arrive in, and each side's reading pauses while the other side cannot take
 * more (auto-read follows the other channel's writability), so a slow reader holds back its
 * peer instead of filling the proxy's memory.
 *
 * <p>HTTP/1.1 pipelining: requests that arrive while one is in flight wait, reading paused,
 * and are taken in order once its response is complete, so responses leave in request order.
 *
 * <p>It drives each {@link ProxyExchange} by its events; an exchange reaches back only through
 * {@link ClientConnection}.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter implements ClientConnection
{
    private final RequestRouter router;
    private final BackendConnections backends;
    private final String scheme;
    private final Draining draining;
    private final Timeouts timeouts;
    private final RequestLimits limits;
    private final ExchangeObservers observers;
    /** Messages of pipelined requests, waiting for the exchange in flight to end. */
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private ProxyExchange current;
    private ConnectionClock clock;
    /** On an HTTP/2 stream: its connection's clock, kept from idling the connection out while the stream's exchange runs. */
    private final ConnectionClock connectionClock;
    private boolean keepsConnectionBusy;
    /** On an HTTP/2 stream that is a WebSocket or an event stream: its own idle timeout. */
    private StreamIdleTimeout streamIdle;
    private boolean upgradeHandlerGone;
    /** The client's address, and as X-Forwarded-For gives it: found once per connection, not per request. */
    private InetSocketAddress client;
    private String clientHost;
    /** Between a read and its end-of-read (which flushes the backend): a pipelined request taken later is not. */
    private boolean reading;

    /** @param connectionClock on an HTTP/2 stream, its connection's clock; null on the connection itself, which has its own. */
    FrontendHandler(final RequestRouter router, final BackendConnections backends, final String scheme, final Draining draining,
        final Timeouts timeouts, final RequestLimits limits, final ExchangeObservers observers,
        final ConnectionClock connectionClock)
    {
        this.limits = limits;
        this.observers = observers;
        this.timeouts = timeouts;
        this.router = router;
        this.backends = backends;
        this.scheme = scheme;
        this.draining = draining;
        this.connectionClock = connectionClock;
    }

    @Override
    public boolean closeAfterExchange()
    {
        return draining.isDraining();
    }

    /** Draining began: an idle connection closes now; a busy one after its exchange. */
    void drain()
    {
        if (current == null)
        {
            releaseWaiting();
            ctx.close();
        }
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
        this.clock = ctx.pipeline().get(ConnectionClock.class); // null on an HTTP/2 stream
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        reading = true;
        if (streamIdle != null)
        {
            streamIdle.active();
        }
        if (current != null && current.upgraded())
        {
            if (msg instanceof ByteBuf bytes)
            {
                current.requestBytes(bytes);
            }
            else
            {
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        if (!waiting.isEmpty() || (current != null && current.requestComplete()))
        {
            waiting.add(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        dispatch(msg);
    }

    private void dispatch(final Object msg)
    {
        if (msg instanceof HttpRequest request)
        {
            begin(request);
            if (msg instanceof LastHttpContent && current != null)
            {
                current.wholeRequestArrived(); // an HTTP/2 request without a body comes as one FullHttpRequest
            }
        }
        else if (msg instanceof HttpContent content && current != null)
        {
            current.requestContent(content);
        }
        else
        {
            final boolean broken = msg instanceof HttpContent content && content.decoderResult().isFailure();
            ReferenceCountUtil.release(msg); // the rest of a body whose request was already answered
            if (broken)
            {
                ctx.close(); // and its framing broke: nothing after it can be read as a request
            }
        }
    }

    private void begin(final HttpRequest request)
    {
        keepConnectionBusy();
        if (client == null)
        {
            client = ConnectionAddresses.of(ctx.channel()).client(); // an HTTP/2 stream's is its connection's
            clientHost = client.getAddress().getHostAddress();
        }
        if (request.decoderResult().isFailure())
        {
            refuseUnrouted(request, RequestRefusedException.of(request.decoderResult().cause()));
            return;
        }
        if (!upgradeHandlerGone)
        {
            // An h2c upgrade is asked for on a connection's first request: after it, the upgrade
            // handler (an aggregator every message would pass through) has nothing left to do.
            upgradeHandlerGone = true;
            if (ctx.pipeline().get(HttpServerUpgradeHandler.class) != null)
            {
                ctx.pipeline().remove(HttpServerUpgradeHandler.class);
            }
        }
        final RequestRefusedException unsupported = onHttp2Stream() ? ClientStreamCodec.unsupportedProtocol(request) : null;
        final RequestRefusedException invalid = unsupported != null ? unsupported :
            RequestHeadChecks.check(request, onHttp2Stream());
        if (invalid != null)
        {
            refuseUnrouted(request, invalid);
            return;
        }
        final RoutedRequest routed = router.route(request, client);
        current = exchange(request, routed, HttpUtil.isKeepAlive(request) && !draining.isDraining());
        if (clock != null)
        {
            clock.exchangeBegan(current);
        }
        if (routed.backend() == null)
        {
            current.refuse(HttpResponseStatus.valueOf(routed.refusalStatus()));
            return;
        }
        if (current.bodyTooLarge(HttpUtil.getContentLength(request, 0L)))
        {
            current.refuse(current.tooLarge());
            return;
        }
        request.setUri(routed.uri());
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (!request.headers().contains(HttpHeaderNames.HOST))
        {
            // An HTTP/1.0 request or an HTTP/2 one without :authority goes on as HTTP/1.1, which
            // must name a host (RFC 9112 3.2): the server's address, as nginx's $proxy_host is.
            request.headers().set(HttpHeaderNames.HOST, NetUtil.toSocketAddressString(routed.backend()));
        }
        final boolean webSocket = WebSockets.isUpgrade(request);
        current.requestId(ForwardedHeaders.forRequest(request.headers(), clientHost, scheme));
        if (webSocket)
        {
            WebSockets.keepUpgradeHeaders(request.headers());
        }
        routed.editRequestHeaders(request.headers());
        current.forward();
    }

    /** @param clientKeepAlive whether the client may send another request after this one. */
    private ProxyExchange exchange(final HttpRequest request, final RoutedRequest routed, final boolean clientKeepAlive)
    {
        final long maxBodyBytes = routed.maxBodyBytes() == RoutedRequest.PROXY_LIMIT ? limits.maxBodyBytes()
            : routed.maxBodyBytes();
        // An HTTP/2 stream has no connection clock: its exchanges time themselves.
        return new ProxyExchange(this, backends, request, routed, clientKeepAlive, maxBodyBytes, timeouts, observers, client,
            clock == null);
    }

    /**
     * A request refused before routing (its head broke the rules): answered, counted and logged
     * as an exchange of no route, and the connection closes after the answer.
     */
    private void refuseUnrouted(final HttpRequest request, final RequestRefusedException refusal)
    {
        current = exchange(request, Unrouted.INSTANCE, false);
        if (clock != null)
        {
            clock.exchangeBegan(current);
        }
        current.refuse(refusal);
    }

    /** The exchange in flight, or null: for tests, which follow its state. */
    ProxyExchange exchangeInFlight()
    {
        return current;
    }

    @Override
    public boolean onHttp2Stream()
    {
        return ctx.channel() instanceof Http2StreamChannel;
    }

    /** RFC 9113 8.1.1: PROTOCOL_ERROR, not the CANCEL a close sends. */
    @Override
    public void resetStream()
    {
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
        reading = false;
        if (current != null)
        {
            current.flushToBackend();
        }
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        if (current != null)
        {
            current.clientWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (current != null)
        {
            current.clientGone();
        }
        releaseWaiting();
        releaseConnection();
        if (streamIdle != null)
        {
            streamIdle.cancel();
        }
    }

    /** A WebSocket's HTTP/2 stream ended by its client (END_STREAM, {@link ClientStreamCodec}): the backend is half-closed. */
    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
    {
        if (evt == ChannelInputShutdownEvent.INSTANCE && current != null && current.upgraded())
        {
            current.clientEnded();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * On an HTTP/2 stream, Netty's HTTP/2-to-HTTP/1 conversion throws for a request it cannot
     * translate (a Host that differs from :authority, a control character in a value): that is a
     * malformed request, reset with PROTOCOL_ERROR (and so counted: {@link Http2Refusals}), where a
     * plain close would say CANCEL.
     */
    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (onHttp2Stream() && (isHttp2Error(cause) || cause instanceof DecoderException))
        {
            if (current != null)
            {
                current.clientGone();
                current = null;
            }
            resetStream();
            return;
        }
        ctx.close();
    }

    private static boolean isHttp2Error(final Throwable cause)
    {
        for (Throwable at = cause; at != null; at = at.getCause())
        {
            if (at instanceof Http2Exception)
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public Channel channel()
    {
        return ctx.channel();
    }

    @Override
    public boolean inRead()
    {
        return reading;
    }

    /**
     * Reads the client while the backend can take more, and not while it cannot. An HTTP/2 stream
     * that reads again gives the client back the flow-control window it used: it writes a
     * WINDOW_UPDATE to its connection, which is flushed at the end of the connection's read. This
     * is called on the backend's events (its writes done, its connection made), outside that read,
     * where nothing else would flush it: a client that used its whole window would wait for it
     * until the request timed out.
     */
    @Override
    public void readWhileBackendTakesMore(final boolean backendWritable)
    {
        final Channel channel = ctx.channel();
        channel.config().setAutoRead(backendWritable);
        if (backendWritable && channel.parent() != null)
        {
            channel.parent().flush();
        }
    }

    /** On an HTTP/2 stream the codec stays: it turns DATA frames into the relay's bytes ({@link ClientStreamCodec}). */
    @Override
    public void upgraded()
    {
        if (onHttp2Stream())
        {
            timeStreamIdleness();
            return;
        }
        ctx.pipeline().remove(Http1ServerCodec.class);
        if (clock != null)
        {
            clock.longLived(true);
        }
    }

    /** Idle only after the long timeout with no traffic either way. */
    @Override
    public void longLived()
    {
        if (onHttp2Stream())
        {
            timeStreamIdleness();
        }
        else if (clock != null)
        {
            clock.longLived(false);
        }
    }

    /** A long-lived stream times its own silence, with the long idle timeout. */
    private void timeStreamIdleness()
    {
        if (streamIdle == null)
        {
            streamIdle = new StreamIdleTimeout(ctx.channel(), timeouts.upgradedIdle().toNanos());
        }
    }

    /** An HTTP/2 stream's exchange began: its connection is not idle until it ends. */
    private void keepConnectionBusy()
    {
        if (connectionClock != null && !keepsConnectionBusy)
        {
            keepsConnectionBusy = true;
            connectionClock.streamBusy(true);
        }
    }

    private void releaseConnection()
    {
        if (keepsConnectionBusy)
        {
            keepsConnectionBusy = false;
            connectionClock.streamBusy(false);
        }
    }

    /** Takes the next waiting request. */
    @Override
    public void exchangeDone(final ProxyExchange exchange)
    {
        if (current != exchange)
        {
            return;
        }
        current = null;
        if (clock != null)
        {
            clock.exchangeEnded();
        }
        releaseConnection();
        if (draining.isDraining())
        {
            releaseWaiting();
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        while (current == null && !waiting.isEmpty())
        {
            dispatch(waiting.poll());
        }
        while (current != null && !current.requestComplete() && !waiting.isEmpty())
        {
            dispatch(waiting.poll());
        }
        if (waiting.isEmpty() && (current == null || current.backendConnected()))
        {
            ctx.channel().config().setAutoRead(true);
        }
        ctx.read();
    }

    static FullHttpResponse errorResponse(final HttpResponseStatus status, final String reason)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
            Unpooled.copiedBuffer(reason + "\n", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        HttpUtil.setContentLength(response, response.content().readableBytes());
        return response;
    }

    /** No future is made for it: a write that fails reaches {@link #exceptionCaught}, which closes the connection. */
    @Override
    public void write(final Object msg)
    {
        if (streamIdle != null)
        {
            streamIdle.active();
        }
        ctx.write(msg, ctx.voidPromise());
    }

    @Override
    public ChannelFuture writeObserved(final Object msg)
    {
        return ctx.write(msg);
    }

    private void releaseWaiting()
    {
        Object msg;
        while ((msg = waiting.poll()) != null)
        {
            ReferenceCountUtil.release(msg);
        }
        if (current == null)
        {
            return;
        }
        current = null;
    }
}
