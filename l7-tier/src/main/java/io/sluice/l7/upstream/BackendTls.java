package io.sluice.l7.upstream;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.sluice.l7.config.Pool;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;

/**
 * TLS to an h2 pool's servers: the chain verified against the pool's CA (the JDK's roots without
 * one), the name verified as HTTPS clients do (the pool's {@code tls_server_name}, also sent as
 * SNI, else the server's address against the certificate's IP names), ALPN offering h2 alone (a
 * server that does not pick it fails the connection), and the pool's client certificate if it
 * has one. Built once per configuration, when it is loaded, so a file that cannot be used refuses
 * the configuration rather than each connection.
 */
public final class BackendTls
{
    private final SslContext context;
    private final String serverName;

    private BackendTls(final SslContext context, final String serverName)
    {
        this.context = context;
        this.serverName = serverName;
    }

    /** @throws IllegalArgumentException in one line, naming what could not be used. */
    public static BackendTls of(final Pool.Protocol.Tls tls)
    {
        final SslContextBuilder builder = SslContextBuilder.forClient()
            .endpointIdentificationAlgorithm("HTTPS")
            .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
            .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2));
        try
        {
            if (tls.ca() != null)
            {
                builder.trustManager(tls.ca().toFile());
            }
            if (tls.cert() != null)
            {
                builder.keyManager(tls.cert().toFile(), tls.key().toFile());
            }
            return new BackendTls(builder.build(), tls.serverName());
        }
        catch (final SSLException | IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(tlsFiles(tls) + ": " + rootMessage(ex), ex);
        }
    }

    /** The TLS handler of a new connection to {@code server}. */
    public SslHandler handler(final Channel channel, final InetSocketAddress server)
    {
        final String peer = serverName != null ? serverName : server.getAddress().getHostAddress();
        return context.newHandler(channel.alloc(), peer, server.getPort());
    }

    private static String tlsFiles(final Pool.Protocol.Tls tls)
    {
        final StringBuilder files = new StringBuilder("cannot use the TLS files (");
        files.append(tls.ca() != null ? "ca " + tls.ca() : "the JDK's trusted roots");
        if (tls.cert() != null)
        {
            files.append(", cert ").append(tls.cert()).append(", key ").append(tls.key());
        }
        return files.append(')').toString();
    }

    private static String rootMessage(final Throwable failure)
    {
        Throwable root = failure;
        while (root.getCause() != null)
        {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }
}
