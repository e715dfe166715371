package io.sluice.l7.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.sluice.l7.config.CertificateFile;
import io.sluice.l7.config.ConfigException;
import io.sluice.l7.config.ListenerTls;
import io.sluice.l7.config.TicketKeys;
import io.sluice.l7.tls.ocsp.OcspStaple;

import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * One certificate ready to serve: its TLS context (the listener's settings with this certificate
 * and key), what a client must offer to take it when its key is ECDSA, and the OCSP response
 * stapled to its handshakes while that is current. Immutable; a reload builds new ones.
 */
final class CertificateContext
{
    /** TLS 1.3's suites: kept whatever {@code ciphers} lists (which are TLS 1.2's), or the JDK would turn TLS 1.3 off. */
    private static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
        "TLS_CHACHA20_POLY1305_SHA256");
    /** The configuration's group names as the JDK spells them. */
    private static final Map<String, String> JDK_GROUPS = Map.of("X25519", "x25519", "P-256", "secp256r1", "P-384", "secp384r1",
        "P-521", "secp521r1");

    /**
     * The in-memory key store Netty puts the key in, only to read it back at once. The JDK's default,
     * PKCS#12, encrypts the key with PBKDF2 (10000 rounds of HMAC-SHA256) and decrypts it again; in a
     * cold JVM that runs interpreted and was most of a context's build (and of each reload). JKS's key
     * protection is a few SHA-1 digests; the store is never written anywhere, so its strength does not matter.
     */
    private static final String KEY_STORE_TYPE = "JKS";

    private final SslContext context;
    /** The key's curve when it is ECDSA, else null. */
    private final EcdsaCurve curve;
    /** The ECDHE-ECDSA suites the context has enabled, for TLS 1.2 clients. */
    private final int[] ecdsaSuites;
    /** Null when the certificate has none or the engine cannot staple. */
    private final OcspStaple staple;
    private final long stapleUntilMillis;
    /** For the JDK's engines, which take groups per engine; null with the native one (set on its contexts). */
    private final String[] jdkGroups;

    private CertificateContext(final SslContext context, final EcdsaCurve curve, final OcspStaple staple,
        final String[] jdkGroups)
    {
        this.context = context;
        this.curve = curve;
        this.ecdsaSuites = curve == null ? new int[0] : EcdsaCurve.ecdsaSuites(context.cipherSuites());
        this.staple = staple;
        this.stapleUntilMillis = staple == null ? 0 : staple.nextUpdate().toEpochMilli();
        this.jdkGroups = jdkGroups;
    }

    /**
     * @throws ConfigException one line naming the certificate's place in the file, when the TLS
     *                         engine refuses a setting (a cipher suite it does not have) or an ECDSA key's curve.
     */
    static CertificateContext build(final CertificateFile certificate, final ListenerTls tls)
    {
        final boolean stapled = certificate.ocsp() != null && TlsProvider.staples();
        EcdsaCurve curve = null;
        if (certificate.leaf().getPublicKey() instanceof ECPublicKey ec)
        {
            curve = EcdsaCurve.of(ec);
            if (curve == null)
            {
                throw new ConfigException(certificate.where() + ": certificate " + certificate.certFile()
                    + " has a key on a curve TLS does not sign with (P-256, P-384 or P-521)");
            }
        }
        final String[] jdkGroups = TlsProvider.isNative() ? null :
            tls.groups().stream().map(JDK_GROUPS::get).toArray(String[]::new);
        return new CertificateContext(context(certificate, tls, stapled), curve, stapled ? certificate.ocsp() : null, jdkGroups);
    }

    /** Whether its key is ECDSA, on a curve TLS signs with. */
    boolean isEcdsa()
    {
        return curve != null;
    }

    /** Whether the client that sent {@code hello} can take it; asked of ECDSA certificates only. */
    boolean acceptedBy(final ClientHello hello)
    {
        return curve.acceptedBy(hello, ecdsaSuites);
    }

    /** A TLS handler for a new connection: the engine, its handshake timeout, its staple while that is current. */
    SslHandler newHandler(final ByteBufAllocator allocator)
    {
        final SslHandler handler = context.newHandler(allocator);
        handler.setHandshakeTimeoutMillis(ServerTls.HANDSHAKE_TIMEOUT_MILLIS);
        final SSLEngine engine = handler.engine();
        if (staple != null && System.currentTimeMillis() < stapleUntilMillis)
        {
            ((ReferenceCountedOpenSslEngine)engine).setOcspResponse(staple.der()); // sent only to a client that asks
        }
        if (jdkGroups != null)
        {
            final SSLParameters parameters = engine.getSSLParameters();
            parameters.setNamedGroups(jdkGroups);
            engine.setSSLParameters(parameters);
        }
        return handler;
    }

    private static SslContext context(final CertificateFile certificate, final ListenerTls tls, final boolean stapled)
    {
        try
        {
            final SslContextBuilder builder = SslContextBuilder
                .forServer(certificate.key(), certificate.chain().toArray(new X509Certificate[0]))
                .sslProvider(TlsProvider.provider())
                .keyStoreType(KEY_STORE_TYPE)
                .protocols("1.3".equals(tls.minVersion()) ? new String[] {"TLSv1.3"} : new String[] {"TLSv1.3", "TLSv1.2"})
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    // a client that offers none of ours gets no ALPN answer and speaks HTTP/1.1
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, tls.alpn()))
                .clientAuth(switch (tls.clientAuth())
                {
                    case NONE -> ClientAuth.NONE;
                    case OPTIONAL -> ClientAuth.OPTIONAL;
                    case REQUIRED -> ClientAuth.REQUIRE;
                })
                .enableOcsp(stapled);
            if (!tls.ciphers().isEmpty())
            {
                final List<String> ciphers = new ArrayList<>(tls.ciphers());
                TLS13_SUITES.stream().filter((suite) -> !ciphers.contains(suite)).forEach(ciphers::add);
                builder.ciphers(ciphers, IdentityCipherSuiteFilter.INSTANCE);
            }
            // Without client certificates, no CA: Netty's default would read the JDK's cacerts and hand every CA to the engine.
            builder.trustManager(tls.clientCa() == null ? new X509Certificate[0]
                : tls.clientCa().certificates().toArray(new X509Certificate[0]));
            if (TlsProvider.isNative())
            {
                builder.option(OpenSslContextOption.GROUPS, tls.groups().toArray(new String[0]));
            }
            final SslContext context = builder.build();
            if (tls.ticketKeys() != null)
            {
                ((OpenSslSessionContext)context.sessionContext()).setTicketKeys(ticketKeys(tls.ticketKeys()));
            }
            // An engine now, so what the engine refuses (the JDK checks cipher names here) refuses the file, not a client.
            ReferenceCountUtil.release(context.newEngine(ByteBufAllocator.DEFAULT));
            return context;
        }
        catch (final SSLException | IllegalArgumentException ex)
        {
            throw new ConfigException(certificate.where() + ": the TLS engine refuses it: " + ex.getMessage());
        }
    }

    private static OpenSslSessionTicketKey[] ticketKeys(final TicketKeys keys)
    {
        final OpenSslSessionTicketKey[] converted = new OpenSslSessionTicketKey[keys.keys().size()];
        for (int i = 0; i < converted.length; i++)
        {
            final byte[] key = keys.keys().get(i);
            converted[i] = new OpenSslSessionTicketKey(part(key, TicketKeys.NAME_AT), part(key, TicketKeys.HMAC_AT),
                part(key, TicketKeys.AES_AT));
        }
        return converted;
    }

    private static byte[] part(final byte[] key, final int at)
    {
        return Arrays.copyOfRange(key, at, at + TicketKeys.PART_BYTES);
    }
}
