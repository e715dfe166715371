/**
 * TLS to clients: a listener's certificates turned into Netty {@code SslContext}s (native
 * BoringSSL through netty-tcnative when it loads, the JDK's engine otherwise, see
 * {@link io.sluice.l7.tls.TlsProvider}), one chosen per connection from the client's ClientHello,
 * read strictly before any engine sees it ({@link io.sluice.l7.tls.CertificateSelector}): by the
 * name it sends (SNI: exact names, {@code *.domain} wildcards, a default or a refusal,
 * {@link io.sluice.l7.tls.SniMapping}) and, for a name with an RSA and an ECDSA certificate, by
 * whether it can verify ECDSA ({@link io.sluice.l7.tls.CertificateChoice}). OCSP responses from
 * files are stapled ({@link io.sluice.l7.tls.ocsp}), session tickets come from a shared key file so
 * several proxies resume each other's sessions, client certificates are checked against a CA,
 * handshakes counted and timed ({@link io.sluice.l7.tls.HandshakeObserver}), and the files watched
 * so a renewed certificate or response is served to the next handshake without a reload
 * ({@link io.sluice.l7.tls.CertificateWatcher}). A connection keeps the context it started with;
 * only new handshakes see a new one.
 */
package io.sluice.l7.tls;
