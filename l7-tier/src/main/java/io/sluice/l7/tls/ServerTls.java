package io.sluice.l7.tls;

import io.netty.channel.ChannelPipeline;
import io.sluice.l7.config.CertificateFile;
import io.sluice.l7.config.ConfigException;
import io.sluice.l7.config.ListenerTls;
import io.sluice.l7.metrics.TlsMetrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One listener's TLS, ready to serve: a context per certificate, the names they are chosen by
 * (with an ECDSA and an RSA certificate for one name, by what the client can verify), and what
 * each new connection's pipeline gets ({@link #addTo}). Immutable: a reload or a changed
 * certificate file builds a new one, which only connections accepted afterwards use; the open
 * ones keep the engine (and the context) they were given.
 */
public final class ServerTls
{
    /** From the first byte to the handshake's end, as HAProxy's default {@code timeout client} bounds it; Netty's default too. */
    static final long HANDSHAKE_TIMEOUT_MILLIS = TimeUnit.SECONDS.toMillis(10);

    private final SniMapping mapping;
    private final TlsMetrics metrics;
    private final List<ServedCertificate> served;
    private final String hsts;

    private ServerTls(final SniMapping mapping, final TlsMetrics metrics, final List<ServedCertificate> served, final String hsts)
    {
        this.mapping = mapping;
        this.metrics = metrics;
        this.served = List.copyOf(served);
        this.hsts = hsts;
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
        final Map<String, CertificateChoice> byName = new LinkedHashMap<>();
        final List<ServedCertificate> served = new ArrayList<>();
        for (final CertificateFile certificate : tls.certificates())
        {
            final CertificateChoice choice = CertificateChoice.of(CertificateContext.build(certificate, tls));
            for (final String name : certificate.names())
            {
                byName.merge(name, choice, CertificateChoice::with);
            }
            served.add(ServedCertificate.of(listener, certificate));
        }
        // the default: the first certificate, paired with the other kind's certificate for its first name when there is one
        final CertificateChoice fallback = tls.strictSni() ? null : byName.get(tls.certificates().getFirst().names().getFirst());
        return new ServerTls(new SniMapping(byName, fallback), metrics, served, tls.hsts());
    }

    /**
     * Puts TLS first in a new connection's pipeline: the certificate's selector (which becomes
     * the TLS handler once the ClientHello has come) and the handshake's observer.
     */
    public void addTo(final ChannelPipeline pipeline)
    {
        pipeline.addLast("tls", new CertificateSelector(mapping));
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
}
