package io.sluice.l7.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;

/**
 * WebSocket upgrades (RFC 6455 4.1): the one hop-by-hop exchange a proxy passes on. Upgrade
 * and Connection are the connection's headers, removed on each leg; for a WebSocket handshake
 * they are put back, so the backend and then the client see the upgrade. Other upgrades
 * (h2c, say) are not passed: the proxy does not speak them to backends.
 */
final class WebSockets
{
    private WebSockets()
    {
    }

    static boolean isUpgrade(final HttpRequest request)
    {
        final HttpHeaders headers = request.headers();
        return headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true) &&
            headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /** Puts back the Upgrade and Connection headers a handshake needs, after hop-by-hop removal. */
    static void keepUpgradeHeaders(final HttpHeaders headers)
    {
        headers.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    }
}
