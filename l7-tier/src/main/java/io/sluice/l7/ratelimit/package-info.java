/**
 * Rate limits of a route: how many requests a key (a client address or prefix, a header, a
 * cookie, the authenticated identity) may make per unit of time, decided by GCRA locally on each
 * proxy or, for a global limit, in a store every proxy shares ({@link io.sluice.l7.ratelimit.SharedLimiter}).
 */
package io.sluice.l7.ratelimit;
