package io.sluice.l7.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The top-level {@code dns:} ({@link DnsSettings}), every key optional. */
final class DnsReader
{
    /** An answer kept longer than a day would outlive any renumbering it should follow. */
    private static final Duration MAX_TTL_LIMIT = Duration.ofDays(1);
    /** A query unanswered for 30 s is lost; waiting longer only delays the retry. */
    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);

    private DnsReader()
    {
    }

    /** {@code dns: { servers: [ADDR:PORT, ...], min_ttl, max_ttl, timeout, unresolved: refuse | empty }}. */
    static DnsSettings dns(final ConfigNode node)
    {
        final ConfigMapping fields = node.mapping("servers", "min_ttl", "max_ttl", "timeout", "unresolved");
        final DnsSettings defaults = DnsSettings.DEFAULTS;
        final ConfigNode serversNode = fields.optional("servers");
        final List<InetSocketAddress> servers = new ArrayList<>();
        if (serversNode != null)
        {
            final FirstUses<InetSocketAddress> seen = new FirstUses<>();
            for (final ConfigNode item : serversNode.nonEmptyList("name server"))
            {
                final InetSocketAddress server = SocketAddresses.read(item);
                seen.claim(server, item, item, "'" + item.text() + "'");
                servers.add(server);
            }
        }
        // A TTL counts whole seconds: less than one would ask again and again.
        final Duration minTtl = bounded(fields.optional("min_ttl"), defaults.minTtl(), Duration.ofSeconds(1), MAX_TTL_LIMIT);
        final Duration maxTtl = bounded(fields.optional("max_ttl"), defaults.maxTtl(), Duration.ofSeconds(1), MAX_TTL_LIMIT);
        if (minTtl.compareTo(maxTtl) > 0)
        {
            throw fields.key(fields.has("max_ttl") ? "max_ttl" : "min_ttl").error("min_ttl is more than max_ttl");
        }
        final Duration timeout = bounded(fields.optional("timeout"), defaults.timeout(), Duration.ofMillis(10), MAX_TIMEOUT);
        final ConfigNode unresolvedNode = fields.optional("unresolved");
        final boolean refuse = unresolvedNode == null || switch (unresolvedNode.text())
        {
            case "refuse" -> true;
            case "empty" -> false;
            default -> throw unresolvedNode.error("'" + unresolvedNode.text() + "' is not refuse or empty");
        };
        return new DnsSettings(servers, minTtl, maxTtl, timeout, refuse);
    }

    private static Duration bounded(final ConfigNode node, final Duration otherwise, final Duration least, final Duration most)
    {
        if (node == null)
        {
            return otherwise;
        }
        final Duration duration = node.parse(Durations::parse);
        if (duration.compareTo(least) < 0 || duration.compareTo(most) > 0)
        {
            throw node.error(node.text() + " is not " + least.toMillis() + "ms-" + most.toSeconds() + "s");
        }
        return duration;
    }
}
