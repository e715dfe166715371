package io.sluice.l7.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;

/**
 * What an exchange needs of the client connection it serves ({@link FrontendHandler}, an
 * HTTP/1.1 connection's or an HTTP/2 stream's): the connection drives the exchange, and the
 * exchange reaches back only through this, so the two do not call each other's internals.
 */
interface ClientConnection
{
    Channel channel();

    /** Between a read and its end-of-read, which flushes the backend. */
    boolean inRead();

    /** Writes to the client without a future; the exchange decides when to flush. */
    void write(Object msg);

    /** A write whose completion the caller waits for. */
    ChannelFuture writeObserved(Object msg);

    /** Reads the client while the backend can take more, and not while it cannot. */
    void readWhileBackendTakesMore(boolean backendWritable);

    /** Whether the connection closes after the exchange in flight (the proxy is draining). */
    boolean closeAfterExchange();

    /** The exchange ended and the connection stays open: the next request may go on. */
    void exchangeDone(ProxyExchange exchange);

    /** An event stream: no request timeout, the long idle timeout. */
    void longLived();

    /** A WebSocket's 101 was written: the HTTP codec goes, bytes pass as they are, with the long idle timeout. */
    void upgraded();

    /** Whether this is an HTTP/2 stream (a child channel of the client's connection). */
    boolean onHttp2Stream();

    /** A malformed request on an HTTP/2 stream: RST_STREAM PROTOCOL_ERROR. */
    void resetStream();
}
