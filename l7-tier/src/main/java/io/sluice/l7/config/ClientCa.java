package io.sluice.l7.config;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * {@code client_ca: FILE}: the CA certificates (PEM) a client certificate must chain to.
 *
 * @param where the {@code client_ca} key's place in the file.
 */
public record ClientCa(Path file, List<X509Certificate> certificates, String where)
{
    public ClientCa
    {
        certificates = List.copyOf(certificates);
    }
}
