package io.sluice.l7.tls;

/**
 * The certificates one name is served with: an ECDSA one, another (RSA) one, or a pair of them,
 * as nginx's two {@code ssl_certificate} lines and HAProxy's multi-certificate bundles allow.
 * Of a pair, a client gets the ECDSA certificate when its ClientHello shows it can take it
 * (smaller and faster to sign with), the RSA one otherwise.
 *
 * @param ecdsa null when the name has no ECDSA certificate.
 * @param other the RSA (or the only non-ECDSA) certificate; null when the name has none.
 */
record CertificateChoice(CertificateContext ecdsa, CertificateContext other)
{
    static CertificateChoice of(final CertificateContext certificate)
    {
        return certificate.isEcdsa() ? new CertificateChoice(certificate, null) : new CertificateChoice(null, certificate);
    }

    /** This choice with the other's certificates too (the configuration allows one of each kind per name). */
    CertificateChoice with(final CertificateChoice more)
    {
        return new CertificateChoice(ecdsa != null ? ecdsa : more.ecdsa, other != null ? other : more.other);
    }

    CertificateContext pick(final ClientHello hello)
    {
        if (ecdsa == null)
        {
            return other;
        }
        return other == null || ecdsa.acceptedBy(hello) ? ecdsa : other;
    }
}
