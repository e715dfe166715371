/**
 * The {@code compress} filter: a route's responses compressed with brotli, zstd or gzip as
 * the client's Accept-Encoding and the route's preference choose, when HTTP allows it (not for
 * HEAD, 1xx, 204, 304, 206 or a ranged request, {@code no-transform}, a body encoded already,
 * server-sent events), with {@code Vary} merged, a strong ETag made weak and the body streamed
 * chunk by chunk (a streamed body's each chunk flushed, a whole one's output given as the
 * encoder's blocks fill; either way backpressure stays the proxy's). A body of unknown length is
 * held up to the route's minimum before the filter decides. Each response's encoder is the
 * library's own streaming context (java.util.zip, brotli4j, zstd-jni), closed at every end of
 * the response so its native memory goes with it (a zlib deflater is reset and kept for the
 * thread's next gzip response instead).
 */
package io.sluice.l7.filter.compress;
