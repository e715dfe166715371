package io.sluice.l7.filter;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import io.sluice.l7.config.RouteFilter;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * {@code client_cert_headers}: the client certificate the TLS handshake verified, passed to the
 * backend in the headers the route names: its subject (RFC 2253, {@code CN=alice,O=Example}) and
 * its subjectAltNames in OpenSSL's spelling ({@code DNS:a.example, URI:spiffe://x/y, IP:198.18.0.1}).
 * The client's own headers of those names are always removed first, so a client without a
 * certificate (or in cleartext) cannot claim one.
 */
final class ClientCertificateHeaders implements RequestFilter
{
    private final AsciiString subject;
    private final AsciiString sans;

    ClientCertificateHeaders(final RouteFilter.ClientCertificateHeaders headers)
    {
        this.subject = headers.subject() == null ? null : AsciiString.cached(headers.subject());
        this.sans = headers.sans() == null ? null : AsciiString.cached(headers.sans());
    }

    @Override
    public Outcome onRequest(final HttpRequest request, final FilterContext context)
    {
        final HttpHeaders headers = request.headers();
        if (subject != null)
        {
            headers.remove(subject);
        }
        if (sans != null)
        {
            headers.remove(sans);
        }
        final X509Certificate certificate = verifiedCertificate(context.tlsSession());
        if (certificate != null)
        {
            if (subject != null)
            {
                headers.set(subject, printable(certificate.getSubjectX500Principal().getName()));
            }
            if (sans != null)
            {
                headers.set(sans, printable(alternativeNames(certificate)));
            }
        }
        return Outcome.CONTINUE;
    }

    private static X509Certificate verifiedCertificate(final SSLSession session)
    {
        if (session == null)
        {
            return null;
        }
        try
        {
            final Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? leaf : null;
        }
        catch (final SSLPeerUnverifiedException ex)
        {
            return null; // client_auth optional, and this client showed none
        }
    }

    private static String alternativeNames(final X509Certificate certificate)
    {
        final StringBuilder names = new StringBuilder();
        try
        {
            final Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives == null)
            {
                return "";
            }
            for (final List<?> alternative : alternatives)
            {
                final String kind = switch ((Integer)alternative.get(0))
                {
                    case 1 -> "email:";
                    case 2 -> "DNS:";
                    case 6 -> "URI:";
                    case 7 -> "IP:";
                    default -> null; // other names, X.400, directory names, EDI party names: not passed on
                };
                if (kind != null)
                {
                    names.append(names.isEmpty() ? "" : ", ").append(kind).append(alternative.get(1));
                }
            }
        }
        catch (final CertificateParsingException ex)
        {
            return ""; // the handshake verified it; an extension Java cannot read is left out, not guessed
        }
        return names.toString();
    }

    /** A certificate's text as a header value: a control character (which could split the header) becomes '?'. */
    private static String printable(final String text)
    {
        final StringBuilder value = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            value.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        return value.toString();
    }
}
