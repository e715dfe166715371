package io.sluice.l7.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2Stream;

import java.util.concurrent.TimeUnit;

/**
 * How one client connection drains, by what it speaks.
 * <ul>
 *   <li>HTTP/1.1: an idle connection closes at once, a busy one after its exchange in flight,
 *       whose response says {@code Connection: close} ({@link FrontendHandler#drain()}).</li>
 *   <li>HTTP/2 (h2c, either way in): a GOAWAY with NO_ERROR naming the last stream the client
 *       opened, as Envoy and HAProxy send, so the client opens no new stream here and takes its
 *       next requests elsewhere, while the streams already open run to their end; the connection
 *       closes by itself after its last stream, or at the drain's deadline ({@link #closeNow}).</li>
 * </ul>
 * Not the codec's own graceful close ({@code Http2ConnectionHandler.close} with streams open): it
 * closes the connection as soon as the last stream counts as closed, and a stream can count as
 * closed when its last DATA frame is written but not yet flushed (the flow controller merges a
 * response's frames and reports on the first one's promise, long done), so the socket closed
 * under the response's last bytes. Here the end waits for the last stream to close and for
 * everything written to be flushed, then is a lingering close, as HAProxy and nginx do: a FIN,
 * reading on until the client closes its side (at once: it has its GOAWAY and its responses),
 * and a close of our own only {@value #LINGER_MS} ms later. Closing straight away would reset the
 * connection whenever the client's last WINDOW_UPDATEs were still arriving, and a reset can
 * throw away response bytes the client has received but not yet read.
 *
 * <p>One GOAWAY, not the two of RFC 9113 §6.8 (first 2^31-1, then the real last stream after a
 * round trip): a stream the client opened while the GOAWAY was on its way is ignored, and the
 * GOAWAY's last stream id tells the client it was not processed, so it may retry it elsewhere.
 */
final class ConnectionDrain
{
    /** How long a client has to close its side after our FIN before we close anyway. */
    static final long LINGER_MS = 1_000;

    private ConnectionDrain()
    {
    }

    /** Starts draining {@code client}; call on its event loop. */
    static void begin(final Channel client)
    {
        final Http2FrameCodec http2 = client.pipeline().get(Http2FrameCodec.class);
        if (http2 != null)
        {
            goAway(client, http2.connection());
            return;
        }
        final FrontendHandler http1 = client.pipeline().get(FrontendHandler.class);
        if (http1 != null)
        {
            http1.drain();
        }
    }

    /** The drain's deadline: closes {@code client} now, HTTP/2 streams still open or not. */
    static ChannelFuture closeNow(final Channel client)
    {
        // Below the codec: a close through it with streams open would wait for them once more.
        final ChannelHandlerContext http2 = client.pipeline().context(Http2FrameCodec.class);
        return http2 != null ? http2.close() : client.close();
    }

    private static void goAway(final Channel client, final Http2Connection connection)
    {
        client.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR)); // the codec fills in the last stream
        if (connection.numActiveStreams() == 0)
        {
            end(client);
            return;
        }
        connection.addListener(new Http2ConnectionAdapter()
        {
            private boolean ending;

            @Override
            public void onStreamClosed(final Http2Stream stream)
            {
                // Once the codec is done with the frame it is writing: the end must come after it.
                client.eventLoop().execute(() ->
                {
                    if (!ending && connection.numActiveStreams() == 0)
                    {
                        ending = true;
                        end(client);
                    }
                });
            }
        });
    }

    /** No stream is open: what was written goes out, then the lingering close. */
    private static void end(final Channel client)
    {
        client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((flushed) ->
        {
            if (!(client instanceof DuplexChannel duplex) || !flushed.isSuccess())
            {
                closeNow(client);
                return;
            }
            duplex.shutdownOutput();
            client.eventLoop().schedule(() -> closeNow(client), LINGER_MS, TimeUnit.MILLISECONDS);
        });
    }
}
