package io.sluice.l7.health;

import io.netty.channel.ConnectTimeoutException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.nio.channels.ClosedChannelException;

/**
 * A check's failure as one short line for logs and the admin endpoint. The transports word the
 * same error differently (NIO: "Connection refused"; epoll: "finishConnect(..) failed with
 * error(-111): Connection refused: /127.0.0.1:8080"), so the usual ones get one wording each. A
 * TLS failure is told by its deepest cause, which says what was wrong (the name, the chain); the
 * exceptions wrapping it name only the layers it went through.
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
        final SSLException tls = tlsCause(cause);
        if (tls != null)
        {
            return (tls instanceof SSLHandshakeException ? "TLS handshake failed: " : "TLS: ") + firstLine(deepest(tls));
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
        final String firstLine = firstLine(cause);
        final String kind = cause instanceof ConnectException ? "cannot connect" : cause.getClass().getSimpleName();
        return firstLine.isEmpty() ? kind : kind + ": " + firstLine;
    }

    /** The first TLS exception in the chain of causes (a decoder's exception wraps the TLS handler's), or null. */
    private static SSLException tlsCause(final Throwable cause)
    {
        for (Throwable next = cause; next != null; next = next.getCause())
        {
            if (next instanceof SSLException tls)
            {
                return tls;
            }
        }
        return null;
    }

    /** The last cause in the chain that has a message. */
    private static Throwable deepest(final Throwable cause)
    {
        Throwable deepest = cause;
        for (Throwable next = cause.getCause(); next != null; next = next.getCause())
        {
            if (next.getMessage() != null)
            {
                deepest = next;
            }
        }
        return deepest;
    }

    private static String firstLine(final Throwable cause)
    {
        return cause.getMessage() == null ? "" : cause.getMessage().lines().findFirst().orElse("");
    }
}
