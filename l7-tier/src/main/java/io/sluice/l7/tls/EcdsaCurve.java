package io.sluice.l7.tls;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Map;

/**
 * The curves an ECDSA certificate's key may be on, and what a client must offer to take such a
 * certificate (RFC 8446 4.2.3, RFC 8422 5.1): in TLS 1.3 the signature scheme of the key's own
 * curve; in TLS 1.2 an ECDHE-ECDSA cipher suite, an ECDSA signature algorithm (when it lists
 * any) and the key's curve among its groups (when it lists any). BoringSSL picks by the same rules.
 */
enum EcdsaCurve
{
    P_256(0x0403, 23, "secp256r1", "1.2.840.10045.3.1.7"),
    P_384(0x0503, 24, "secp384r1", "1.3.132.0.34"),
    P_521(0x0603, 25, "secp521r1", "1.3.132.0.35");

    /** ecdsa_secp256r1_sha256 and its siblings: TLS 1.2 takes any of them with any curve. */
    private static final int[] TLS12_SCHEMES = {0x0403, 0x0503, 0x0603};
    /** The ECDHE-ECDSA suites the engines have, by IANA name. */
    private static final Map<String, Integer> SUITES = Map.of(
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 0xc02b,
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", 0xc02c,
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", 0xcca9,
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", 0xc009,
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", 0xc00a,
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", 0xc023,
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", 0xc024);

    /** Its TLS 1.3 signature scheme. */
    private final int scheme;
    /** Its named group. */
    private final int group;
    private final String name;
    private final String oid;

    EcdsaCurve(final int scheme, final int group, final String name, final String oid)
    {
        this.scheme = scheme;
        this.group = group;
        this.name = name;
        this.oid = oid;
    }

    /** The key's curve, or null for one TLS has no signature scheme for. */
    static EcdsaCurve of(final ECPublicKey key)
    {
        final String named;
        try
        {
            final AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(key.getParams());
            named = parameters.getParameterSpec(ECGenParameterSpec.class).getName();
        }
        catch (final GeneralSecurityException ex)
        {
            return null; // explicit parameters, no named curve
        }
        for (final EcdsaCurve curve : values())
        {
            if (curve.name.equals(named) || curve.oid.equals(named))
            {
                return curve;
            }
        }
        return null;
    }

    /** The code points of those of {@code enabled} (a context's cipher suites, by IANA name) that are ECDHE-ECDSA. */
    static int[] ecdsaSuites(final List<String> enabled)
    {
        return enabled.stream().filter(SUITES::containsKey).mapToInt(SUITES::get).toArray();
    }

    /**
     * Whether the client that sent {@code hello} can take a certificate with a key on this curve.
     *
     * @param ecdsaSuites the ECDHE-ECDSA suites the certificate's context has enabled.
     */
    boolean acceptedBy(final ClientHello hello, final int[] ecdsaSuites)
    {
        if (hello.offersTls13())
        {
            return ClientHello.offers(hello.signatureSchemes(), scheme);
        }
        return ClientHello.offersAny(hello.cipherSuites(), ecdsaSuites)
            && (hello.signatureSchemes() == null || ClientHello.offersAny(hello.signatureSchemes(), TLS12_SCHEMES))
            && (hello.groups() == null || ClientHello.offers(hello.groups(), group));
    }
}
