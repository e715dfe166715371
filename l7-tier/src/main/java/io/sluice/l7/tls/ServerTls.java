package io.sluice.l7.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.sluice.l7.config.CertificateFile;
import io.sluice.l7.config.ConfigException;
import io.sluice.l7.config.ListenerTls;
import io.sluice.l7.config.TicketKeys;
import io.sluice.l7.metrics.TlsMetrics;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * One listener's TLS, ready to serve: a context per certificate, the SNI mapping between them,
 * and what each new connection's pipeline gets ({@link #addTo}). Immutable: a reload or a changed
 * certificate file builds a new one, which only connections accepted afterwards use; the open
 * ones keep the engine (and the context) they were given.
 */
public final class ServerTls
{
    /** From the first byte to the handshake's end, as HAProxy's default {@code timeout client} bounds it; Netty's default too. */
    static final long HANDSHAKE_TIMEOUT_MILLIS = TimeUnit.SECONDS.toMillis(10);
    /** TLS 1.3's suites: kept whatever {@code ciphers} lists (which are TLS 1.2's), or the JDK would turn TLS 1.3 off. */
    private static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
        "TLS_CHACHA20_POLY1305_SHA256");
    /** The configuration's group names as the JDK spells them. */
    private static final Map<String, String> JDK_GROUPS = Map.of("X25519", "x25519", "P-256", "secp256r1", "P-384", "secp384r1",
        "P-521", "secp521r1");

    private final SniMapping mapping;
    private final TlsMetrics metrics;
    private final List<ServedCertificate> served;
    private final String hsts;
    /** For the JDK's engines, which take groups per engine; null with the native one (set on its contexts). */
    private final String[] jdkGroups;

    private ServerTls(final SniMapping mapping, final TlsMetrics metrics, final List<ServedCertificate> served, final String hsts,
        final String[] jdkGroups)
    {
        this.mapping = mapping;
        this.metrics = metrics;
        this.served = List.copyOf(served);
        this.hsts = hsts;
        this.jdkGroups = jdkGroups;
    }

    /**
     * @throws ConfigException one line naming where in the file, when the TLS engine refuses a
     *                         setting (a cipher suite it does not have, ticket keys without the native engine).
     */
    public static ServerTls build(final String listener, final ListenerTls tls, final TlsMetrics metrics)
    {
        if (tls.ticketKeys() != null && !TlsProvider.isNative())
        {
            throw new ConfigException(tls.ticketKeys().where() + ": ticket_keys needs the native TLS engine; "
                + TlsProvider.describe());
        }
        final Map<SslContext, List<String>> names = new LinkedHashMap<>();
        final List<ServedCertificate> served = new ArrayList<>();
        SslContext first = null;
        for (final CertificateFile certificate : tls.certificates())
        {
            final SslContext context = context(certificate, tls);
            names.put(context, certificate.names());
            served.add(ServedCertificate.of(listener, certificate));
            if (first == null)
            {
                first = context; // the default certificate
            }
        }
        final String[] jdkGroups = TlsProvider.isNative() ? null :
            tls.groups().stream().map(JDK_GROUPS::get).toArray(String[]::new);
        return new ServerTls(new SniMapping(names, tls.strictSni() ? null : first), metrics, served, tls.hsts(), jdkGroups);
    }

    /**
     * Puts TLS first in a new connection's pipeline: the SNI handler (which becomes the TLS
     * handler) and the handshake's observer.
     */
    public void addTo(final ChannelPipeline pipeline)
    {
        pipeline.addLast("tls", new SniHandler(mapping, HANDSHAKE_TIMEOUT_MILLIS)
        {
            @Override
            protected SslHandler newSslHandler(final SslContext context, final ByteBufAllocator allocator)
            {
                final SslHandler handler = super.newSslHandler(context, allocator);
                if (jdkGroups != null)
                {
                    final SSLEngine engine = handler.engine();
                    final SSLParameters parameters = engine.getSSLParameters();
                    parameters.setNamedGroups(jdkGroups);
                    engine.setSSLParameters(parameters);
                }
                return handler;
            }
        });
        pipeline.addLast("tls-handshake", new HandshakeObserver(metrics));
    }

    /** The Strict-Transport-Security value to add to responses, or null. */
    public String hsts()
    {
        return hsts;
    }

    /** The certificates served, in the configuration's order (the first is the default). */
    public List<ServedCertificate> served()
    {
        return served;
    }

    private static SslContext context(final CertificateFile certificate, final ListenerTls tls)
    {
        try
        {
            final SslContextBuilder builder = SslContextBuilder
                .forServer(certificate.key(), certificate.chain().toArray(new X509Certificate[0]))
                .sslProvider(TlsProvider.provider())
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
                });
            if (!tls.ciphers().isEmpty())
            {
                final List<String> ciphers = new ArrayList<>(tls.ciphers());
                TLS13_SUITES.stream().filter((suite) -> !ciphers.contains(suite)).forEach(ciphers::add);
                builder.ciphers(ciphers, IdentityCipherSuiteFilter.INSTANCE);
            }
            if (tls.clientCa() != null)
            {
                builder.trustManager(tls.clientCa().certificates().toArray(new X509Certificate[0]));
            }
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
