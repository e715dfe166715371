package io.sluice.l7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A WebSocket upgrade the backend accepted: the 101 goes to the client with its Upgrade headers,
 * then both HTTP codecs come out of the pipelines and the legs relay bytes as they are, each
 * leg's reading following the other's writability, until either closes. The backend
 * connection is the upgraded stream's alone from then on and never returns to the pool.
 */
final class UpgradeRelay
{
    private UpgradeRelay()
    {
    }

    /** Whether {@code response} accepts the WebSocket upgrade {@code request} asked for. */
    static boolean accepts(final HttpRequest request, final HttpResponse response)
    {
        return response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code() && WebSockets.isUpgrade(request);
    }

    /** Sends the 101 (its headers already edited as any response's) and turns both legs into byte relays. */
    static void begin(final Channel backend, final HttpResponse response, final ClientConnection client)
    {
        WebSockets.keepUpgradeHeaders(response.headers());
        backend.pipeline().remove(BackendConnections.HTTP_CODEC); // what follows the 101 reaches the handler raw
        client.writeObserved(response).addListener((ChannelFutureListener)(future) -> client.upgraded());
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
}
