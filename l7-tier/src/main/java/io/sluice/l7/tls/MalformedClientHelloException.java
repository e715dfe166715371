package io.sluice.l7.tls;

/**
 * The client's first message is not a well-formed ClientHello: the handshake is refused before
 * any TLS engine sees it. Without a stack trace: a client can cause it at will, and it is
 * counted, not logged.
 */
final class MalformedClientHelloException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    MalformedClientHelloException(final String reason)
    {
        super(reason, null, false, false);
    }
}
