package io.sluice.l7.proxyprotocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.l7.config.AddressBlock;
import io.sluice.l7.config.Listener;
import io.sluice.l7.metrics.L7Metrics;
import io.sluice.l7.metrics.ProxyProtocolOutcome;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * First in the pipeline of a connection to a listener with {@code proxy_protocol} (before TLS:
 * the header comes before the ClientHello): reads the connection's first bytes until it knows
 * whether they are a PROXY protocol header, then leaves, passing on what follows it.
 *
 * <ul>
 *   <li>From a trusted peer, a well-formed header's addresses become the connection's ({@link
 *       ConnectionAddresses}); v2 LOCAL or v1 UNKNOWN keeps the connection's own. Anything else
 *       (a malformed header; bytes that are not one, when the listener requires it; a header
 *       not whole within the request header timeout) closes the connection.</li>
 *   <li>From any other peer, a header is refused (the connection closed): an address is only
 *       ever believed from the peers the listener names. Other bytes pass on untouched, as on
 *       a listener without {@code proxy_protocol}; such a peer is timed by the connection's
 *       own clock, not here.</li>
 * </ul>
 * Each outcome but an untrusted peer's ordinary request is counted ({@link ProxyProtocolOutcome});
 * a refusal also logs one debug line naming the peer and the reason.
 */
public final class ProxyProtocolReceiver extends ChannelInboundHandlerAdapter
{
    private static final System.Logger LOG = System.getLogger(ProxyProtocolReceiver.class.getName());

    private final Listener.ProxyProtocol policy;
    private final long timeoutNanos;
    private final L7Metrics metrics;
    private boolean trusted;
    /** The first bytes, gathered until they tell what they are; null when none are held. */
    private ByteBuf held;
    private ProxyHeaderDecoder.Start start = ProxyHeaderDecoder.Start.UNDECIDED;
    private ScheduledFuture<?> timeout;
    private boolean done;

    /** @param timeout how long a trusted peer has to send the whole header (the request header timeout). */
    public ProxyProtocolReceiver(final Listener.ProxyProtocol policy, final Duration timeout, final L7Metrics metrics)
    {
        this.policy = policy;
        this.timeoutNanos = timeout.toNanos();
        this.metrics = metrics;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        if (!(ctx.channel().remoteAddress() instanceof InetSocketAddress peer))
        {
            done = true; // closed as it was accepted (a balancer's TCP health check): no peer left to believe or serve
            ctx.close();
            return;
        }
        trusted = trusts(policy, peer.getAddress());
        if (trusted)
        {
            timeout = ctx.executor().schedule(() -> refuse(ctx, ProxyProtocolOutcome.TIMEOUT, "no whole header within "
                + Duration.ofNanos(timeoutNanos)), timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    static boolean trusts(final Listener.ProxyProtocol policy, final InetAddress peer)
    {
        for (final AddressBlock block : policy.trusted())
        {
            if (block.contains(peer))
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (done || !(msg instanceof ByteBuf bytes))
        {
            ReferenceCountUtil.release(msg); // after a refusal nothing more is read; a socket gives only bytes
            return;
        }
        held = held == null ? bytes : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), held, bytes);
        try
        {
            decide(ctx);
        }
        catch (final MalformedProxyHeaderException ex)
        {
            refuse(ctx, ProxyProtocolOutcome.MALFORMED, ex.getMessage());
        }
    }

    private void decide(final ChannelHandlerContext ctx)
    {
        if (start == ProxyHeaderDecoder.Start.UNDECIDED)
        {
            start = ProxyHeaderDecoder.start(held);
        }
        switch (start)
        {
            case UNDECIDED -> readMore(ctx);
            case NEITHER ->
            {
                if (trusted && policy.required())
                {
                    refuse(ctx, ProxyProtocolOutcome.MISSING, "the connection does not begin with a PROXY protocol header");
                    return;
                }
                if (trusted)
                {
                    metrics.proxyProtocol(ProxyProtocolOutcome.NONE);
                }
                passOn(ctx);
            }
            default ->
            {
                if (!trusted)
                {
                    refuse(ctx, ProxyProtocolOutcome.UNTRUSTED, "a PROXY protocol header from a peer not trusted");
                    return;
                }
                final ProxyHeader header = ProxyHeaderDecoder.decode(start, held);
                if (header == null)
                {
                    readMore(ctx);
                    return;
                }
                if (header.local())
                {
                    metrics.proxyProtocol(ProxyProtocolOutcome.LOCAL);
                }
                else
                {
                    ConnectionAddresses.relayed(ctx.channel(), new ConnectionAddresses(header.source(), header.destination()));
                    metrics.proxyProtocol(ProxyProtocolOutcome.ACCEPTED);
                }
                passOn(ctx);
            }
        }
    }

    /** Undecided yet: the rest is asked for even when the connection's reading is paused. */
    private static void readMore(final ChannelHandlerContext ctx)
    {
        if (!ctx.channel().config().isAutoRead())
        {
            ctx.read();
        }
    }

    /** Decided and believed (or ignored): what follows the header goes on, and this handler leaves. */
    private void passOn(final ChannelHandlerContext ctx)
    {
        finish();
        final ByteBuf rest = held;
        held = null;
        ctx.pipeline().remove(this);
        if (rest.isReadable())
        {
            ctx.fireChannelRead(rest);
        }
        else
        {
            rest.release();
        }
    }

    private void refuse(final ChannelHandlerContext ctx, final ProxyProtocolOutcome outcome, final String reason)
    {
        if (done)
        {
            return;
        }
        finish();
        metrics.proxyProtocol(outcome);
        LOG.log(System.Logger.Level.DEBUG, () -> "proxy_protocol: closed the connection from " + ctx.channel().remoteAddress()
            + " to " + ctx.channel().localAddress() + " (" + outcome.label() + "): " + reason);
        releaseHeld();
        ctx.close();
    }

    private void finish()
    {
        done = true;
        if (timeout != null)
        {
            timeout.cancel(false);
        }
    }

    private void releaseHeld()
    {
        if (held != null)
        {
            held.release();
            held = null;
        }
    }

    @Override
    public void handlerRemoved(final ChannelHandlerContext ctx)
    {
        finish();
        releaseHeld();
    }
}
