package io.sluice.l7.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * First in a TLS connection's pipeline until the client's ClientHello has come whole: reads it
 * ({@link ClientHello}), picks the certificate for its name and for what it can verify
 * ({@link SniMapping}, {@link CertificateChoice}) and puts that certificate's TLS handler in its
 * own place, which then reads the ClientHello again. Netty's SniHandler picks by name alone and
 * reads the rest of a malformed ClientHello leniently; here a malformed one, plain text, a name
 * {@code sni: strict} has no certificate for, or a ClientHello that does not come within the
 * handshake's timeout ends the connection, counted by the {@link HandshakeObserver} after it.
 */
final class CertificateSelector extends SslClientHelloHandler<CertificateContext>
{
    /** Far above any ClientHello a client sends (post-quantum key shares included); a larger one is refused, not buffered. */
    private static final int MAX_CLIENT_HELLO_BYTES = 64 * 1024;
    /** The TLS record content types (change_cipher_spec to application_data): a first byte outside them is not TLS. */
    private static final int FIRST_CONTENT_TYPE = 20;
    private static final int LAST_CONTENT_TYPE = 23;

    private final SniMapping mapping;
    private ScheduledFuture<?> timeout;
    /** The connection's first byte, once it has come: whether a first message that is no ClientHello was TLS at all. */
    private int firstByte = -1;
    private boolean refused;

    CertificateSelector(final SniMapping mapping)
    {
        super(MAX_CLIENT_HELLO_BYTES);
        this.mapping = mapping;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        if (ctx.channel().isActive())
        {
            startTimeout(ctx);
        }
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        ctx.fireChannelActive();
        startTimeout(ctx);
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out) throws Exception
    {
        if (refused)
        {
            in.skipBytes(in.readableBytes()); // the connection is closing: what else the client sends is not read
            return;
        }
        if (firstByte < 0 && in.isReadable())
        {
            firstByte = in.getUnsignedByte(in.readerIndex());
        }
        super.decode(ctx, in, out);
    }

    /** Never throws: a refusal is a failed future (on a throw, SslClientHelloHandler would try again without a ClientHello). */
    @Override
    protected Future<CertificateContext> lookup(final ChannelHandlerContext ctx, final ByteBuf clientHello)
    {
        if (clientHello == null)
        {
            return ctx.executor().newFailedFuture(firstByte >= FIRST_CONTENT_TYPE && firstByte <= LAST_CONTENT_TYPE
                ? new MalformedClientHelloException("the first TLS record holds no ClientHello")
                : new NotSslRecordException("not TLS: the first byte is 0x" + Integer.toHexString(firstByte)));
        }
        try
        {
            final ClientHello hello = ClientHello.parse(clientHello);
            return ctx.executor().newSucceededFuture(mapping.choiceFor(hello.serverName()).pick(hello));
        }
        catch (final MalformedClientHelloException | SniRefusedException ex)
        {
            return ctx.executor().newFailedFuture(ex);
        }
    }

    @Override
    protected void onLookupComplete(final ChannelHandlerContext ctx, final Future<CertificateContext> future)
    {
        cancelTimeout();
        if (!future.isSuccess())
        {
            refuse(ctx, future.cause());
            return;
        }
        SslHandler handler = null;
        try
        {
            handler = future.getNow().newHandler(ctx.alloc());
            ctx.pipeline().replace(this, ctx.name(), handler); // the ClientHello's bytes go on to it
            handler = null;
        }
        catch (final RuntimeException ex)
        {
            refuse(ctx, ex);
        }
        finally
        {
            if (handler != null)
            {
                ReferenceCountUtil.safeRelease(handler.engine()); // not in the pipeline: its engine is still ours
            }
        }
    }

    @Override
    protected void handlerRemoved0(final ChannelHandlerContext ctx) throws Exception
    {
        cancelTimeout();
        super.handlerRemoved0(ctx);
    }

    private void refuse(final ChannelHandlerContext ctx, final Throwable cause)
    {
        refused = true;
        ctx.fireExceptionCaught(cause);
    }

    private void startTimeout(final ChannelHandlerContext ctx)
    {
        if (timeout == null)
        {
            timeout = ctx.executor().schedule(() ->
            {
                if (!refused)
                {
                    refuse(ctx, new SslHandshakeTimeoutException("no ClientHello within " + ServerTls.HANDSHAKE_TIMEOUT_MILLIS
                        + " ms"));
                }
            }, ServerTls.HANDSHAKE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void cancelTimeout()
    {
        if (timeout != null)
        {
            timeout.cancel(false);
        }
    }
}
