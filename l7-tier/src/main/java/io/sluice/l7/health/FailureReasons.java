package io.sluice.l7.health;

import io.netty.channel.ConnectTimeoutException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.nio.channels.ClosedChannelException;

/**
 * A check's failure as one short line for logs and the admin endpoint. The transports word the
 * same error differently (NIO: "Connection refused"; epoll: "finishConnect(..) failed with
 * error(-111): Connection refused: /127.0.0.1:8080"), so the usual ones get one wording each.
 */
final class FailureReasons
{
    private FailureReasons()
    {
    }

    static String timeout(final long timeoutMs)
    {
        return "timeout after " + timeoutMs + " ms";
    }

    static String of(final Throwable cause, final long timeoutMs)
    {
        if (cause instanceof ConnectTimeoutException)
        {
            return timeout(timeoutMs);
        }
        final String message = cause.getMessage() == null ? "" : cause.getMessage();
        if (message.contains("Connection refused"))
        {
            return "connection refused";
        }
        if (cause instanceof NoRouteToHostException || message.contains("No route to host"))
        {
            return "no route to host";
        }
        if (message.contains("Network is unreachable"))
        {
            return "network unreachable";
        }
        if (message.contains("Connection reset"))
        {
            return "connection reset";
        }
        if (cause instanceof ClosedChannelException)
        {
            return "connection closed";
        }
        final String firstLine = message.lines().findFirst().orElse("");
        final String kind = cause instanceof ConnectException ? "cannot connect" : cause.getClass().getSimpleName();
        return firstLine.isEmpty() ? kind : kind + ": " + firstLine;
    }
}
