package io.sluice.l7.proxy;

import io.netty.handler.codec.http2.Http2Settings;

import java.time.Duration;

/**
 * A listener's WebSockets for HTTP/2 clients (RFC 8441, {@code websocket_over_h2}): when on, its
 * HTTP/2 connections advertise SETTINGS_ENABLE_CONNECT_PROTOCOL and their streams take an
 * extended CONNECT as a WebSocket ({@link ClientStreamCodec}); an upgraded stream closes after
 * {@code idleTimeout} with no traffic either way, as an upgraded HTTP/1.1 connection does.
 */
record WebSocketsOverHttp2(boolean enabled, Duration idleTimeout)
{
    /** The settings the connection sends, with extended CONNECT on when the listener has it. */
    Http2Settings advertise(final Http2Settings settings)
    {
        return enabled ? settings.connectProtocolEnabled(true) : settings;
    }

    /** A new stream's codec: its frames as HTTP objects, and its WebSocket when it opens one. */
    ClientStreamCodec streamCodec()
    {
        return new ClientStreamCodec(enabled, idleTimeout);
    }
}
