package io.sluice.l7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A WebSocket upgrade the backend accepted: the 101 goes to the client with its Upgrade headers,
 * then both HTTP codecs come out of the pipelines and the legs relay bytes as they are, each
 * leg's reading following the other's writability, until either closes. The backend
 * connection is the upgraded stream's alone from then on and never returns to the pool.
 * An HTTP/2 client's WebSocket relays the same way: its stream's codec turns DATA frames into
 * the bytes this relays and back ({@link ClientStreamCodec}), and its END_STREAM half-closes
 * the backend connection ({@link #clientEnded}).
 */
final class UpgradeRelay
{
    private UpgradeRelay()
    {
    }

    /**
     * Whether {@code response} is the 101 to the WebSocket upgrade {@code request} asked for
     * (whether it answers the request's key is {@link WebSockets#acceptAnswersKey}'s to say).
     */
    static boolean accepts(final HttpRequest request, final HttpResponse response)
    {
        return response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code() && WebSockets.isUpgrade(request);
    }

    /** Sends the 101 (its headers already edited as any response's) and turns both legs into byte relays. */
    static void begin(final Channel backend, final HttpResponse response, final ClientConnection client)
    {
        WebSockets.keepUpgradeHeaders(response.headers());
        client.writeObserved(response).addListener((ChannelFutureListener)(future) -> client.upgraded());
        // Then what follows the 101 reaches the handler raw. In this order: the codec hands on at once what it read past
        // the 101 (a server may send its first frames with it), and the client must have the 101 before those bytes.
        backend.pipeline().remove(BackendConnections.HTTP_CODEC);
        client.channel().flush();
    }

    /** Bytes from the client to the backend, or released when the backend is gone. */
    static void toBackend(final Channel backend, final ByteBuf bytes)
    {
        if (backend == null)
        {
            bytes.release();
            return;
        }
        backend.write(bytes, backend.voidPromise());
    }

    /**
     * The client ended its side of the WebSocket (an HTTP/2 stream's END_STREAM, which RFC 8441
     * 4 makes the tunnel's TCP FIN): what it sent is flushed, then the backend connection's output is
     * shut, a half-close the backend answers by closing in turn. A connection that cannot
     * half-close is closed.
     */
    static void clientEnded(final Channel backend)
    {
        if (backend == null)
        {
            return;
        }
        backend.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener)(flushed) ->
        {
            if (flushed.isSuccess() && backend instanceof DuplexChannel duplex)
            {
                duplex.shutdownOutput();
                return;
            }
            backend.close();
        });
    }
}
