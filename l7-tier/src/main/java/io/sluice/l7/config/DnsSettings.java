package io.sluice.l7.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The top-level {@code dns:}: how pool servers named by DNS name ({@code address: api.internal:8080}) are
 * resolved, and resolved again when their answer's TTL runs out.
 *
 * @param servers    the name servers asked, in order; empty for those of {@code /etc/resolv.conf}.
 * @param minTtl     an answer is kept at least this long (and a failed lookup is tried again after it).
 * @param maxTtl     and at most this long, whatever its TTL says.
 * @param timeout    how long one query waits for its answer.
 * @param refuseUnresolved whether a name that does not resolve when first read refuses the configuration
 *                         ({@code unresolved: refuse}, the default, as HAProxy's {@code init-addr last,libc} fails to
 *                         start) or leaves its servers out until it resolves ({@code unresolved: empty}, as
 *                         {@code init-addr none}).
 */
public record DnsSettings(List<InetSocketAddress> servers, Duration minTtl, Duration maxTtl, Duration timeout,
    boolean refuseUnresolved)
{
    /** HAProxy's {@code hold valid} is 10 s and Envoy's dns_refresh_rate 5 s; TTLs decide here, within 1 s - 5 min. */
    public static final DnsSettings DEFAULTS = new DnsSettings(List.of(), Duration.ofSeconds(1), Duration.ofSeconds(300),
        Duration.ofSeconds(2), true);

    public DnsSettings
    {
        servers = List.copyOf(servers);
    }
}
