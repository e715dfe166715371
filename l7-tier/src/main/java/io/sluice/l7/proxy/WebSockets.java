package io.sluice.l7.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * WebSocket upgrades (RFC 6455 4.1): the one hop-by-hop exchange a proxy passes on. Upgrade
 * and Connection are the connection's headers, removed on each leg; for a WebSocket handshake
 * they are put back, so the backend and then the client see the upgrade. Other upgrades
 * (h2c, say) are not passed: the proxy does not speak them to backends. An HTTP/2 client's
 * WebSocket (RFC 8441) reaches backends as the same upgrade, with a key the proxy made
 * ({@link ClientStreamCodec}); whoever made the key, the backend's Sec-WebSocket-Accept must answer it.
 */
final class WebSockets
{
    /** RFC 6455 1.3: what the server appends to the key before hashing it into Sec-WebSocket-Accept. */
    private static final byte[] ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);
    private static final int KEY_BYTES = 16;
    static final String VERSION = "13";

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

    /** RFC 6455 4.1: a nonce of 16 random bytes, base64. It keeps caches from answering the handshake; it is no secret. */
    static String newKey()
    {
        final byte[] nonce = new byte[KEY_BYTES];
        ThreadLocalRandom.current().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** RFC 6455 4.2.2: whether the response's Sec-WebSocket-Accept is the hash of the request's Sec-WebSocket-Key. */
    static boolean acceptAnswersKey(final HttpHeaders request, final HttpHeaders response)
    {
        final String key = request.get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        final String accept = response.get(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT);
        return key != null && accept != null && accept.trim().equals(acceptFor(key.trim()));
    }

    static String acceptFor(final String key)
    {
        try
        {
            final MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(key.getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1.digest(ACCEPT_GUID));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every JDK has SHA-1", ex);
        }
    }
}
