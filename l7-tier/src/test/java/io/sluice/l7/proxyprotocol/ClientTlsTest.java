package io.sluice.l7.proxyprotocol;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.sluice.l7.config.Pool;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.proxy.LoopbackListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TLS a PROXY v2 header tells a backend of, read from a real TLS connection's
 * {@code SslHandler} (the JDK's engine, a certificate made by openssl): ALPN, SNI, version,
 * cipher and the client certificate's CN, then carried as TLVs.
 */
@ExtendWith(LeakTracking.class)
class ClientTlsTest
{
    private static final ApplicationProtocolConfig ALPN = new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2,
        ApplicationProtocolNames.HTTP_1_1);

    @Test
    void readsTheHandshakeOfAClientWithACertificate(@TempDir final Path dir) throws Exception
    {
        final File cert = dir.resolve("cert.pem").toFile();
        final File key = dir.resolve("key.pem").toFile();
        final Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", key.getPath(), "-out", cert.getPath(), "-days", "1", "-subj", "/O=sluice tests/CN=client-1",
            "-addext", "subjectAltName=DNS:api.example").redirectErrorStream(true).start();
        assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        final SslContext server = SslContextBuilder.forServer(cert, key).sslProvider(SslProvider.JDK).trustManager(cert)
            .clientAuth(ClientAuth.REQUIRE).applicationProtocolConfig(ALPN).build();
        final SslContext client = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).keyManager(cert, key).trustManager(cert)
            .applicationProtocolConfig(ALPN).build();

        final CompletableFuture<ClientTls> seen = new CompletableFuture<>();
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (LoopbackListener listener = new LoopbackListener((channel) -> channel.pipeline().addLast(server.newHandler(channel.alloc()),
            new ChannelInboundHandlerAdapter()
            {
                @Override
                public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
                {
                    if (event instanceof SslHandshakeCompletionEvent done)
                    {
                        seen.complete(done.isSuccess() ? ClientTls.of(ctx.channel()) : null);
                    }
                }
            })))
        {
            final Channel connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<>()
                {
                    @Override
                    protected void initChannel(final Channel channel)
                    {
                        channel.pipeline().addLast(client.newHandler(channel.alloc(), "api.example", listener.address().getPort()));
                    }
                })
                .connect(listener.address()).syncUninterruptibly().channel();
            final ClientTls tls = seen.get(10, TimeUnit.SECONDS);
            connection.close().syncUninterruptibly();

            assertThat(tls.alpn()).isEqualTo("h2");
            assertThat(tls.serverName()).isEqualTo("api.example");
            assertThat(tls.version()).startsWith("TLSv1.");
            assertThat(tls.cipher()).startsWith("TLS_");
            assertThat(tls.certificateCn()).isEqualTo("client-1");
            assertThat(tls.clientCertificate()).isTrue();

            final ByteBuf header = ProxyHeaderEncoder.encode(Pool.SendProxy.V2, ByteBufAllocator.DEFAULT,
                listener.address(), listener.address(), tls);
            try
            {
                final String bytes = header.toString(StandardCharsets.ISO_8859_1);
                assertThat(bytes).contains("\u0001\u0000\u0002h2", "\u0002\u0000\u000bapi.example", "\"\u0000\u0008client-1");
            }
            finally
            {
                header.release();
            }
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aConnectionWithoutTlsHasNone()
    {
        final EmbeddedChannel plain = new EmbeddedChannel();
        assertThat(ClientTls.of(plain)).isNull();
        assertThat(plain.finishAndReleaseAll()).isFalse();
    }
}
