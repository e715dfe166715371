/**
 * The proxy itself, on Netty: {@link io.sluice.l7.proxy.L7Proxy} binds the listeners on one
 * event loop group (epoll, io_uring or NIO, {@link io.sluice.l7.proxy.Transport}) that serves
 * client and backend connections alike, so each exchange stays on one thread. A client
 * connection speaks HTTP/1.1 through the strict parser or HTTP/2 (h2c), and its
 * {@code FrontendHandler} routes each request, through a
 * {@link io.sluice.l7.proxy.RequestRouter}, to a pooled keep-alive backend connection of the
 * same event loop (or, for an HTTP/2 pool, a stream on a shared connection: {@code upstream}),
 * streaming bodies both ways with back-pressure rather than buffering them.
 * Each request's {@code ProxyExchange} is a state machine ({@code ExchangeState}, one table of
 * transitions) that runs the route's filters ({@code filter}) and leaves retries, the request
 * deadline, WebSocket relaying and reporting to classes of their own.
 * Forwarded and hop-by-hop headers, WebSocket upgrades, timeouts on one sweeper per event loop,
 * and draining live here too; the exchanges are reported to the metrics and the access log. It
 * uses {@code config}, {@code filter}, {@code grpc}, {@code http}, {@code http1}, {@code metrics}, {@code upstream} and
 * {@code accesslog}, and
 * knows routes only through {@code RequestRouter}, which the {@code server} package implements.
 */
package io.sluice.l7.proxy;
