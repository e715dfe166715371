package io.sluice.l7.tls.ocsp;

import java.io.IOException;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * An OCSP response to staple to a certificate's handshakes, checked when its file is read: a
 * successful basic response, signed by the certificate's issuer or by a responder the issuer
 * delegated to (RFC 6960 4.2.2.2: issued by it, with the OCSPSigning extended key usage), for
 * this certificate's issuer and serial, saying good, with a thisUpdate that has come and a
 * nextUpdate that has not. Anything else is refused in one line naming the file: a client that
 * asked for the staple would refuse the handshake over it, and a revoked certificate must not be
 * served as if it were good.
 *
 * @param file       where it was read from.
 * @param der        the response as the file holds it, sent as it is.
 * @param nextUpdate when it stops being current: it is stapled until then, not after.
 */
public record OcspStaple(Path file, byte[] der, Instant thisUpdate, Instant nextUpdate)
{
    /** id-kp-OCSPSigning. */
    private static final String OCSP_SIGNING = "1.3.6.1.5.5.7.3.9";
    /** The hashes a CertID may be made with, by OID. */
    private static final Map<String, String> HASHES = Map.of(
        "1.3.14.3.2.26", "SHA-1",
        "2.16.840.1.101.3.4.2.1", "SHA-256",
        "2.16.840.1.101.3.4.2.2", "SHA-384",
        "2.16.840.1.101.3.4.2.3", "SHA-512");
    /** The signature algorithms a response may be signed with, by OID, as the JDK names them. */
    private static final Map<String, String> SIGNATURES = Map.of(
        "1.2.840.113549.1.1.5", "SHA1withRSA",
        "1.2.840.113549.1.1.11", "SHA256withRSA",
        "1.2.840.113549.1.1.12", "SHA384withRSA",
        "1.2.840.113549.1.1.13", "SHA512withRSA",
        "1.2.840.113549.1.1.10", "RSASSA-PSS",
        "1.2.840.10045.4.1", "SHA1withECDSA",
        "1.2.840.10045.4.3.2", "SHA256withECDSA",
        "1.2.840.10045.4.3.3", "SHA384withECDSA",
        "1.2.840.10045.4.3.4", "SHA512withECDSA",
        "1.3.101.112", "Ed25519");

    public OcspStaple
    {
        der = der.clone();
    }

    /** The response's bytes, not copied: the engine copies them into each handshake. */
    @Override
    public byte[] der()
    {
        return der;
    }

    /**
     * @param file      the response's file, for messages.
     * @param der       its contents.
     * @param certFile  the certificate's file, for messages.
     * @param chain     the certificate and the rest of its file's chain, where its issuer must be.
     * @param now       the time it must be current at.
     * @throws IllegalArgumentException one line naming the file: why it cannot be stapled.
     */
    public static OcspStaple check(final Path file, final byte[] der, final Path certFile, final List<X509Certificate> chain,
        final Instant now)
    {
        final X509Certificate leaf = chain.get(0);
        final String certificate = "certificate " + certFile + " (serial 0x" + leaf.getSerialNumber().toString(16) + ")";
        final X509Certificate issuer = issuer(chain);
        if (issuer == null)
        {
            throw new IllegalArgumentException("ocsp " + file + " cannot be checked: " + certificate
                + " is not followed by its issuer's certificate in its file (append the CA's certificate)");
        }
        final BasicOcspResponse response;
        try
        {
            response = BasicOcspResponse.parse(der);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("ocsp " + file + " " + ex.getMessage());
        }
        final BasicOcspResponse.SingleResponse single = responseFor(response, leaf, issuer);
        if (single == null)
        {
            final String other = response.responses().isEmpty() ? "" :
                " (serial 0x" + response.responses().getFirst().serial().toString(16) + ")";
            throw new IllegalArgumentException("ocsp " + file + " is for another certificate" + other + ", not " + certificate);
        }
        if (!signedByIssuer(response, issuer, now))
        {
            throw new IllegalArgumentException("ocsp " + file + " is not signed by " + issuer.getSubjectX500Principal().getName()
                + ", the issuer of " + certificate + ", nor by an OCSP responder it delegated to");
        }
        switch (single.status())
        {
            case REVOKED -> throw new IllegalArgumentException("ocsp " + file + " says " + certificate + " was revoked at "
                + single.revokedAt());
            case UNKNOWN -> throw new IllegalArgumentException("ocsp " + file + " says the responder does not know "
                + certificate);
            case GOOD ->
            {
                // the one status that may be stapled
            }
        }
        if (single.thisUpdate().isAfter(now))
        {
            throw new IllegalArgumentException("ocsp " + file + " is not current until " + single.thisUpdate() + " (thisUpdate)");
        }
        if (single.nextUpdate() == null)
        {
            throw new IllegalArgumentException("ocsp " + file
                + " has no nextUpdate, so nothing says when it stops being current");
        }
        if (!single.nextUpdate().isAfter(now))
        {
            throw new IllegalArgumentException("ocsp " + file + " expired at " + single.nextUpdate() + " (nextUpdate)");
        }
        return new OcspStaple(file, der, single.thisUpdate(), single.nextUpdate());
    }

    /** The certificate after the leaf in its chain that issued it: its subject is the leaf's issuer, its key verifies it. */
    private static X509Certificate issuer(final List<X509Certificate> chain)
    {
        final X509Certificate leaf = chain.get(0);
        for (final X509Certificate candidate : chain.subList(1, chain.size()))
        {
            if (candidate.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())
                && verifies(leaf, candidate.getPublicKey()))
            {
                return candidate;
            }
        }
        return null;
    }

    /** The response's entry whose CertID is the leaf's: its serial, its issuer's name and key hashed as the CertID says. */
    private static BasicOcspResponse.SingleResponse responseFor(final BasicOcspResponse response, final X509Certificate leaf,
        final X509Certificate issuer)
    {
        for (final BasicOcspResponse.SingleResponse single : response.responses())
        {
            final String hash = HASHES.get(single.hashAlgorithm());
            if (hash != null && single.serial().equals(leaf.getSerialNumber())
                && Arrays.equals(single.issuerNameHash(), digest(hash, issuer.getSubjectX500Principal().getEncoded()))
                && Arrays.equals(single.issuerKeyHash(), digest(hash, keyBits(issuer.getPublicKey()))))
            {
                return single;
            }
        }
        return null;
    }

    /**
     * Whether the issuer signed it, or a responder the issuer delegated to that the response
     * carries: issued by the issuer, for OCSP signing, valid now. Either must be the one the
     * response names as its responder.
     */
    private static boolean signedByIssuer(final BasicOcspResponse response, final X509Certificate issuer, final Instant now)
    {
        if (signedBy(response, issuer))
        {
            return true;
        }
        for (final X509Certificate responder : response.certificates())
        {
            if (verifies(responder, issuer.getPublicKey()) && forOcspSigning(responder) && validAt(responder, now)
                && signedBy(response, responder))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean signedBy(final BasicOcspResponse response, final X509Certificate signer)
    {
        final boolean named = response.responderName() != null ? response.responderName().equals(signer.getSubjectX500Principal())
            : Arrays.equals(response.responderKeyHash(), digest("SHA-1", keyBits(signer.getPublicKey())));
        final String algorithm = SIGNATURES.get(response.signatureAlgorithm());
        if (!named || algorithm == null)
        {
            return false;
        }
        try
        {
            final Signature signature = Signature.getInstance(algorithm);
            if (response.signatureParams() != null)
            {
                final AlgorithmParameters parameters = AlgorithmParameters.getInstance(algorithm);
                parameters.init(response.signatureParams());
                signature.setParameter(parameters.getParameterSpec(PSSParameterSpec.class));
            }
            signature.initVerify(signer.getPublicKey());
            signature.update(response.signed());
            return signature.verify(response.signature());
        }
        catch (final GeneralSecurityException | IOException ex)
        {
            return false; // a key of another kind, parameters that do not fit: not signed by this one
        }
    }

    private static boolean verifies(final X509Certificate certificate, final PublicKey key)
    {
        try
        {
            certificate.verify(key);
            return true;
        }
        catch (final GeneralSecurityException ex)
        {
            return false;
        }
    }

    private static boolean forOcspSigning(final X509Certificate responder)
    {
        try
        {
            final List<String> usages = responder.getExtendedKeyUsage();
            return usages != null && usages.contains(OCSP_SIGNING);
        }
        catch (final CertificateParsingException ex)
        {
            return false;
        }
    }

    private static boolean validAt(final X509Certificate certificate, final Instant now)
    {
        try
        {
            certificate.checkValidity(Date.from(now));
            return true;
        }
        catch (final GeneralSecurityException ex)
        {
            return false;
        }
    }

    /** The subjectPublicKey BIT STRING's bits (RFC 6960's key hash covers those, not the whole SubjectPublicKeyInfo). */
    private static byte[] keyBits(final PublicKey key)
    {
        final Der info = Der.of(key.getEncoded()).read(Der.SEQUENCE, "SubjectPublicKeyInfo").contents();
        info.read(Der.SEQUENCE, "algorithm");
        return info.read(Der.BIT_STRING, "subjectPublicKey").bits();
    }

    private static byte[] digest(final String algorithm, final byte[] bytes)
    {
        try
        {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("the JDK has no " + algorithm, ex); // the JDK has every one of HASHES
        }
    }
}
