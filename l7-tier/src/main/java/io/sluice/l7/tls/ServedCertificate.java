package io.sluice.l7.tls;

import io.sluice.l7.config.CertificateFile;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.List;

/**
 * A certificate a listener serves, as {@code GET /status} lists it.
 *
 * @param names           the names SNI selects it by (an RSA and an ECDSA certificate may share them).
 * @param keyType         {@code RSA 2048}, {@code EC P-256}, {@code Ed25519}.
 * @param ocspNextUpdate  when its stapled OCSP response stops being current (and stapled), or null when it has none.
 */
public record ServedCertificate(String listener, String file, List<String> names, String subject, String issuer, Instant notAfter,
    String keyType, Instant ocspNextUpdate)
{
    public ServedCertificate
    {
        names = List.copyOf(names);
    }

    static ServedCertificate of(final String listener, final CertificateFile certificate)
    {
        return new ServedCertificate(listener, certificate.certFile().toString(), certificate.names(),
            certificate.leaf().getSubjectX500Principal().getName(), certificate.leaf().getIssuerX500Principal().getName(),
            certificate.leaf().getNotAfter().toInstant(), keyType(certificate.leaf().getPublicKey()),
            certificate.ocsp() == null ? null : certificate.ocsp().nextUpdate());
    }

    private static String keyType(final PublicKey key)
    {
        if (key instanceof RSAPublicKey rsa)
        {
            return "RSA " + rsa.getModulus().bitLength();
        }
        if (key instanceof ECPublicKey ec)
        {
            final int bits = ec.getParams().getCurve().getField().getFieldSize();
            return "EC " + (bits == 521 || bits == 384 || bits == 256 ? "P-" + bits : bits + "-bit");
        }
        return key.getAlgorithm();
    }
}
