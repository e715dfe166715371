package io.sluice.l7.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.internal.tcnative.SSL;
import io.sluice.l7.metrics.TlsMetrics;

import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

/**
 * Right after the TLS handler, until the handshake ends: counts it (version, cipher suite, full
 * or resumed, and its time from the accept) and then leaves the pipeline; or, when it fails,
 * counts why and closes the connection. What the TLS handlers throw before then stops here:
 * a client that sends garbage or leaves half way is counted, never logged (it could fill a log).
 */
final class HandshakeObserver extends ChannelInboundHandlerAdapter
{
    private final TlsMetrics metrics;
    private long acceptedNanos;
    private long acceptedMillis;
    private boolean counted;
    private boolean succeeded;

    HandshakeObserver(final TlsMetrics metrics)
    {
        this.metrics = metrics;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        acceptedNanos = System.nanoTime();
        acceptedMillis = System.currentTimeMillis();
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
    {
        if (!(event instanceof SslHandshakeCompletionEvent handshake))
        {
            ctx.fireUserEventTriggered(event);
            return;
        }
        if (!handshake.isSuccess())
        {
            failed(ctx, handshake.cause());
            return;
        }
        final SSLEngine engine = ctx.pipeline().get(SslHandler.class).engine();
        final SSLSession session = engine.getSession();
        metrics.handshake(session.getProtocol(), session.getCipherSuite(), resumed(engine, session),
            System.nanoTime() - acceptedNanos);
        counted = true;
        succeeded = true;
        ctx.fireUserEventTriggered(event); // on to ALPN's handler, which sets the protocol's pipeline up
        ctx.pipeline().remove(this);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (succeeded)
        {
            ctx.fireExceptionCaught(cause); // setting the protocol up failed: not the handshake's to hide
            return;
        }
        failed(ctx, cause);
    }

    private void failed(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (!counted)
        {
            counted = true;
            metrics.handshakeFailed(failure(cause));
        }
        ctx.close();
    }

    /**
     * The native engine knows; the JDK's session keeps the time it was first made, so a session
     * older than this connection was resumed.
     */
    private boolean resumed(final SSLEngine engine, final SSLSession session)
    {
        if (engine instanceof ReferenceCountedOpenSslEngine openSsl)
        {
            return SSL.isSessionReused(openSsl.sslPointer()); // the engine's own method is not public
        }
        return session.getCreationTime() < acceptedMillis;
    }

    static TlsMetrics.Failure failure(final Throwable thrown)
    {
        final Throwable cause = thrown instanceof DecoderException && thrown.getCause() != null ? thrown.getCause() : thrown;
        if (cause instanceof NotSslRecordException)
        {
            return TlsMetrics.Failure.NOT_TLS;
        }
        if (cause instanceof MalformedClientHelloException || cause instanceof TooLongFrameException)
        {
            return TlsMetrics.Failure.MALFORMED_CLIENT_HELLO;
        }
        if (cause instanceof SniRefusedException)
        {
            return TlsMetrics.Failure.SNI_REFUSED;
        }
        if (cause instanceof SslHandshakeTimeoutException)
        {
            return TlsMetrics.Failure.TIMEOUT;
        }
        if (cause instanceof ClosedChannelException)
        {
            return TlsMetrics.Failure.CLOSED;
        }
        // The engines say the rest in their messages (BoringSSL's reason codes, the JDK's sentences), or in
        // a cause: the client certificate's check is the JDK's, under the native engine too.
        final StringBuilder messages = new StringBuilder();
        for (Throwable link = cause; link != null; link = link.getCause())
        {
            if (link instanceof CertificateException)
            {
                return TlsMetrics.Failure.BAD_CLIENT_CERTIFICATE;
            }
            messages.append(link.getMessage()).append('\n');
        }
        final String message = messages.toString().toUpperCase(Locale.ROOT);
        if (message.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE") || message.contains("EMPTY CLIENT CERTIFICATE CHAIN")
            || message.contains("CERTIFICATE_REQUIRED"))
        {
            return TlsMetrics.Failure.NO_CLIENT_CERTIFICATE;
        }
        if (message.contains("CERTIFICATE_VERIFY_FAILED") || message.contains("PKIX") || message.contains("CERTIFICATE_EXPIRED")
            || message.contains("UNKNOWN_CA"))
        {
            return TlsMetrics.Failure.BAD_CLIENT_CERTIFICATE;
        }
        if (message.contains("NO_SHARED_CIPHER") || message.contains("UNSUPPORTED_PROTOCOL") || message.contains("NO_COMMON")
            || message.contains("NO_APPLICATION_PROTOCOL") || message.contains("NO CIPHER SUITES IN COMMON")
            || message.contains("PROTOCOL_VERSION") || message.contains("NO APPROPRIATE PROTOCOL"))
        {
            return TlsMetrics.Failure.NO_COMMON_PARAMETERS;
        }
        if (message.contains("CLOSED"))
        {
            return TlsMetrics.Failure.CLOSED;
        }
        return TlsMetrics.Failure.FAILED;
    }
}
