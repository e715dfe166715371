package io.sluice.l7.ratelimit;

/**
 * One limit's answer to one request, local or shared alike: what the filter needs to let it go
 * or refuse it, and to fill {@code Retry-After} and the {@code RateLimit} fields.
 *
 * @param allowed         whether the request may go (its cost was spent).
 * @param remaining       the requests the key may still make at once after this one.
 * @param retryAfterNanos when refused, how long until one request would be allowed; when allowed, 0, or for a
 *                        local limit with {@code action: delay}, how long the request waits for its turn first.
 * @param resetNanos      how long until the key's allowance is whole again (the bucket full).
 */
public record LimitDecision(boolean allowed, long remaining, long retryAfterNanos, long resetNanos)
{
}
