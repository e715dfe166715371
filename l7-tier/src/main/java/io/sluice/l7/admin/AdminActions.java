package io.sluice.l7.admin;

import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * What the admin endpoint asks of the server it administers. The endpoint calls these on a
 * thread of its own, one at a time (two reloads never overlap, and no event loop waits for one),
 * so they may block.
 *
 * @param status  the state {@code GET /status} reports, read per request.
 * @param metrics the Prometheus text {@code GET /metrics} serves, e.g. {@code metrics::prometheusText}.
 * @param reload  {@code POST /reload}: reads the configuration again and serves it. To refuse it
 *                (the old one stays), throw {@link io.sluice.l7.config.ConfigException} or
 *                {@link IllegalArgumentException} with a one-line message: the answer is 400 with
 *                that message. Any other exception is a failure: 500.
 * @param drain   {@code POST /drain}: starts draining (stop accepting, finish what is in flight)
 *                and returns; answered 202.
 * @param purge   {@code POST /purge}: removes responses from the route caches and returns how many;
 *                an {@link IllegalArgumentException} (no such route, no cache) is answered 400 with its message.
 */
public record AdminActions(Supplier<ServingState> status, Supplier<String> metrics, Runnable reload, Runnable drain,
    ToIntFunction<CachePurge> purge)
{
    /** A server without caches: every purge is refused. */
    public AdminActions(final Supplier<ServingState> status, final Supplier<String> metrics, final Runnable reload,
        final Runnable drain)
    {
        this(status, metrics, reload, drain, purge ->
        {
            throw new IllegalArgumentException("no route has a cache");
        });
    }
}
