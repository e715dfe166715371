package io.sluice.l7.tls;

/**
 * {@code sni: strict} and the client's name (or the lack of one) matches no certificate: the
 * handshake ends before a certificate is sent. Without a stack trace: a client can cause it at
 * will, and it is counted, not logged.
 */
final class SniRefusedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    SniRefusedException(final String hostname)
    {
        super(hostname == null ? "the client sent no server name" : "no certificate for " + hostname, null, false, false);
    }
}
