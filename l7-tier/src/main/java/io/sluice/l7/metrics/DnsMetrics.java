package io.sluice.l7.metrics;

import java.util.List;

/** The DNS names' figures as Prometheus families ({@code sluice_l7_dns_*{name}}), one sample per name. */
final class DnsMetrics
{
    private static final String PREFIX = "sluice_l7_dns_";

    private DnsMetrics()
    {
    }

    static void write(final StringBuilder out, final List<DnsStats> names)
    {
        if (names.isEmpty())
        {
            return;
        }
        PrometheusText.family(out, PREFIX + "resolutions_total", "counter", "Lookups of a server's DNS name (A and AAAA).");
        names.forEach(stats -> PrometheusText.sample(out, PREFIX + "resolutions_total", label(stats), stats.lookups()));
        PrometheusText.family(out, PREFIX + "failures_total", "counter",
            "Lookups that failed (timeout, SERVFAIL, NXDOMAIN, no records); the last good addresses were kept.");
        names.forEach(stats -> PrometheusText.sample(out, PREFIX + "failures_total", label(stats), stats.failures()));
        PrometheusText.family(out, PREFIX + "addresses", "gauge", "Addresses of the name served now, each a server.");
        names.forEach(stats -> PrometheusText.sample(out, PREFIX + "addresses", label(stats), stats.addresses()));
    }

    private static StringBuilder label(final DnsStats stats)
    {
        return PrometheusText.label(new StringBuilder(), "name", stats.name());
    }
}
