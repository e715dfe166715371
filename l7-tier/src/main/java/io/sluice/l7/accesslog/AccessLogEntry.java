package io.sluice.l7.accesslog;

import java.net.InetSocketAddress;

/**
 * One request as the access log records it. Made on the event loop when the exchange is over,
 * formatted on the log's own thread.
 *
 * @param startMillis   wall-clock time the request's head arrived ({@link System#currentTimeMillis}).
 * @param client        the client's address (the TCP peer), or null if unknown.
 * @param method        the request's method.
 * @param path          the request-target as the client sent it (before any rewrite; query included).
 * @param route         the route's name, or null when none matched.
 * @param pool          the pool chosen, or null.
 * @param server        the server's name in that pool, or null when none took it.
 * @param status        the status sent to the client; 0 when none was.
 * @param requestBytes  request body bytes received from the client.
 * @param responseBytes response body bytes sent to the client.
 * @param durationNanos from the request's first byte to the response's last.
 * @param requestId     the X-Request-Id the request went on with, or null.
 * @param refused       why the proxy refused the request ({@link io.sluice.l7.http.RequestRefusal#label()}, e.g.
 *                      {@code bad_chunk_size}; {@code status} is the one it answered), or null for a request it did not refuse.
 * @param identity      who the request is from as the route's authentication proved it (a token's subject, an API key's
 *                      name; never the credential itself), or null when the route has none or it refused the request.
 */
public record AccessLogEntry(long startMillis, InetSocketAddress client, String method, String path, String route, String pool,
    String server, int status, long requestBytes, long responseBytes, long durationNanos, String requestId, String refused,
    String identity)
{
    /** An entry of a request no authentication spoke for. */
    public AccessLogEntry(final long startMillis, final InetSocketAddress client, final String method, final String path,
        final String route, final String pool, final String server, final int status, final long requestBytes,
        final long responseBytes, final long durationNanos, final String requestId, final String refused)
    {
        this(startMillis, client, method, path, route, pool, server, status, requestBytes, responseBytes, durationNanos,
            requestId, refused, null);
    }
}
