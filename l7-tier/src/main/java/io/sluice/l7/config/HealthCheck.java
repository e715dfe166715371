package io.sluice.l7.config;

import java.time.Duration;

/**
 * A pool's active health check: an HTTP GET of {@code path} to every server, every
 * {@code interval}, in the pool's own protocol (HTTP/1.1, or HTTP/2 for an h2c or h2 pool, over
 * its TLS for h2); healthy when it answers {@code status} within {@code timeout} with a body
 * containing {@code body} (if given). {@code fall} failures in a row take a server out,
 * {@code rise} successes bring it back. With {@code grpc}, the gRPC health-checking protocol
 * instead (path and status unused).
 */
public record HealthCheck(String path, int status, String body, Duration interval, Duration timeout, int rise, int fall, boolean grpc)
{
}
