/**
 * The PROXY protocol (HAProxy's, versions 1 and 2) on both sides of the proxy. On a listener
 * that names trusted peers (an NLB or another L4 balancer in front), {@link
 * io.sluice.l7.proxyprotocol.ProxyProtocolReceiver} reads the header a trusted peer begins its
 * connection with, through sluice's own strict parser ({@link
 * io.sluice.l7.proxyprotocol.ProxyHeaderDecoder}), and records the addresses it carries as the
 * connection's {@link io.sluice.l7.proxyprotocol.ConnectionAddresses}, the one place the rest
 * of the proxy learns the client's address from; a header from any other peer is refused, never
 * believed. Towards a pool with {@code send_proxy}, {@link
 * io.sluice.l7.proxyprotocol.ProxyHeaderSender} begins each backend connection with a header
 * ({@link io.sluice.l7.proxyprotocol.ProxyHeaderEncoder}) naming the client, and for v2 its TLS
 * (ALPN, SNI, the certificate's CN) as TLVs.
 */
package io.sluice.l7.proxyprotocol;
