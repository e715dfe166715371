package io.sluice.l7.ratelimit;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.sluice.l7.config.RouteFilter;
import io.sluice.l7.filter.BodyTransformer;
import io.sluice.l7.filter.FilterContext;
import io.sluice.l7.filter.RequestFilter;
import io.sluice.l7.filter.ResponseFilter;
import io.sluice.l7.metrics.RateLimitMetrics;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A route's {@code rate_limit:}. Its limits are checked in order, each spending the request from
 * its key's allowance; the first that refuses answers 429 (the limits before it have counted
 * the request, as Envoy's descriptors are all counted). A limit whose key the request lacks does
 * not apply to it. A delaying limit holds the request until its turn (the longest wait of its
 * limits), a dry-run limit only counts. A global limit asks the shared store and the request
 * waits for its answer without holding the event loop; when the store fails, the limit's
 * {@code on_redis_error} decides: this proxy's own count, allow, or deny.
 *
 * <p>The limits' decisions for a request stay with its exchange, and its response (the
 * backend's, or the 429) tells the client in the RateLimit fields ({@link RateLimitFields}).
 */
public final class RateLimitFilter implements RequestFilter, ResponseFilter
{
    /** What a shared store's failure counts as with {@code on_redis_error: deny}: a refusal for a second. */
    private static final LimitDecision STORE_DENIED = new LimitDecision(false, 0, TimeUnit.SECONDS.toNanos(1),
        TimeUnit.SECONDS.toNanos(1));

    private final String route;
    private final RouteLimit[] limits;
    private final String policy;
    /** The proxy's shared store, read per global decision: it may come and go with the configuration. */
    private final Supplier<SharedLimiter> sharedLimiter;

    /**
     * @param sharedLimiter the store global limits are counted in; it may give null (then they fall back).
     * @param clockNanos    monotonic nanoseconds ({@link System#nanoTime}; tests pass their own).
     */
    public RateLimitFilter(final String route, final RouteFilter.RateLimit rateLimit, final Supplier<SharedLimiter> sharedLimiter,
        final LongSupplier clockNanos)
    {
        this.route = route;
        this.sharedLimiter = sharedLimiter;
        limits = rateLimit.limits().stream().map((limit) -> new RouteLimit(route, limit, clockNanos)).toArray(RouteLimit[]::new);
        policy = RateLimitFields.policy(limits);
    }

    /** A reload: each limit that counts as before goes on with {@code previous}'s counts ({@link RouteLimit#carryOver}). */
    public void carryOver(final RateLimitFilter previous)
    {
        for (final RouteLimit limit : limits)
        {
            for (final RouteLimit before : previous.limits)
            {
                if (before.name().equals(limit.name()))
                {
                    limit.carryOver(before);
                }
            }
        }
    }

    @Override
    public Outcome onRequest(final HttpRequest request, final FilterContext context)
    {
        return check(request, context, 0, null, false);
    }

    @Override
    public BodyTransformer onResponse(final HttpResponse response, final FilterContext context)
    {
        if (context.attachment(this) instanceof Decisions decisions && decisions.told)
        {
            RateLimitFields.add(response.headers(), policy, limits, decisions.byLimit);
        }
        return null;
    }

    /**
     * Checks the limits from {@code from} on.
     *
     * @param decisions what the limits before {@code from} decided, or null when none counted the request.
     * @param pending   whether this filter returned {@link Outcome#PENDING} already (a global limit's
     *                  answer came): its turn then ends through the context, and what this returns is ignored.
     */
    private Outcome check(final HttpRequest request, final FilterContext context, final int from, final Decisions decisions,
        final boolean pending)
    {
        Decisions made = decisions;
        for (int i = from; i < limits.length; i++)
        {
            final RouteLimit limit = limits[i];
            final LimitDecision decision;
            if (limit.config().global())
            {
                final String key = limit.storeKey(request, context);
                if (key == null)
                {
                    continue;
                }
                final SharedLimiter store = sharedLimiter.get();
                if (store != null)
                {
                    final Decisions soFar = made == null ? new Decisions(limits.length) : made;
                    final int index = i;
                    store.decide(key, limit.intervalNanos(), limit.config().burst(), 1).whenComplete((answer, failure) -> context
                        .executor().execute(() -> stored(request, context, index, soFar, failure == null ? answer : null)));
                    return Outcome.PENDING;
                }
                decision = fallback(limit, request, context);
            }
            else
            {
                decision = limit.decideLocally(request, context, true);
            }
            if (decision != null)
            {
                made = made == null ? new Decisions(limits.length) : made;
                if (!counted(i, decision, made, context))
                {
                    return Outcome.ANSWERED;
                }
            }
        }
        if (made != null)
        {
            context.attach(this, made);
            if (made.waitNanos > 0)
            {
                context.executor().schedule(context::resume, made.waitNanos, TimeUnit.NANOSECONDS);
                return Outcome.PENDING;
            }
        }
        if (pending)
        {
            context.resume();
        }
        return Outcome.CONTINUE;
    }

    /** A global limit's answer (null when the store failed), on the exchange's event loop: the limits after it follow. */
    private void stored(final HttpRequest request, final FilterContext context, final int index, final Decisions decisions,
        final LimitDecision answer)
    {
        final LimitDecision decision = answer != null ? answer : fallback(limits[index], request, context);
        if (decision == null || counted(index, decision, decisions, context))
        {
            check(request, context, index + 1, decisions, true);
        }
    }

    /** A global limit without its store: {@code on_redis_error}'s decision, or null to let the request go uncounted. */
    private LimitDecision fallback(final RouteLimit limit, final HttpRequest request, final FilterContext context)
    {
        final RateLimitMetrics.Limit metrics = context.metrics().rateLimits().limit(route, limit.name());
        return switch (limit.config().onStoreError())
        {
            case LOCAL ->
            {
                metrics.sharedError(RateLimitMetrics.Fallback.LOCAL);
                yield limit.decideLocally(request, context, false);
            }
            case ALLOW ->
            {
                metrics.sharedError(RateLimitMetrics.Fallback.ALLOW);
                yield null;
            }
            case DENY ->
            {
                metrics.sharedError(RateLimitMetrics.Fallback.DENY);
                yield STORE_DENIED;
            }
        };
    }

    /**
     * Counts limit {@code index}'s decision and keeps it for the client; false when it refused
     * the request, which is then answered 429.
     */
    private boolean counted(final int index, final LimitDecision decision, final Decisions decisions, final FilterContext context)
    {
        final RouteLimit limit = limits[index];
        final RateLimitMetrics.Limit metrics = context.metrics().rateLimits().limit(route, limit.name());
        final boolean delayed = decision.allowed() && decision.retryAfterNanos() > 0;
        if (limit.config().dryRun())
        {
            metrics.counted(decision.allowed() && !delayed ? RateLimitMetrics.Outcome.ALLOWED : RateLimitMetrics.Outcome.DRY_RUN);
            return true;
        }
        decisions.byLimit[index] = decision;
        decisions.told = true;
        if (!decision.allowed())
        {
            metrics.counted(RateLimitMetrics.Outcome.LIMITED);
            context.answer(RateLimitFields.tooManyRequests(decision, policy, limits, decisions.byLimit));
            return false;
        }
        metrics.counted(delayed ? RateLimitMetrics.Outcome.DELAYED : RateLimitMetrics.Outcome.ALLOWED);
        decisions.waitNanos = Math.max(decisions.waitNanos, decision.retryAfterNanos());
        return true;
    }

    /** One request's decisions, by limit; kept on its exchange for the response. */
    private static final class Decisions
    {
        private final LimitDecision[] byLimit;
        /** Whether a limit the client is told of (not a dry run) counted the request. */
        private boolean told;
        /** The longest a delaying limit holds the request. */
        private long waitNanos;

        Decisions(final int limits)
        {
            byLimit = new LimitDecision[limits];
        }
    }
}
