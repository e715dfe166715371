/**
 * Rate limits of a route: how many requests a key (a client address or prefix, a header, a
 * cookie, the authenticated identity) may make per unit of time, decided by GCRA locally on each
 * proxy or, for a global limit, in a store every proxy shares ({@link io.sluice.l7.ratelimit.SharedLimiter}).
 * {@link io.sluice.l7.ratelimit.RateLimitFilter} is the route filter ({@code rate_limit:}), keys come from
 * {@link io.sluice.l7.ratelimit.RequestKey}, and each limit's state on this proxy is a bounded, striped
 * {@link io.sluice.l7.ratelimit.GcraTable} every event loop shares.
 */
package io.sluice.l7.ratelimit;
