/**
 * The L7 tier's access log: one JSON line per request ({@link io.sluice.l7.accesslog.AccessLogEntry}),
 * handed off by the event loop to a bounded queue and written by one thread of its own
 * ({@link io.sluice.l7.accesslog.AccessLog}); lines that find the queue full are counted, never
 * waited for.
 */
package io.sluice.l7.accesslog;
