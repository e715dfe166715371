package io.sluice.l7.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM files as TLS configurations hold them: certificate chains and unencrypted PKCS#8 private
 * keys (what {@code openssl req -newkey} and {@code openssl genpkey} write). Read with the JDK
 * alone: the key must be checked against its certificate before any TLS engine sees it. A
 * problem is an {@link IllegalArgumentException} whose message is the whole reason, naming the file.
 */
final class PemFiles
{
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    /** The algorithms a PKCS#8 key may be for, tried in turn (the encoding names it, but only as an OID). */
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448"};

    private PemFiles()
    {
    }

    /**
     * Every {@code CERTIFICATE} block, in file order; at least one.
     *
     * @param what what the file is, for messages: {@code certificate}, {@code client_ca}.
     */
    static List<X509Certificate> certificates(final Path file, final String what)
    {
        final List<X509Certificate> certificates = new ArrayList<>();
        final Matcher block = BLOCK.matcher(read(file, what));
        try
        {
            final CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (block.find())
            {
                if ("CERTIFICATE".equals(block.group(1)))
                {
                    certificates.add((X509Certificate)factory.generateCertificate(new ByteArrayInputStream(decode(block, file))));
                }
            }
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalArgumentException(what + " " + file + " cannot be parsed: " + ex.getMessage());
        }
        if (certificates.isEmpty())
        {
            throw new IllegalArgumentException(what + " " + file + " holds no PEM CERTIFICATE block");
        }
        return certificates;
    }

    /**
     * The public keys of every {@code PUBLIC KEY} (SubjectPublicKeyInfo, {@code openssl pkey -pubout}) and
     * {@code CERTIFICATE} block, in file order; at least one.
     */
    static List<PublicKey> publicKeys(final Path file, final String what)
    {
        final List<PublicKey> keys = new ArrayList<>();
        final Matcher block = BLOCK.matcher(read(file, what));
        try
        {
            final CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (block.find())
            {
                if ("CERTIFICATE".equals(block.group(1)))
                {
                    keys.add(factory.generateCertificate(new ByteArrayInputStream(decode(block, file))).getPublicKey());
                }
                else if ("PUBLIC KEY".equals(block.group(1)))
                {
                    keys.add(subjectPublicKey(decode(block, file), file, what));
                }
            }
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalArgumentException(what + " " + file + " cannot be parsed: " + ex.getMessage());
        }
        if (keys.isEmpty())
        {
            throw new IllegalArgumentException(what + " " + file + " holds no PEM PUBLIC KEY or CERTIFICATE block");
        }
        return keys;
    }

    private static PublicKey subjectPublicKey(final byte[] der, final Path file, final String what)
    {
        final X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        final PublicKey key = anyAlgorithm(factory -> factory.generatePublic(spec));
        if (key == null)
        {
            throw new IllegalArgumentException(what + " " + file + ": a PUBLIC KEY that is not RSA, EC or EdDSA");
        }
        return key;
    }

    /** The file's one private key. */
    static PrivateKey privateKey(final Path file)
    {
        final Matcher block = BLOCK.matcher(read(file, "key"));
        while (block.find())
        {
            final String type = block.group(1);
            if ("PRIVATE KEY".equals(type))
            {
                return pkcs8(decode(block, file), file);
            }
            if (type.endsWith("PRIVATE KEY"))
            {
                throw new IllegalArgumentException("key " + file + " is a PEM " + type + "; give an unencrypted PKCS#8 key"
                    + " (openssl pkcs8 -topk8 -nocrypt -in " + file + ")");
            }
        }
        throw new IllegalArgumentException("key " + file + " holds no PEM PRIVATE KEY block");
    }

    private static PrivateKey pkcs8(final byte[] der, final Path file)
    {
        final PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        final PrivateKey key = anyAlgorithm(factory -> factory.generatePrivate(spec));
        if (key == null)
        {
            throw new IllegalArgumentException("key " + file + " is not an RSA, EC or EdDSA PKCS#8 key");
        }
        return key;
    }

    /** One use of a {@link KeyFactory}, which refuses an encoding of another algorithm's key. */
    @FunctionalInterface
    private interface KeyMaking<K>
    {
        K make(KeyFactory factory) throws GeneralSecurityException;
    }

    /** The key the first of {@link #KEY_ALGORITHMS} that takes the encoding makes, or null when none does. */
    private static <K> K anyAlgorithm(final KeyMaking<K> making)
    {
        for (final String algorithm : KEY_ALGORITHMS)
        {
            try
            {
                return making.make(KeyFactory.getInstance(algorithm));
            }
            catch (final GeneralSecurityException ex)
            {
                // not this algorithm's: try the next
            }
        }
        return null;
    }

    private static byte[] decode(final Matcher block, final Path file)
    {
        try
        {
            return Base64.getMimeDecoder().decode(block.group(2));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(file + ": a PEM " + block.group(1) + " block is not base64: " + ex.getMessage());
        }
    }

    /** The file's text, or the reason it cannot be read, naming it. */
    private static String read(final Path file, final String what)
    {
        return new String(bytes(file, what), StandardCharsets.US_ASCII);
    }

    /** @param what what the file is, for messages ({@code key /x.key: no such file}). */
    static byte[] bytes(final Path file, final String what)
    {
        try
        {
            return Files.readAllBytes(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new IllegalArgumentException(what + " " + file + ": no such file");
        }
        catch (final AccessDeniedException ex)
        {
            throw new IllegalArgumentException(what + " " + file + ": permission denied");
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(what + " " + file + ": cannot read: "
                + (ex.getMessage() != null ? ex.getMessage() : ex));
        }
    }
}
