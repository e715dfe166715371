package io.sluice.l7.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A listener's {@code tls:}: the certificates it serves, chosen by SNI, and how it negotiates.
 * Its files were read and checked when the configuration was ({@link TlsFiles}): every key
 * matches its certificate, no certificate has expired, the client CA bundle and the ticket keys
 * are readable and well formed.
 *
 * @param certificates   at least one; the first is the default, served to a client that sends no
 *                       name or one no certificate has (unless {@code strictSni}). A name may have
 *                       one RSA and one ECDSA certificate: the client gets the ECDSA one when it can verify it.
 * @param strictSni      {@code sni: strict}: a client whose name no certificate has, or that sends
 *                       none, is refused at the handshake.
 * @param alpn           the protocols offered, in the server's order of preference ({@code h2},
 *                       {@code http/1.1}).
 * @param minVersion     {@code "1.2"} or {@code "1.3"}.
 * @param ciphers        TLS 1.2 cipher suites by their IANA names, or empty for the provider's
 *                       safe default (ECDHE with AES-GCM or ChaCha20-Poly1305).
 * @param groups         key exchange groups ({@code X25519}, {@code P-256}, ...), in order.
 * @param clientAuth     whether clients must show a certificate (mTLS).
 * @param clientCa       the CAs a client certificate must chain to, or null when {@code clientAuth} is NONE.
 * @param ticketKeys     session ticket keys, or null for keys the provider makes itself (not shared).
 * @param hsts           a {@code Strict-Transport-Security} value to add to responses, or null.
 * @param where          the {@code tls} key's place in the file, for problems found later.
 */
public record ListenerTls(List<CertificateFile> certificates, boolean strictSni, List<String> alpn, String minVersion,
    List<String> ciphers, List<String> groups, ClientAuth clientAuth, ClientCa clientCa, TicketKeys ticketKeys, String hsts,
    String where)
{
    /** Whether and how a client certificate is asked for. */
    public enum ClientAuth
    {
        NONE, OPTIONAL, REQUIRED
    }

    public ListenerTls
    {
        certificates = List.copyOf(certificates);
        alpn = List.copyOf(alpn);
        ciphers = List.copyOf(ciphers);
        groups = List.copyOf(groups);
    }

    /** Every file this listener's TLS reads, for a watcher that reloads them when they change. */
    public List<Path> files()
    {
        final List<Path> files = new ArrayList<>();
        for (final CertificateFile certificate : certificates)
        {
            files.add(certificate.certFile());
            files.add(certificate.keyFile());
            if (certificate.ocsp() != null)
            {
                files.add(certificate.ocsp().file());
            }
        }
        if (clientCa != null)
        {
            files.add(clientCa.file());
        }
        if (ticketKeys != null)
        {
            files.add(ticketKeys.file());
        }
        return files;
    }
}
