package io.sluice.l7.config;

import java.time.Duration;

/** A pool's {@code health}: every field optional, with the defaults below. */
final class HealthCheckReader
{
    static final String DEFAULT_PATH = "/";
    static final int DEFAULT_STATUS = 200;
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    static final int DEFAULT_RISE = 2;
    static final int DEFAULT_FALL = 3;

    private HealthCheckReader()
    {
    }

    static HealthCheck healthCheck(final ConfigNode node)
    {
        final ConfigMapping fields = node.mapping("path", "status", "body", "interval", "timeout", "rise", "fall", "grpc");
        final ConfigNode grpcNode = fields.optional("grpc");
        final boolean grpc = grpcNode != null && grpcNode.bool();
        if (grpc)
        {
            // The gRPC protocol has no path, status or body; giving one suggests a different check was meant.
            for (final String httpOnly : new String[] {"path", "status", "body"})
            {
                if (fields.has(httpOnly))
                {
                    throw fields.key(httpOnly).error("not used with grpc: true");
                }
            }
        }
        final ConfigNode pathNode = fields.optional("path");
        final String path = pathNode == null ? DEFAULT_PATH : pathNode.parse(HttpSyntax::pathAndQuery);
        final ConfigNode statusNode = fields.optional("status");
        final int status = statusNode == null ? DEFAULT_STATUS : statusNode.integer(100, 599);
        final ConfigNode bodyNode = fields.optional("body");
        final String body = bodyNode == null ? null : bodyNode.text();
        final ConfigNode intervalNode = fields.optional("interval");
        final Duration interval = intervalNode == null ? DEFAULT_INTERVAL : intervalNode.parse(Durations::parse);
        final ConfigNode timeoutNode = fields.optional("timeout");
        final Duration timeout = timeoutNode == null ? DEFAULT_TIMEOUT : timeoutNode.parse(Durations::parse);
        if (timeout.compareTo(interval) >= 0)
        {
            // A check still running when the next is due would pile up checks on a slow server.
            throw timeoutNode != null
                ? timeoutNode.error(timeoutNode.text() + " must be shorter than interval (" + durationText(intervalNode, interval) + ")")
                : intervalNode.error(intervalNode.text() + " must be longer than timeout (default " + DEFAULT_TIMEOUT.toSeconds() + "s)");
        }
        final ConfigNode riseNode = fields.optional("rise");
        final int rise = riseNode == null ? DEFAULT_RISE : riseNode.integer(1, 1000);
        final ConfigNode fallNode = fields.optional("fall");
        final int fall = fallNode == null ? DEFAULT_FALL : fallNode.integer(1, 1000);
        return new HealthCheck(path, status, body, interval, timeout, rise, fall, grpc);
    }

    private static String durationText(final ConfigNode node, final Duration value)
    {
        return node != null ? node.text() : "default " + value.toSeconds() + "s";
    }
}
