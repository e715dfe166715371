/**
 * HTTP/2 to backend servers: each event loop's connections to a server are shared by its
 * exchanges, one stream each, as many at once as the server's SETTINGS and the pool's
 * {@code max_streams} allow ({@link io.sluice.l7.upstream.Http2Upstreams}), in cleartext (h2c)
 * or over TLS with ALPN h2 ({@link io.sluice.l7.upstream.BackendTls}), each connection set up by
 * {@link io.sluice.l7.upstream.Http2BackendConnection}, as the health checks' connections are;
 * a GOAWAY drains a connection (no new streams, the open ones finish) and a broken one fails only
 * its own streams. A stream's pipeline turns HTTP/2 frames into the HTTP/1-shaped messages a
 * proxy exchange takes and gives (trailers as a last content's trailing headers), so the proxy's
 * exchange has one shape for both protocols.
 */
package io.sluice.l7.upstream;
