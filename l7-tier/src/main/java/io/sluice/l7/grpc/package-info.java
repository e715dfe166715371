/**
 * What the proxy knows of gRPC, which otherwise passes through it as HTTP/2 with trailers: a
 * call is told by its content-type, its {@code grpc-timeout} shortens the request deadline and
 * goes on to the backend as the time that deadline has left, and an error of the proxy's own (no
 * server, a connect failure, a timeout) is answered as a gRPC status in a trailers-only response,
 * which a gRPC client understands, rather than an HTML page it would report as a protocol error.
 */
package io.sluice.l7.grpc;
