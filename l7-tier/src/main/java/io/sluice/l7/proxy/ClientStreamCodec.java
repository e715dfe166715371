package io.sluice.l7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import io.sluice.l7.http.RequestRefusal;
import io.sluice.l7.http.RequestRefusedException;

import java.util.List;

/**
 * A client's HTTP/2 stream as the HTTP objects an HTTP/1.1 connection gives (Netty's codec), and
 * its WebSocket (RFC 8441) as the HTTP/1.1 upgrade the proxy already relays, so one
 * {@link FrontendHandler}, {@link ProxyExchange} and {@link UpgradeRelay} serve both:
 * <ul>
 *   <li>an extended CONNECT ({@code :method CONNECT}, {@code :protocol websocket}) goes on as
 *       a body-less {@code GET} of its {@code :path} with Upgrade, Connection, a fresh
 *       Sec-WebSocket-Key (the exchange checks the backend's Accept against it) and
 *       Sec-WebSocket-Version 13, the client's subprotocols and extensions as they came;</li>
 *   <li>the backend's 101 goes to the client as {@code :status 200} with its other headers (the
 *       chosen subprotocol and extensions); any other answer goes as it is;</li>
 *   <li>from then on DATA frames are the bytes the relay carries, both ways, unframed and
 *       unchanged; the client's END_STREAM half-closes the backend (a
 *       {@link ChannelInputShutdownEvent} to the exchange), the backend's close is END_STREAM;
 *       flow control is the stream's: reading pauses with the backend's writability, and the
 *       client's window is given back only as frames are read; idleness is the long idle timeout's
 *       ({@link StreamIdleTimeout}).</li>
 * </ul>
 * An extended CONNECT for another protocol, or on a listener with {@code websocket_over_h2: false},
 * goes on as a CONNECT naming its protocol, which {@link #unsupportedProtocol} refuses. One
 * object per stream, as Netty's codec was: a stream that is no WebSocket costs nothing more.
 */
final class ClientStreamCodec extends Http2StreamFrameToHttpObjectCodec
{
    /** The header a refused extended CONNECT carries its :protocol in (Netty 4.2.18's name for it; 4.2.17 drops it). */
    static final AsciiString PROTOCOL_HEADER = AsciiString.cached("x-http2-protocol");
    private static final AsciiString PROTOCOL = Http2Headers.PseudoHeaderName.PROTOCOL.value();

    /** Where the stream is: plain HTTP, a WebSocket handshake waiting for its answer, or relaying. */
    private enum Phase
    {
        HTTP, HANDSHAKE, RELAY
    }

    private final boolean webSockets;
    private Phase phase = Phase.HTTP;
    private boolean sentEndStream;

    /** @param webSockets whether an extended CONNECT for websocket is taken (the listener's {@code websocket_over_h2}). */
    ClientStreamCodec(final boolean webSockets)
    {
        super(true);
        this.webSockets = webSockets;
    }

    /**
     * The refusal of an extended CONNECT this codec did not take as a WebSocket: 501, naming its
     * protocol; null for any other request (a plain CONNECT is refused by the head checks).
     */
    static RequestRefusedException unsupportedProtocol(final HttpRequest request)
    {
        final String protocol = HttpMethod.CONNECT.equals(request.method()) ? request.headers().get(PROTOCOL_HEADER) : null;
        if (protocol == null)
        {
            return null;
        }
        return new RequestRefusedException(RequestRefusal.CONNECT_NOT_ALLOWED,
            HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(protocol) ?
                "WebSockets over HTTP/2 are off on this listener (websocket_over_h2: false)" :
                "extended CONNECT for '" + protocol + "' is not supported: only websocket");
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) throws Exception
    {
        final boolean clientEnded = phase == Phase.RELAY && msg instanceof Http2DataFrame data && data.isEndStream();
        super.channelRead(ctx, msg);
        if (clientEnded)
        {
            ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final Http2StreamFrame frame, final List<Object> out) throws Exception
    {
        switch (phase)
        {
            case RELAY -> relayed(ctx, frame, out);
            case HANDSHAKE -> reset(ctx); // RFC 6455 4.1: a client sends nothing after its handshake until the answer
            case HTTP ->
            {
                if (frame instanceof Http2HeadersFrame head && isExtendedConnect(head.headers()))
                {
                    extendedConnect(ctx, head, out);
                    return;
                }
                super.decode(ctx, frame, out);
            }
        }
    }

    private static boolean isExtendedConnect(final Http2Headers headers)
    {
        final CharSequence method = headers.method();
        return method != null && HttpMethod.CONNECT.asciiName().contentEquals(method) && headers.contains(PROTOCOL);
    }

    private void extendedConnect(final ChannelHandlerContext ctx, final Http2HeadersFrame head, final List<Object> out)
        throws Exception
    {
        final Http2Headers headers = head.headers();
        final CharSequence protocol = headers.get(PROTOCOL);
        if (!webSockets || !HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(protocol))
        {
            headers.set(PROTOCOL_HEADER, protocol);
            super.decode(ctx, head, out);
            return;
        }
        headers.method(HttpMethod.GET.asciiName());
        headers.remove(PROTOCOL);
        // Whole, without a body: the stream's DATA is the WebSocket's, once the backend accepted it.
        final FullHttpRequest request = HttpConversionUtil.toFullHttpRequest(head.stream().id(), headers, ctx.alloc(), true);
        final HttpHeaders upgrade = request.headers();
        WebSockets.keepUpgradeHeaders(upgrade);
        upgrade.set(HttpHeaderNames.SEC_WEBSOCKET_KEY, WebSockets.newKey());
        if (!upgrade.contains(HttpHeaderNames.SEC_WEBSOCKET_VERSION))
        {
            upgrade.set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, WebSockets.VERSION);
        }
        joinLines(upgrade, HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        joinLines(upgrade, HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
        phase = Phase.HANDSHAKE;
        out.add(request);
    }

    /**
     * An HTTP/2 client sends a list as one field per item (Jetty's subprotocols do); RFC 9110 5.3 lets them be
     * one line, and WebSocket servers read the first line only (Netty's handshaker does): they go on as one.
     */
    private static void joinLines(final HttpHeaders headers, final CharSequence name)
    {
        final List<String> lines = headers.getAll(name);
        if (lines.size() > 1)
        {
            headers.set(name, String.join(", ", lines));
        }
    }

    /** RFC 9113 8.5: a connected stream carries DATA only; anything else is malformed. */
    private void relayed(final ChannelHandlerContext ctx, final Http2StreamFrame frame, final List<Object> out)
    {
        if (!(frame instanceof Http2DataFrame data))
        {
            reset(ctx);
            return;
        }
        if (data.content().isReadable())
        {
            out.add(data.content().retain());
        }
    }

    /** RST_STREAM PROTOCOL_ERROR, counted as malformed as every other is ({@link Http2Refusals}); the exchange ends with it. */
    private static void reset(final ChannelHandlerContext ctx)
    {
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    protected void encode(final ChannelHandlerContext ctx, final HttpObject obj, final List<Object> out) throws Exception
    {
        if (phase == Phase.HANDSHAKE && obj instanceof HttpResponse response)
        {
            if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code())
            {
                out.add(new DefaultHttp2HeadersFrame(connected(response)));
                phase = Phase.RELAY;
                return;
            }
            phase = Phase.HTTP; // refused: the backend's answer goes to the client as it is
        }
        super.encode(ctx, obj, out);
    }

    /** RFC 8441 5: the 101's headers under :status 200, without the Accept that answered a key the client never sent. */
    private static Http2Headers connected(final HttpResponse response)
    {
        final Http2Headers headers = HttpConversionUtil.toHttp2Headers(response, true); // Upgrade and Connection go
        headers.status(HttpResponseStatus.OK.codeAsText());
        headers.remove(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT);
        return headers;
    }

    /** Relaying: the backend's bytes go as DATA; an empty write (the one before a close) goes as nothing. */
    @Override
    public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise) throws Exception
    {
        if (phase == Phase.RELAY && msg instanceof ByteBuf bytes)
        {
            if (!bytes.isReadable())
            {
                bytes.release();
                promise.trySuccess();
                return;
            }
            ctx.write(new DefaultHttp2DataFrame(bytes), promise);
            return;
        }
        super.write(ctx, msg, promise);
    }

    /**
     * Relaying: the backend closed (or the idle timeout), which RFC 8441 4 makes END_STREAM; the
     * stream's channel then resets a client that has not ended its side (CANCEL), as a socket
     * closed with unread bytes would.
     */
    @Override
    public void close(final ChannelHandlerContext ctx, final ChannelPromise promise) throws Exception
    {
        if (phase == Phase.RELAY && !sentEndStream && ctx.channel().isActive())
        {
            sentEndStream = true;
            ctx.writeAndFlush(new DefaultHttp2DataFrame(true));
        }
        super.close(ctx, promise);
    }
}
