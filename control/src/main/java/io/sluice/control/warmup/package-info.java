/**
 * The L7 tier's warm-up ({@code sluice l7 --warm-up SECONDS|auto}, 8 s by default), run before the
 * configuration's listeners are bound: the real proxy on loopback in front of backends in the
 * same process, under a load of keep-alive and short HTTP/1.1 connections and prior-knowledge
 * HTTP/2 ones, and, when the configuration has a TLS listener, of the same over TLS with its
 * settings (HTTP/1.1 and h2 by ALPN, full and resumed handshakes), so that the JIT has compiled
 * the hot paths, and seen connections end, before the first client arrives. The clients are
 * blocking JDK sockets and the backends read bytes, not HTTP, so the profiles the JIT gathers
 * are the proxy's. With {@code auto} it lasts until the JIT's compilation time per second has
 * fallen below a threshold (within a minimum and a maximum), not a fixed time.
 */
package io.sluice.control.warmup;
