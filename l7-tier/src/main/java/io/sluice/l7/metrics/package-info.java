/**
 * The L7 tier's metrics: {@link io.sluice.l7.metrics.L7Metrics} counts every finished exchange
 * per route and per pool server (requests, responses by status class, bytes, a latency
 * histogram), the requests refused by reason and the connections open, recorded on the proxy's
 * event loops without locks, and writes them as Prometheus text (format 0.0.4) when scraped.
 */
package io.sluice.l7.metrics;
