package io.sluice.l7.metrics;

/** What a route's JWKS fetcher has done so far, read at each scrape. */
public interface JwksStats
{
    /** Fetches of the JWKS URL so far, successful or not. */
    long fetches();

    /** Fetches that gave no keys (an error status, no answer, not a JWKS), the last good keys kept each time. */
    long failures();

    /** Keys the route checks signatures with now. */
    int keysKnown();
}
