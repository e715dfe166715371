package io.sluice.l7.config;

import io.sluice.l7.tls.ocsp.OcspStaple;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * One certificate a listener serves, read from its files and checked: a PEM chain (the server's
 * certificate first) and its private key (PKCS#8 PEM, RSA, EC or Ed25519), and the OCSP response
 * to staple to it, if any.
 *
 * @param certFile        the chain's file, as the configuration names it (resolved).
 * @param keyFile         the key's file.
 * @param configuredNames the {@code names:} given, or empty when they come from the certificate.
 * @param names           the names SNI selects it by: exact ({@code a.example}) or one leading
 *                        wildcard label ({@code *.example.com}), lower case.
 * @param chain           the certificate and its intermediates, in file order.
 * @param key             the private key, known to match {@code chain.get(0)}.
 * @param ocsp            {@code ocsp: FILE}'s response, checked for this certificate and current; null when none is given.
 * @param where           its place in the file ({@code l7.yaml:9: listeners[0].tls.certificates[1]}).
 */
public record CertificateFile(Path certFile, Path keyFile, List<String> configuredNames, List<String> names,
    List<X509Certificate> chain, PrivateKey key, OcspStaple ocsp, String where)
{
    public CertificateFile
    {
        configuredNames = List.copyOf(configuredNames);
        names = List.copyOf(names);
        chain = List.copyOf(chain);
    }

    /** The server's own certificate (the chain's first). */
    public X509Certificate leaf()
    {
        return chain.get(0);
    }
}
