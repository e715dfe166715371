package io.sluice.l7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Settings;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * An HTTP/2 client by prior knowledge over a plain socket that sends what a well-behaved client
 * cannot: header blocks with upper-case names, connection-specific fields, pseudo-headers out
 * of order or unknown, control characters in values; and floods of resets, empty DATA or
 * CONTINUATION frames. Netty's frame writer and HPACK encoder make the bytes (into an
 * {@link EmbeddedChannel}, whose context they need, then onto the socket); its frame reader
 * reads the server's frames back, as {@link #events()}.
 *
 * <p>Each field of a header block is encoded on its own as a literal never indexed, so the block
 * is the fields in exactly the order given (Netty's {@link DefaultHttp2Headers} would put
 * pseudo-headers first) and no HPACK dynamic table is involved.
 */
final class RawH2cClient implements AutoCloseable
{
    private final Socket socket;
    private final OutputStream out;
    /** Only a context for Netty's writer and reader: what the writer writes is taken from its outbound queue. */
    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final ChannelHandlerContext ctx = channel.pipeline().firstContext();
    private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
    private final DefaultHttp2HeadersEncoder fieldEncoder = new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.ALWAYS_SENSITIVE);
    private final DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader(new DefaultHttp2HeadersDecoder(false));
    private final List<String> events = new ArrayList<>();
    private final Thread reading;
    private volatile Http2Settings serverSettings;
    /** A write failed: the server closed; what is written after is dropped, not tried one frame at a time. */
    private boolean broken;
    /** Frames made and not yet sent. */
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    RawH2cClient(final InetSocketAddress server) throws IOException
    {
        socket = new Socket();
        socket.connect(server, 2_000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        synchronized (this)
        {
            channel.writeOutbound(Http2CodecUtil.connectionPrefaceBuf());
            writer.writeSettings(ctx, new Http2Settings().pushEnabled(false), ctx.newPromise());
            flush();
        }
        reading = Thread.ofPlatform().daemon().name("raw-h2c-reader").start(this::readFrames);
    }

    /** A HEADERS frame with END_HEADERS carrying these fields, in this order; the stream ends with it if {@code endStream}. */
    synchronized RawH2cClient headers(final int streamId, final boolean endStream, final String... namesAndValues)
    {
        final ByteBuf block = block(namesAndValues);
        writer.writeFrame(ctx, Http2FrameTypes.HEADERS, streamId, new Http2Flags().endOfHeaders(true).endOfStream(endStream), block,
            ctx.newPromise());
        return this;
    }

    /** A HEADERS frame without END_HEADERS: CONTINUATION frames must follow. */
    synchronized RawH2cClient headersToBeContinued(final int streamId, final String... namesAndValues)
    {
        writer.writeFrame(ctx, Http2FrameTypes.HEADERS, streamId, new Http2Flags().endOfStream(true), block(namesAndValues),
            ctx.newPromise());
        return this;
    }

    /**
     * Empty CONTINUATION frames, without END_HEADERS: one encoded, its bytes repeated (encoding
     * thousands of frames under paranoid leak tracking would take a second).
     */
    synchronized RawH2cClient emptyContinuations(final int streamId, final int count)
    {
        pending.writeBytes(drain()); // what came before, once
        writer.writeFrame(ctx, Http2FrameTypes.CONTINUATION, streamId, new Http2Flags(), Unpooled.EMPTY_BUFFER, ctx.newPromise());
        final byte[] frame = drain();
        for (int i = 0; i < count; i++)
        {
            pending.writeBytes(frame);
        }
        return this;
    }

    synchronized RawH2cClient data(final int streamId, final byte[] bytes, final boolean endStream)
    {
        writer.writeData(ctx, streamId, Unpooled.wrappedBuffer(bytes), 0, endStream, ctx.newPromise());
        return this;
    }

    synchronized RawH2cClient reset(final int streamId, final Http2Error error)
    {
        writer.writeRstStream(ctx, streamId, error.code(), ctx.newPromise());
        return this;
    }

    /**
     * Sends what was written so far. A failure to (the server closed the connection) is noted
     * among the events, not thrown: a flood is expected to be cut off.
     */
    synchronized void flush()
    {
        pending.writeBytes(drain());
        final byte[] bytes = pending.toByteArray();
        pending.reset();
        if (broken || bytes.length == 0)
        {
            return;
        }
        try
        {
            out.write(bytes); // one write for a flood, not a system call per frame
        }
        catch (final IOException ex)
        {
            broken = true;
            event("write failed: " + ex.getMessage());
        }
    }

    /** What the writer wrote since the last drain, as bytes. */
    private byte[] drain()
    {
        channel.flushOutbound();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteBuf frame;
        while ((frame = channel.readOutbound()) != null)
        {
            final byte[] array = new byte[frame.readableBytes()];
            frame.readBytes(array);
            frame.release();
            bytes.writeBytes(array);
        }
        return bytes.toByteArray();
    }

    private ByteBuf block(final String... namesAndValues)
    {
        final ByteBuf block = Unpooled.buffer();
        try
        {
            for (int i = 0; i < namesAndValues.length; i += 2)
            {
                final Http2Headers field = new DefaultHttp2Headers(false).add(namesAndValues[i], namesAndValues[i + 1]);
                fieldEncoder.encodeHeaders(0, field, block);
            }
        }
        catch (final Http2Exception ex)
        {
            block.release();
            throw new IllegalStateException(ex);
        }
        return block;
    }

    /** The server's frames, as events, until the connection closes. */
    private void readFrames()
    {
        final ByteBuf input = Unpooled.buffer();
        final byte[] chunk = new byte[16 * 1024];
        try
        {
            final InputStream in = socket.getInputStream();
            int read;
            while ((read = in.read(chunk)) >= 0)
            {
                input.writeBytes(chunk, 0, read);
                reader.readFrame(ctx, input, new Events());
                input.discardReadBytes();
            }
            event("closed");
        }
        catch (final IOException ex)
        {
            event(socket.isClosed() ? "closed by the client" : "closed (" + ex.getMessage() + ")");
        }
        catch (final Http2Exception ex)
        {
            event("unreadable frame: " + ex.getMessage());
        }
        finally
        {
            input.release();
        }
    }

    private final class Events extends Http2FrameAdapter
    {
        @Override
        public void onSettingsRead(final ChannelHandlerContext ctx, final Http2Settings settings)
        {
            serverSettings = settings;
            synchronized (RawH2cClient.this)
            {
                writer.writeSettingsAck(RawH2cClient.this.ctx, RawH2cClient.this.ctx.newPromise());
                flush();
            }
        }

        @Override
        public void onPingRead(final ChannelHandlerContext ctx, final long data)
        {
            synchronized (RawH2cClient.this)
            {
                writer.writePing(RawH2cClient.this.ctx, true, data, RawH2cClient.this.ctx.newPromise());
                flush();
            }
        }

        @Override
        public void onHeadersRead(final ChannelHandlerContext ctx, final int streamId, final Http2Headers headers, final int padding,
            final boolean endOfStream)
        {
            event("headers " + streamId + " " + headers.status() + (endOfStream ? " end" : ""));
        }

        @Override
        public void onHeadersRead(final ChannelHandlerContext ctx, final int streamId, final Http2Headers headers,
            final int streamDependency, final short weight, final boolean exclusive, final int padding, final boolean endOfStream)
        {
            onHeadersRead(ctx, streamId, headers, padding, endOfStream);
        }

        @Override
        public int onDataRead(final ChannelHandlerContext ctx, final int streamId, final ByteBuf data, final int padding,
            final boolean endOfStream)
        {
            event("data " + streamId + " " + data.readableBytes() + " bytes" + (endOfStream ? " end" : ""));
            return data.readableBytes() + padding;
        }

        @Override
        public void onRstStreamRead(final ChannelHandlerContext ctx, final int streamId, final long errorCode)
        {
            event("rst " + streamId + " " + Http2Error.valueOf(errorCode));
        }

        @Override
        public void onGoAwayRead(final ChannelHandlerContext ctx, final int lastStreamId, final long errorCode, final ByteBuf debugData)
        {
            event("goaway " + Http2Error.valueOf(errorCode) + " last stream " + lastStreamId);
        }
    }

    private synchronized void event(final String event)
    {
        events.add(event);
        notifyAll();
    }

    /**
     * What the server sent so far, in order: {@code headers ID STATUS [end]}, {@code data ID N bytes [end]},
     * {@code rst ID ERROR}, {@code goaway ERROR last stream ID}, {@code closed ...}; and {@code write failed: ...}.
     */
    synchronized List<String> events()
    {
        return List.copyOf(events);
    }

    /** The first event that matches, waiting up to {@code timeout} for it; null if none came. */
    synchronized String await(final Predicate<String> matching, final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            for (final String event : events)
            {
                if (matching.test(event))
                {
                    return event;
                }
            }
            final long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0)
            {
                return null;
            }
            wait(leftMs);
        }
    }

    /** The server's SETTINGS, once they came. */
    Http2Settings serverSettings()
    {
        return serverSettings;
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
        try
        {
            reading.join(2_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt(); // closing goes on; the caller's thread keeps its interrupt
        }
        synchronized (this)
        {
            channel.finishAndReleaseAll();
        }
        fieldEncoder.close();
        reader.close();
    }
}
