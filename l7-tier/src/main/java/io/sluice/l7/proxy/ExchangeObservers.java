package io.sluice.l7.proxy;

import io.sluice.l7.accesslog.AccessLog;
import io.sluice.l7.metrics.L7Metrics;

/**
 * Who is told about every exchange and connection: the metrics (always) and the access log
 * (null when it is off). Shared by every event loop; both record without locks.
 */
public record ExchangeObservers(L7Metrics metrics, AccessLog accessLog)
{
    /** Metrics only, no access log (tests). */
    public static ExchangeObservers metricsOnly()
    {
        return new ExchangeObservers(new L7Metrics(), null);
    }
}
