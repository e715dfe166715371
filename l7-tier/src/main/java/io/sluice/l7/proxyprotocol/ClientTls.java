package io.sluice.l7.proxyprotocol;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a PROXY v2 header tells a backend of the client's TLS: the protocol ALPN chose, the name
 * the client asked for (SNI), the TLS version and cipher, and the common name of the
 * certificate the client presented. Read from the client connection's {@link SslHandler}, which
 * ever part of the proxy put it there (the TLS listener's certificate selector replaces itself with one).
 *
 * @param alpn               null when none was chosen.
 * @param serverName         null when the client sent no SNI.
 * @param certificateCn      null when the client presented no certificate (or one without a CN).
 * @param clientCertificate  whether the client presented a certificate on this connection.
 */
record ClientTls(String alpn, String serverName, String version, String cipher, String certificateCn, boolean clientCertificate)
{
    /** The connection's TLS after its handshake, or null: it is not TLS, or its handshake has not succeeded. */
    static ClientTls of(final Channel connection)
    {
        final SslHandler ssl = connection.pipeline().get(SslHandler.class);
        if (ssl == null || !ssl.handshakeFuture().isSuccess())
        {
            return null;
        }
        final SSLSession session = ssl.engine().getSession();
        final Certificate[] peer = peerCertificates(session);
        final String cn = peer.length > 0 && peer[0] instanceof X509Certificate certificate ? commonName(certificate) : null;
        return new ClientTls(ssl.applicationProtocol(), serverName(session), session.getProtocol(), session.getCipherSuite(), cn,
            peer.length > 0);
    }

    private static Certificate[] peerCertificates(final SSLSession session)
    {
        try
        {
            return session.getPeerCertificates();
        }
        catch (final SSLPeerUnverifiedException ex)
        {
            return new Certificate[0]; // the client presented none
        }
    }

    private static String serverName(final SSLSession session)
    {
        if (session instanceof ExtendedSSLSession extended)
        {
            for (final SNIServerName name : extended.getRequestedServerNames())
            {
                if (name instanceof SNIHostName host)
                {
                    return host.getAsciiName();
                }
            }
        }
        return null;
    }

    /** The subject's most specific CN (the first in the RFC 2253 form, which lists the name from its end). */
    static String commonName(final X509Certificate certificate)
    {
        try
        {
            final List<Rdn> rdns = new LdapName(certificate.getSubjectX500Principal().getName()).getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--)
            {
                if (rdns.get(i).getType().equalsIgnoreCase("CN"))
                {
                    return rdns.get(i).getValue() instanceof String text ? text : null; // not a DER-encoded value
                }
            }
            return null;
        }
        catch (final InvalidNameException ex)
        {
            return null; // the JDK's own RFC 2253 form always parses; a CN is then simply not sent
        }
    }
}
