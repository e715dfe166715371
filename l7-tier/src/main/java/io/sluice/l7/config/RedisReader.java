package io.sluice.l7.config;

import java.net.InetSocketAddress;
import java.time.Duration;

/** The top-level {@code redis:} ({@link RedisSettings}): {@code address} required, the rest optional. */
final class RedisReader
{
    /** A request waits this long at most for its decision when Redis hangs; longer would be an outage of its own. */
    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(10);

    private RedisReader()
    {
    }

    /** {@code redis: { address, timeout, username, password, database }}. */
    static RedisSettings redis(final ConfigNode node)
    {
        final ConfigMapping fields = node.mapping("address", "timeout", "username", "password", "database");
        final InetSocketAddress address = SocketAddresses.read(fields.required("address"));
        final ConfigNode timeoutNode = fields.optional("timeout");
        final Duration timeout = timeoutNode == null ? RedisSettings.DEFAULT_TIMEOUT : timeoutNode.parse(Durations::parse);
        if (timeout.compareTo(MAX_TIMEOUT) > 0)
        {
            throw timeoutNode.error(timeoutNode.text()
                + " is more than 10s (each request with a global limit may wait this long)");
        }
        final String username = secret(fields.optional("username"));
        final String password = secret(fields.optional("password"));
        if (username != null && password == null)
        {
            throw fields.node().childError("password", "missing (a username needs one)");
        }
        final ConfigNode databaseNode = fields.optional("database");
        final int database = databaseNode == null ? 0 : databaseNode.integerAtLeast(0);
        return new RedisSettings(address, timeout, username, password, database);
    }

    /** A user name or password: non-empty text sent as it is (never echoed in an error). */
    private static String secret(final ConfigNode node)
    {
        if (node == null)
        {
            return null;
        }
        final String text = node.text();
        if (text.isEmpty())
        {
            throw node.error("is empty (leave the key out when Redis asks for none)");
        }
        return text;
    }
}
