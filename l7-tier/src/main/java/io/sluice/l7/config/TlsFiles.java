package io.sluice.l7.config;

import io.sluice.l7.tls.ocsp.OcspStaple;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The files a listener's {@code tls:} names, read and checked: at load and reload, and again
 * when a watcher sees them change. A key that does not match its certificate, a certificate
 * that has expired or is not valid yet, a file that is missing or unreadable, an OCSP response that
 * is not a current, good one for its certificate: each is refused in
 * one line naming the place in the configuration and the file
 * ({@code l7.yaml:9: listeners[0].tls.certificates[1]: key /x.key does not match certificate /x.pem}),
 * never served.
 */
public final class TlsFiles
{
    /** A host name (letters, digits, hyphens in dot-separated labels), or one with a leading {@code *.} label. */
    private static final Pattern HOST_NAME = Pattern.compile(
        "(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    /** subjectAltName's dNSName (RFC 5280 4.2.1.6). */
    private static final int DNS_NAME = 2;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The key algorithms of a pair of certificates for one name. */
    private static final List<String> PAIRED = List.of("RSA", "EC");

    private TlsFiles()
    {
    }

    /**
     * The same settings with every file read again (the certificates, their keys, the client CA,
     * the ticket keys), as they are now.
     *
     * @throws ConfigException the first problem, one line naming where the file is configured.
     */
    public static ListenerTls reread(final ListenerTls tls)
    {
        final List<CertificateFile> certificates = new ArrayList<>();
        for (final CertificateFile certificate : tls.certificates())
        {
            certificates.add(certificate(certificate.certFile(), certificate.keyFile(), certificate.configuredNames(),
                certificate.ocsp() == null ? null : certificate.ocsp().file(), certificate.where()));
        }
        final ClientCa clientCa = tls.clientCa() == null ? null : clientCa(tls.clientCa().file(), tls.clientCa().where());
        final TicketKeys ticketKeys = tls.ticketKeys() == null ? null :
            ticketKeys(tls.ticketKeys().file(), tls.ticketKeys().where());
        checkNamesUnique(certificates);
        return new ListenerTls(certificates, tls.strictSni(), tls.alpn(), tls.minVersion(), tls.ciphers(), tls.groups(),
            tls.clientAuth(), clientCa, ticketKeys, tls.hsts(), tls.where());
    }

    /**
     * A certificate chain and its key, checked, with the OCSP response to staple to it.
     *
     * @param configuredNames the names to serve it for; empty for the certificate's own (its subjectAltName's DNS names).
     * @param ocspFile        a DER OCSP response for it, or null.
     */
    static CertificateFile certificate(final Path certFile, final Path keyFile, final List<String> configuredNames,
        final Path ocspFile, final String where)
    {
        try
        {
            final List<X509Certificate> chain = PemFiles.certificates(certFile, "certificate");
            final PrivateKey key = PemFiles.privateKey(keyFile);
            final X509Certificate leaf = chain.get(0);
            checkValidNow(leaf, certFile);
            if (!matches(key, leaf.getPublicKey()))
            {
                throw new IllegalArgumentException("key " + keyFile + " does not match certificate " + certFile);
            }
            final List<String> names = configuredNames.isEmpty() ? dnsNames(leaf, certFile) : configuredNames;
            final OcspStaple ocsp = ocspFile == null ? null :
                OcspStaple.check(ocspFile, PemFiles.bytes(ocspFile, "ocsp"), certFile, chain, Instant.now());
            return new CertificateFile(certFile, keyFile, configuredNames, names, chain, key, ocsp, where);
        }
        catch (final IllegalArgumentException ex)
        {
            throw refusal(where, ex.getMessage());
        }
    }

    static ClientCa clientCa(final Path file, final String where)
    {
        try
        {
            final List<X509Certificate> certificates = PemFiles.certificates(file, "client_ca");
            for (final X509Certificate certificate : certificates)
            {
                checkValidNow(certificate, file);
            }
            return new ClientCa(file, certificates, where);
        }
        catch (final IllegalArgumentException ex)
        {
            throw refusal(where, ex.getMessage());
        }
    }

    static TicketKeys ticketKeys(final Path file, final String where)
    {
        final byte[] bytes;
        try
        {
            bytes = PemFiles.bytes(file, "ticket_keys");
        }
        catch (final IllegalArgumentException ex)
        {
            throw refusal(where, ex.getMessage());
        }
        if (bytes.length % TicketKeys.KEY_BYTES != 0 && bytes.length % TicketKeys.AES256_KEY_BYTES == 0)
        {
            throw refusal(where, "ticket_keys " + file + " is " + bytes.length + " bytes, nginx's 80-byte (AES-256) key form,"
                + " which the native TLS engine cannot use: netty-tcnative's ticket callback takes a 16-byte HMAC key and an"
                + " AES-128 key; give " + TicketKeys.KEY_BYTES + "-byte keys (openssl rand " + TicketKeys.KEY_BYTES + ")");
        }
        if (bytes.length == 0 || bytes.length % TicketKeys.KEY_BYTES != 0)
        {
            throw refusal(where, "ticket_keys " + file + " is " + bytes.length + " bytes; it must hold one or more "
                + TicketKeys.KEY_BYTES + "-byte keys (openssl rand " + TicketKeys.KEY_BYTES + ")");
        }
        final List<byte[]> keys = new ArrayList<>();
        for (int at = 0; at < bytes.length; at += TicketKeys.KEY_BYTES)
        {
            keys.add(Arrays.copyOfRange(bytes, at, at + TicketKeys.KEY_BYTES));
        }
        Arrays.fill(bytes, (byte)0);
        return new TicketKeys(file, keys, where);
    }

    /** A name as {@code names:} gives it, lower case: {@code a.example} or {@code *.example.com}. */
    static String hostName(final String text)
    {
        final String name = text.toLowerCase(Locale.ROOT);
        if (name.length() > 253 || !HOST_NAME.matcher(name).matches())
        {
            throw new IllegalArgumentException("'" + text + "' is not a host name or a *.domain wildcard");
        }
        return name;
    }

    /**
     * Two certificates for one name would leave SNI to pick by their order: refused, unless one is
     * RSA and the other ECDSA (the client then gets the one it can verify).
     */
    static void checkNamesUnique(final List<CertificateFile> certificates)
    {
        for (int i = 0; i < certificates.size(); i++)
        {
            final String algorithm = certificates.get(i).leaf().getPublicKey().getAlgorithm();
            for (int j = 0; j < i; j++)
            {
                final String earlier = certificates.get(j).leaf().getPublicKey().getAlgorithm();
                final boolean pair = !algorithm.equals(earlier) && PAIRED.contains(algorithm) && PAIRED.contains(earlier);
                for (final String name : certificates.get(i).names())
                {
                    if (certificates.get(j).names().contains(name) && !pair)
                    {
                        throw refusal(certificates.get(i).where(), "name '" + name + "' is already served by "
                            + certificates.get(j).certFile() + " (a name may have one RSA and one ECDSA certificate)");
                    }
                }
            }
        }
    }

    private static ConfigException refusal(final String where, final String reason)
    {
        return new ConfigException(where + ": " + reason);
    }

    private static void checkValidNow(final X509Certificate certificate, final Path file)
    {
        try
        {
            certificate.checkValidity(new Date());
        }
        catch (final CertificateExpiredException ex)
        {
            throw new IllegalArgumentException("certificate " + file + " (" + certificate.getSubjectX500Principal().getName()
                + ") expired on " + certificate.getNotAfter().toInstant());
        }
        catch (final CertificateNotYetValidException ex)
        {
            throw new IllegalArgumentException("certificate " + file + " (" + certificate.getSubjectX500Principal().getName()
                + ") is not valid until " + certificate.getNotBefore().toInstant());
        }
    }

    /** Whether the key is the certificate's: what it signs, the certificate's public key verifies. */
    private static boolean matches(final PrivateKey key, final PublicKey publicKey)
    {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm()))
        {
            return false;
        }
        final String algorithm = switch (key.getAlgorithm())
        {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448: the algorithm is its own signature's name
        };
        final byte[] challenge = new byte[32];
        RANDOM.nextBytes(challenge);
        try
        {
            final Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            final byte[] signature = signer.sign();
            final Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        }
        catch (final GeneralSecurityException ex)
        {
            return false; // a key the certificate's algorithm cannot use is not its key
        }
    }

    private static List<String> dnsNames(final X509Certificate leaf, final Path file)
    {
        final List<String> names = new ArrayList<>();
        try
        {
            final Collection<List<?>> alternatives = leaf.getSubjectAlternativeNames();
            if (alternatives != null)
            {
                for (final List<?> alternative : alternatives)
                {
                    if (((Integer)alternative.get(0)) == DNS_NAME)
                    {
                        final String name = hostName((String)alternative.get(1));
                        if (!names.contains(name))
                        {
                            names.add(name);
                        }
                    }
                }
            }
        }
        catch (final CertificateParsingException ex)
        {
            throw new IllegalArgumentException("certificate " + file + " has a subjectAltName that cannot be parsed: "
                + ex.getMessage());
        }
        if (names.isEmpty())
        {
            throw new IllegalArgumentException("certificate " + file
                + " names no DNS name in its subjectAltName; give names: [...]");
        }
        return names;
    }
}
