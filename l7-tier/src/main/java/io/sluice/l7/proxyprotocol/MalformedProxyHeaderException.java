package io.sluice.l7.proxyprotocol;

/**
 * A PROXY protocol header that breaks the specification; its message is the one-line reason.
 * Without a stack trace: it is an answer about the peer's bytes, not a fault in sluice.
 */
final class MalformedProxyHeaderException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    MalformedProxyHeaderException(final String reason)
    {
        super(reason, null, false, false);
    }
}
