/**
 * TLS to clients: a listener's certificates turned into Netty {@code SslContext}s (native
 * BoringSSL through netty-tcnative when it loads, the JDK's engine otherwise, see
 * {@link io.sluice.l7.tls.TlsProvider}), one chosen per connection by the name the client sends
 * (SNI: exact names, {@code *.domain} wildcards, a default or a refusal,
 * {@link io.sluice.l7.tls.SniMapping}), session tickets from a shared key file so several proxies
 * resume each other's sessions, client certificates checked against a CA, handshakes counted and
 * timed ({@link io.sluice.l7.tls.HandshakeObserver}), and certificate files watched so a renewed
 * certificate is served to the next handshake without a reload
 * ({@link io.sluice.l7.tls.CertificateWatcher}). A connection keeps the context it started with;
 * only new handshakes see a new one.
 */
package io.sluice.l7.tls;
