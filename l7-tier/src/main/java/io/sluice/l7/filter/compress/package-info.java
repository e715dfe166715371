/**
 * The {@code compress} filter: a route's responses compressed with gzip when the client's
 * Accept-Encoding takes it, when HTTP allows it (not for
 * HEAD, 1xx, 204, 304, 206 or a ranged request, {@code no-transform}, a body encoded already,
 * server-sent events), with {@code Vary} merged, a strong ETag made weak and the body streamed
 * chunk by chunk (each chunk's output flushed, so backpressure stays the proxy's). A body of
 * unknown length is held up to the route's minimum before the filter decides. Each response's
 * encoder (the JDK's zlib) is closed at every end of the response so its native memory goes with it.
 */
package io.sluice.l7.filter.compress;
