package io.sluice.l7.proxy;

import io.sluice.l7.config.Timeouts;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The differential suites' set-up: one proxy (one event loop, short timeouts) in front of a
 * {@link RecordingBackend}, every request routed there as the client sent it, so the proxy alone
 * decides what changes and the backend's bytes show what got through.
 */
final class ProxiedRecordingBackend implements AutoCloseable
{
    private static final Timeouts TIMEOUTS = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(10),
        Duration.ofSeconds(2), Duration.ofSeconds(10));

    final RecordingBackend backend = new RecordingBackend();
    final L7Proxy proxy;

    /** @param maxBodyBytes a request's own body limit by its target, or {@link RoutedRequest#PROXY_LIMIT}. */
    ProxiedRecordingBackend(final Transport transport, final ToLongFunction<String> maxBodyBytes)
    {
        proxy = new L7Proxy(transport, 1, List.of(new InetSocketAddress("127.0.0.1", 0)),
            (request, client) -> new Unchanged(backend.address(), request.uri(), maxBodyBytes.applyAsLong(request.uri())), TIMEOUTS,
            ExchangeObservers.metricsOnly());
    }

    @Override
    public void close()
    {
        proxy.close();
        backend.close();
    }
}
