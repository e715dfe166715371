package io.sluice.l7.metrics;

/**
 * One DNS name's figures, read at each scrape.
 *
 * @param name      the name pool servers are named by.
 * @param lookups   lookups so far (at start or reload, and each time its TTL ran out).
 * @param failures  those that failed (timeout, SERVFAIL, NXDOMAIN, no records), the last good addresses kept.
 * @param addresses the addresses served now.
 */
public record DnsStats(String name, long lookups, long failures, int addresses)
{
}
