package io.sluice.l7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A backend that keeps the exact bytes each of its connections received, in order, and answers
 * every request it can frame with {@link #RESPONSE} (keep-alive), so that a request a proxy lets
 * through hidden in another's body is answered too and shows in what was recorded. It frames
 * with {@link LenientHttp1}, its own parser, never Netty's: a test must not share the blind spots
 * of the decoder it checks. A request that asks for {@code Expect: 100-continue} gets a
 * {@code 100 Continue} as soon as its head is in, as a real server's would.
 */
public final class RecordingBackend implements AutoCloseable
{
    public static final String RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static final byte[] RESPONSE_BYTES = RESPONSE.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTINUE_BYTES = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final LoopbackListener listener;
    /** When anything last happened on any connection (accepted, bytes in, closed): how a test knows it is quiet. */
    private volatile long lastEventNanos = System.nanoTime();

    /** What one connection received; its bytes are only touched on its event loop, and copied under its lock. */
    public static final class Connection
    {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        /** Where the next request starts in {@link #bytes}. */
        private int framedUpTo;
        /** The offset of the request whose 100 Continue went, so a request is sent one at most. */
        private int continuedAt = -1;
        private int answered;
        private volatile boolean closedByPeer;

        /** Everything received so far, exactly. */
        public synchronized byte[] bytes()
        {
            return bytes.toByteArray();
        }

        /** Requests framed and answered 200. */
        public synchronized int answered()
        {
            return answered;
        }

        /** Whether the proxy closed it (the backend itself never does, but when it is closed). */
        public boolean closedByPeer()
        {
            return closedByPeer;
        }

        /** Whether the proxy closed it, waiting up to {@code timeout} for it to. */
        public boolean awaitClosedByPeer(final Duration timeout) throws InterruptedException
        {
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (!closedByPeer && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            return closedByPeer;
        }

        private synchronized List<byte[]> received(final byte[] data)
        {
            bytes.writeBytes(data);
            final byte[] all = bytes.toByteArray();
            final List<byte[]> answers = new ArrayList<>();
            while (framedUpTo < all.length)
            {
                final LenientHttp1.Frame frame = LenientHttp1.frame(all, framedUpTo);
                if (frame.headEnd() > 0 && continuedAt != framedUpTo && frame.head().expectsContinue())
                {
                    continuedAt = framedUpTo;
                    answers.add(CONTINUE_BYTES);
                }
                if (!frame.complete())
                {
                    break; // incomplete, or beyond even lenient framing: recorded, never answered
                }
                framedUpTo = frame.end();
                answered++;
                answers.add(RESPONSE_BYTES);
            }
            return answers;
        }
    }

    public RecordingBackend()
    {
        listener = new LoopbackListener((channel) ->
        {
            final Connection connection = new Connection();
            connections.add(connection);
            touch();
            channel.pipeline().addLast(new ChannelInboundHandlerAdapter()
            {
                @Override
                public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                {
                    final ByteBuf buffer = (ByteBuf)msg;
                    final byte[] data = new byte[buffer.readableBytes()];
                    buffer.readBytes(data);
                    buffer.release();
                    touch();
                    for (final byte[] answer : connection.received(data))
                    {
                        ctx.write(Unpooled.wrappedBuffer(answer));
                    }
                    ctx.flush();
                }

                @Override
                public void channelInactive(final ChannelHandlerContext ctx)
                {
                    connection.closedByPeer = true;
                    touch();
                }

                @Override
                public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
                {
                    ctx.close(); // a reset by the proxy, say: the connection's bytes are what counts
                }
            });
        });
    }

    private void touch()
    {
        lastEventNanos = System.nanoTime();
    }

    public InetSocketAddress address()
    {
        return listener.address();
    }

    /** Every connection accepted so far, in the order they were. */
    public List<Connection> connections()
    {
        return List.copyOf(connections);
    }

    /** Every request framed so far, over all connections, in order; a connection's unframed rest is not among them. */
    public List<LenientHttp1.Frame> requests()
    {
        final List<LenientHttp1.Frame> requests = new ArrayList<>();
        for (final Connection connection : connections)
        {
            requests.addAll(LenientHttp1.frames(connection.bytes()).requests());
        }
        return requests;
    }

    /**
     * Waits until nothing has happened for {@code quiet}, counted from this call at the earliest
     * (so a proxy about to forward has that long to), and at most {@code limit}.
     *
     * @return whether it was quiet before the limit.
     */
    public boolean awaitQuiet(final Duration quiet, final Duration limit) throws InterruptedException
    {
        final long startNanos = System.nanoTime();
        final long deadline = startNanos + limit.toNanos();
        while (true)
        {
            final long now = System.nanoTime();
            final long last = lastEventNanos - startNanos > 0 ? lastEventNanos : startNanos;
            if (now - last >= quiet.toNanos())
            {
                return true;
            }
            if (now >= deadline)
            {
                return false;
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close()
    {
        listener.close();
    }
}
