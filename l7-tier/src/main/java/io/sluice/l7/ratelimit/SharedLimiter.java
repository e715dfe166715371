package io.sluice.l7.ratelimit;

import java.util.concurrent.CompletionStage;

/**
 * A limit counted once for every proxy behind the forwarder rather than by each alone: the
 * store all of them share (Redis) makes one GCRA decision per request, atomically, in one round
 * trip. It never blocks the caller; the decision completes on any thread, and completes
 * exceptionally when the store cannot be reached or does not answer in time (the rate-limit
 * filter then falls back to its local limit and the limit's fail-open or fail-closed choice).
 */
public interface SharedLimiter
{
    /**
     * Spends {@code cost} requests of {@code key}'s allowance, if it has them.
     *
     * @param key                   the limit's name and the request's key, already combined (unique per limit).
     * @param emissionIntervalNanos the time one request uses up: one second divided by the rate per second.
     * @param burst                 how many requests may come at once above the steady rate (GCRA's tolerance
     *                              is {@code burst * emissionIntervalNanos}).
     * @param cost                  how many requests this one counts as (1, or 0 to read without spending).
     */
    CompletionStage<LimitDecision> decide(String key, long emissionIntervalNanos, int burst, int cost);
}
