package io.sluice.l7.config;

import java.time.Duration;

/**
 * @param connect       to a backend server.
 * @param requestHeader for a client to send a whole request head.
 * @param idle          a client or backend connection with nothing in flight.
 * @param request       a whole request, first byte in to last byte out.
 * @param upgradedIdle  a WebSocket or server-sent-events stream with no traffic either way.
 */
public record Timeouts(Duration connect, Duration requestHeader, Duration idle, Duration request, Duration upgradedIdle)
{
    public static final Timeouts DEFAULTS = new Timeouts(
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofHours(1));
}
