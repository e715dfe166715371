package io.sluice.l7.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import io.sluice.l7.config.RequestLimits;
import io.sluice.l7.http.RequestRefusal;
import io.sluice.l7.http.RequestRefusedException;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.sluice.l7.http1.HttpBytes.CR;
import static io.sluice.l7.http1.HttpBytes.LF;

/**
 * sluice's HTTP/1.1 request parser: RFC 9112's grammar and nothing more, because a proxy that
 * reads a request differently from its backend forwards one request the backend takes for two
 * (request smuggling). It hands on what Netty's {@code HttpRequestDecoder} does, so the rest of
 * the proxy is unchanged: a {@link DefaultHttpRequest}, zero or more {@link DefaultHttpContent}s
 * (retained slices of the input, never copies), then a {@link LastHttpContent}.
 *
 * <p>What it refuses, and why, is the shared spec's "HTTP/1.1 parse" table; each refusal is a
 * {@link RequestRefusedException} as a failed {@code DecoderResult}: on a placeholder request
 * ({@code GET /bad-request}) when the head is bad, on an empty {@link LastHttpContent} when the
 * body is. After one, nothing more of the connection is parsed: once a request's framing is in
 * doubt, so is where the next one starts.
 *
 * <p>Limits hold as bytes arrive: a line that has not ended within its limit is refused then,
 * without waiting for more, so a client cannot make the proxy hold more than the limits. Chunked
 * bodies stream, but the last byte of each chunk is held until the CRLF after it has been read,
 * so a chunk whose end is wrong never reaches a backend whole.
 *
 * <p>It runs for every request: lines are found with {@link ByteBuf#indexOf} (eight bytes at a
 * time), each new byte is searched once however the input is split, a line is checked in one
 * pass over an array (the buffer's own, or a per-thread copy of the line), and the only objects
 * made per request are the request, its headers and the Strings of its target and field values.
 */
public final class StrictRequestDecoder extends ByteToMessageDecoder
{
    /**
     * Chunk data is handed on once this much of a chunk (short of its held-back last byte) is
     * in: large chunks stream without being held whole, small pieces do not each become a message.
     */
    static final int STREAM_THRESHOLD = 8 * 1024;

    /** The parser has validated every name and value: Netty's validation would only do it again. */
    private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final String CHUNKED = "chunked";
    private static final String EMPTY = "";
    /** {@code 0 CRLF CRLF}: the last chunk without extensions or trailers, as nearly every client ends a body. */
    private static final int LAST_CHUNK_START = ('0' << 24) | (CR << 16) | (LF << 8) | CR;

    /**
     * Where lines are copied to be parsed when the buffer has no array (direct memory): one per
     * thread, not per connection, since nothing in it outlives a decode call.
     */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>()
    {
        @Override
        protected byte[] initialValue()
        {
            return new byte[WINDOW];
        }
    };

    /** How much of a direct buffer is copied at once: most heads in one copy, without copying much of a body after them. */
    private static final int WINDOW = 1024;

    private static final int REQUEST_START = 0;
    private static final int REQUEST_LINE = 1;
    private static final int HEAD_FIELDS = 2;
    /** From here on the request has been handed on: a refusal fails its body, not its head. */
    private static final int FIXED_BODY = 3;
    private static final int CHUNK_SIZE = 4;
    private static final int CHUNK_LINE = 5;
    private static final int CHUNK_DATA = 6;
    private static final int TRAILERS = 7;
    private static final int DISCARD = 8;

    private final int requestLineBytes;
    private final int headerLineBytes;
    private final int headerBytes;
    private final int headerCount;
    private final int chunkExtensionBytes;
    /** Null when the decoder stands alone, without an encoder to tell. */
    private final RequestMethods methods;
    private final FieldLine field = new FieldLine();
    private final TransferCodings codings = new TransferCodings();

    private int state = REQUEST_START;
    /** Bytes after the reader index already searched for the LF that ends the current line: each byte is searched once. */
    private int scanned;
    private int emptyLineBytes;
    private DefaultHttpRequest request;
    private HttpHeaders headers;
    /** The header (or trailer) section so far, each line with its CRLF. */
    private int sectionBytes;
    private int fields;
    private long contentLength = -1;
    /** The body left to read (Content-Length), or the chunk's size, then what is left of it. */
    private long remaining;
    private boolean sizeDigits;
    private HttpHeaders trailers;
    /** The copy of part of a direct buffer that lines are read from, valid within one decode call: buffer indexes [start, end). */
    private byte[] window;
    private int windowStart;
    private int windowEnd;

    public StrictRequestDecoder(final RequestLimits limits)
    {
        this(limits, null);
    }

    StrictRequestDecoder(final RequestLimits limits, final RequestMethods methods)
    {
        this.requestLineBytes = limits.requestLineBytes();
        this.headerLineBytes = limits.headerLineBytes();
        this.headerBytes = limits.headerBytes();
        this.headerCount = limits.headerCount();
        this.chunkExtensionBytes = limits.chunkExtensionBytes();
        this.methods = methods;
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
    {
        window = null;
        try
        {
            boolean more = true;
            while (more)
            {
                more = switch (state)
                {
                    case REQUEST_START -> requestStart(in);
                    case REQUEST_LINE -> requestLine(in);
                    case HEAD_FIELDS -> headFields(in, out);
                    case FIXED_BODY -> fixedBody(in, out);
                    case CHUNK_SIZE -> chunkSize(in);
                    case CHUNK_LINE -> chunkLine(in);
                    case CHUNK_DATA -> chunkData(in, out);
                    case TRAILERS -> trailers(in, out);
                    default -> discard(in);
                };
            }
        }
        catch (final RequestRefusedException refused)
        {
            refuse(in, out, refused);
        }
    }

    /** RFC 9112 2.2: empty lines before a request line are ignored (some clients send a CRLF after a body). */
    private boolean requestStart(final ByteBuf in)
    {
        int i = in.readerIndex();
        final int end = in.writerIndex();
        while (i < end)
        {
            final byte b = in.getByte(i);
            if (b != CR)
            {
                if (b == LF)
                {
                    throw bareLf();
                }
                in.readerIndex(i);
                state = REQUEST_LINE;
                return true;
            }
            if (i + 1 == end)
            {
                break;
            }
            if (in.getByte(i + 1) != LF)
            {
                throw FieldLine.bareCr();
            }
            i += 2;
            // They count against the request line's limit: endless CRLFs are a connection held without a request.
            emptyLineBytes += 2;
            if (emptyLineBytes > requestLineBytes)
            {
                throw overLimit(RequestRefusal.REQUEST_LINE_TOO_LONG);
            }
        }
        in.readerIndex(i);
        return false;
    }

    private boolean requestLine(final ByteBuf in)
    {
        final int lf = lineEnd(in, requestLineBytes - emptyLineBytes, RequestRefusal.REQUEST_LINE_TOO_LONG);
        if (lf < 0)
        {
            return false;
        }
        final int start = in.readerIndex();
        final int length = contentEnd(in, lf, RequestRefusal.BAD_LINE_ENDING) - start;
        final byte[] bytes = lineBytes(in, start, length);
        final int from = lineOffset(in, start);
        headers = HEADERS.newHeaders();
        request = RequestLine.parse(bytes, from, from + length, headers);
        in.readerIndex(lf + 1);
        state = HEAD_FIELDS;
        return true;
    }

    private boolean headFields(final ByteBuf in, final List<Object> out)
    {
        while (true)
        {
            if (fields == headerCount && in.isReadable() && in.getByte(in.readerIndex()) != CR)
            {
                throw new RequestRefusedException(RequestRefusal.TOO_MANY_HEADERS, "more than " + headerCount + " header fields");
            }
            // A line may take what is left of the section after its own CRLF; the line's limit when that is less.
            final int sectionLeft = headerBytes - sectionBytes - 2;
            final boolean lineBound = headerLineBytes <= sectionLeft;
            final int lf = lineEnd(in, lineBound ? headerLineBytes : sectionLeft,
                lineBound ? RequestRefusal.HEADER_LINE_TOO_LONG : RequestRefusal.HEADERS_TOO_LARGE);
            if (lf < 0)
            {
                return false;
            }
            final int start = in.readerIndex();
            final int length = contentEnd(in, lf, RequestRefusal.BAD_LINE_ENDING) - start;
            sectionBytes += length + 2;
            if (length == 0)
            {
                in.readerIndex(lf + 1);
                return endOfHead(out);
            }
            fields++;
            final byte[] bytes = lineBytes(in, start, length);
            final int from = lineOffset(in, start);
            headField(bytes, from, from + length);
            in.readerIndex(lf + 1);
        }
    }

    private void headField(final byte[] bytes, final int from, final int to)
    {
        final FieldLine field = this.field;
        field.parse(bytes, from, to);
        final int nameLength = field.nameEnd() - from;
        final int slot = FieldNames.slot(bytes, from, nameLength);
        final AsciiString name = slot >= 0 ? FieldNames.name(slot) : new AsciiString(bytes, from, nameLength, true);
        final int kind = slot >= 0 ? FieldNames.kind(slot) : FieldNames.kindOf(bytes, from, nameLength);
        if (kind == FieldNames.OTHER)
        {
            headers.add(name, value(bytes, field));
        }
        else if (kind == FieldNames.CONTENT_LENGTH)
        {
            contentLength(name, bytes, field.valueStart(), field.valueEnd());
        }
        else
        {
            transferEncoding(name, bytes, field.valueStart(), field.valueEnd());
        }
    }

    private static String value(final byte[] bytes, final FieldLine field)
    {
        final int length = field.valueEnd() - field.valueStart();
        return length == 0 ? EMPTY : new String(bytes, field.valueStart(), length, StandardCharsets.ISO_8859_1);
    }

    /** RFC 9112 6.3: one Content-Length, 1*DIGIT; handed on in its canonical form (no leading zeros). */
    private void contentLength(final AsciiString name, final byte[] bytes, final int from, final int to)
    {
        if (codings.seen())
        {
            throw bothFramings();
        }
        if (contentLength >= 0)
        {
            // Even equal: RFC 9110 8.6 lets a recipient merge them, but a backend that does not sees two.
            throw new RequestRefusedException(RequestRefusal.DUPLICATE_CONTENT_LENGTH, "Content-Length appears twice");
        }
        final long length = ContentLength.parse(bytes, from, to);
        contentLength = length;
        final boolean canonical = bytes[from] != '0' || to - from == 1;
        headers.add(name, canonical ? new String(bytes, from, to - from, StandardCharsets.ISO_8859_1) : Long.toString(length));
    }

    /** RFC 9112 6.1; only the first field is kept, as {@code chunked}: a request with any other is refused at the end of its head. */
    private void transferEncoding(final AsciiString name, final byte[] bytes, final int from, final int to)
    {
        if (request.protocolVersion() == HttpVersion.HTTP_1_0)
        {
            // RFC 9112 6.1: an HTTP/1.0 recipient may not know chunked, so the backend might frame it by the close.
            throw new RequestRefusedException(RequestRefusal.TRANSFER_ENCODING_IN_HTTP10, "Transfer-Encoding in an HTTP/1.0 request");
        }
        if (contentLength >= 0)
        {
            throw bothFramings();
        }
        final boolean first = !codings.seen();
        codings.add(bytes, from, to);
        if (first)
        {
            headers.add(name, CHUNKED);
        }
    }

    /** RFC 9112 6.1: a server may refuse both together, and a proxy must never forward both. */
    private static RequestRefusedException bothFramings()
    {
        return new RequestRefusedException(RequestRefusal.CONTENT_LENGTH_AND_TRANSFER_ENCODING,
            "Content-Length and Transfer-Encoding together");
    }

    /** RFC 9112 6.3: chunked if Transfer-Encoding, else Content-Length, else no body. */
    private boolean endOfHead(final List<Object> out)
    {
        final boolean chunked = codings.seen();
        if (chunked)
        {
            codings.check();
        }
        out.add(request);
        if (methods != null)
        {
            methods.add(request.method());
        }
        if (chunked)
        {
            remaining = 0;
            sizeDigits = false;
            state = CHUNK_SIZE;
            return true;
        }
        if (contentLength > 0)
        {
            remaining = contentLength;
            state = FIXED_BODY;
            return true;
        }
        out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        requestDone();
        return false;
    }

    private boolean fixedBody(final ByteBuf in, final List<Object> out)
    {
        final int readable = in.readableBytes();
        if (readable == 0)
        {
            return false;
        }
        if (readable >= remaining)
        {
            out.add(lastContent(in.readRetainedSlice((int)remaining)));
            requestDone();
            return false;
        }
        out.add(new DefaultHttpContent(in.readRetainedSlice(readable)));
        remaining -= readable;
        return false;
    }

    /**
     * The last of a body without trailers. Its trailers are the same read-only empty ones
     * {@link LastHttpContent#EMPTY_LAST_CONTENT} has: a map per request would be made to stay empty.
     */
    private static LastHttpContent lastContent(final ByteBuf data)
    {
        return new DefaultLastHttpContent(data, EmptyHttpHeaders.INSTANCE);
    }

    /**
     * RFC 9112 7.1: {@code 1*HEXDIG}, read as it arrives. Leading zeros are not significant; a
     * size over 2^63-1 (which includes any with more than 16 significant digits) is refused at
     * the digit that makes it so, where a lax parser would wrap around and read another size.
     */
    private boolean chunkSize(final ByteBuf in)
    {
        int i = in.readerIndex();
        final int end = in.writerIndex();
        while (i < end)
        {
            final byte b = in.getByte(i);
            final int digit = HttpBytes.hexValue(b);
            if (digit < 0)
            {
                if (!sizeDigits || !(b == ';' || b == CR || b == LF || HttpBytes.isWhitespace(b)))
                {
                    throw new RequestRefusedException(RequestRefusal.BAD_CHUNK_SIZE, "a chunk size is not hexadecimal digits");
                }
                in.readerIndex(i);
                state = CHUNK_LINE;
                return true;
            }
            sizeDigits = true;
            if (remaining != 0 || digit != 0)
            {
                if ((remaining >>> 59) != 0)
                {
                    throw new RequestRefusedException(RequestRefusal.BAD_CHUNK_SIZE, "a chunk size is over 2^63-1");
                }
                remaining = (remaining << 4) | digit;
            }
            i++;
        }
        in.readerIndex(i);
        return false;
    }

    /** The rest of a chunk line: extensions, validated (RFC 9112 7.1.1) and dropped (the proxy re-chunks), then CRLF. */
    private boolean chunkLine(final ByteBuf in)
    {
        final int start = in.readerIndex();
        if (in.readableBytes() >= 2 && in.getByte(start) == CR)
        {
            if (in.getByte(start + 1) != LF)
            {
                throw badChunk("a chunk line does not end in CRLF");
            }
            in.readerIndex(start + 2);
            scanned = 0; // a lone CR may have been searched while the LF was still to come
        }
        else
        {
            final int lf = lineEnd(in, chunkExtensionBytes, RequestRefusal.BAD_CHUNK_EXTENSION);
            if (lf < 0)
            {
                return false;
            }
            final int length = contentEnd(in, lf, RequestRefusal.BAD_CHUNK) - start;
            final byte[] bytes = lineBytes(in, start, length);
            final int from = lineOffset(in, start);
            if (HttpBytes.skipParameters(bytes, from, from + length, false) != from + length)
            {
                for (int i = from; i < from + length; i++)
                {
                    if (bytes[i] == CR)
                    {
                        throw badChunk("a chunk line has a CR not followed by LF");
                    }
                }
                throw new RequestRefusedException(RequestRefusal.BAD_CHUNK_EXTENSION, "a chunk extension is malformed");
            }
            in.readerIndex(lf + 1);
        }
        if (remaining == 0)
        {
            sectionBytes = 0;
            fields = 0;
            state = TRAILERS;
        }
        else
        {
            state = CHUNK_DATA;
        }
        return true;
    }

    private boolean chunkData(final ByteBuf in, final List<Object> out)
    {
        final int start = in.readerIndex();
        final int readable = in.readableBytes();
        if (readable - 2L >= remaining)
        {
            final int size = (int)remaining;
            if (in.getByte(start + size) != CR || in.getByte(start + size + 1) != LF)
            {
                throw badChunk("chunk data is not followed by CRLF");
            }
            final ByteBuf data = in.retainedSlice(start, size);
            in.readerIndex(start + size + 2);
            if (in.readableBytes() >= 5 && in.getInt(in.readerIndex()) == LAST_CHUNK_START && in.getByte(in.readerIndex() + 4) == LF)
            {
                in.skipBytes(5);
                out.add(lastContent(data));
                requestDone();
                return false;
            }
            out.add(new DefaultHttpContent(data));
            remaining = 0;
            sizeDigits = false;
            state = CHUNK_SIZE;
            return true;
        }
        if (readable - 1L == remaining && in.getByte(start + readable - 1) != CR)
        {
            throw badChunk("chunk data is not followed by CRLF");
        }
        final long ready = Math.min(readable, remaining - 1);
        if (ready >= STREAM_THRESHOLD)
        {
            out.add(new DefaultHttpContent(in.readRetainedSlice((int)ready)));
            remaining -= ready;
        }
        return false;
    }

    private static RequestRefusedException badChunk(final String detail)
    {
        return new RequestRefusedException(RequestRefusal.BAD_CHUNK, detail);
    }

    /** RFC 9112 7.1.2: the trailer section, with the head's field syntax and limits; any problem in it is BAD_TRAILER. */
    private boolean trailers(final ByteBuf in, final List<Object> out)
    {
        while (true)
        {
            if (fields == headerCount && in.isReadable() && in.getByte(in.readerIndex()) != CR)
            {
                throw new RequestRefusedException(RequestRefusal.BAD_TRAILER, "more than " + headerCount + " trailer fields");
            }
            final int lf = lineEnd(in, Math.min(headerLineBytes, headerBytes - sectionBytes - 2), RequestRefusal.BAD_TRAILER);
            if (lf < 0)
            {
                return false;
            }
            final int start = in.readerIndex();
            final int length = contentEnd(in, lf, RequestRefusal.BAD_TRAILER) - start;
            sectionBytes += length + 2;
            if (length == 0)
            {
                in.readerIndex(lf + 1);
                out.add(trailers == null ? LastHttpContent.EMPTY_LAST_CONTENT :
                    new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, trailers));
                requestDone();
                return false;
            }
            fields++;
            final byte[] bytes = lineBytes(in, start, length);
            final int from = lineOffset(in, start);
            trailerField(bytes, from, from + length);
            in.readerIndex(lf + 1);
        }
    }

    private void trailerField(final byte[] bytes, final int from, final int to)
    {
        try
        {
            field.parse(bytes, from, to);
        }
        catch (final RequestRefusedException malformed)
        {
            throw new RequestRefusedException(RequestRefusal.BAD_TRAILER, "a trailer field is malformed: " + malformed.getMessage());
        }
        final int nameLength = field.nameEnd() - from;
        if (FieldNames.forbiddenInTrailers(bytes, from, nameLength))
        {
            // RFC 9110 6.5.1: a field that frames, routes, authenticates or controls the request
            // is read from the head; one arriving after the body would be acted on by some backends.
            throw new RequestRefusedException(RequestRefusal.BAD_TRAILER, "a trailer field that only a head may carry");
        }
        if (trailers == null)
        {
            trailers = HEADERS.newHeaders();
        }
        trailers.add(new AsciiString(bytes, from, nameLength, true), value(bytes, field));
    }

    private static boolean discard(final ByteBuf in)
    {
        in.skipBytes(in.readableBytes());
        return false;
    }

    /**
     * The index of the LF that ends the line at the reader index, or -1 while the line may still
     * end within {@code limit} bytes (CRLF excluded); refused with {@code tooLong} as soon as it cannot.
     */
    private int lineEnd(final ByteBuf in, final int limit, final RequestRefusal tooLong)
    {
        if (limit < 0)
        {
            throw overLimit(tooLong);
        }
        final int start = in.readerIndex();
        final int window = (int)Math.min(in.readableBytes(), limit + 2L);
        final int lf = in.indexOf(start + scanned, start + window, LF);
        if (lf >= 0)
        {
            scanned = 0;
            return lf;
        }
        scanned = window;
        if (window == limit + 2L || (window == limit + 1 && in.getByte(start + limit) != CR))
        {
            throw overLimit(tooLong);
        }
        return -1;
    }

    /** Where the content of the line ending at {@code lf} ends: at its CR, which must be there (RFC 9112 2.2). */
    private static int contentEnd(final ByteBuf in, final int lf, final RequestRefusal bareLf)
    {
        if (lf == in.readerIndex() || in.getByte(lf - 1) != CR)
        {
            throw bareLf == RequestRefusal.BAD_LINE_ENDING ? bareLf() : new RequestRefusedException(bareLf, "a line ended by LF alone");
        }
        return lf - 1;
    }

    private static RequestRefusedException bareLf()
    {
        return new RequestRefusedException(RequestRefusal.BAD_LINE_ENDING, "a line ended by LF alone");
    }

    private RequestRefusedException overLimit(final RequestRefusal reason)
    {
        return new RequestRefusedException(reason, switch (reason)
        {
            case REQUEST_LINE_TOO_LONG -> "the request line is longer than " + requestLineBytes + " bytes";
            case HEADER_LINE_TOO_LONG -> "a header line is longer than " + headerLineBytes + " bytes";
            case HEADERS_TOO_LARGE -> "the header section is longer than " + headerBytes + " bytes";
            case BAD_CHUNK_EXTENSION -> "a chunk extension is longer than " + chunkExtensionBytes + " bytes";
            default -> "a trailer line is longer than " + headerLineBytes + " bytes, or the trailers than " + headerBytes;
        });
    }

    /**
     * An array holding the line at buffer index {@code index}: the buffer's own when it has one,
     * else a copy, in this thread's scratch array, of the line and of what follows it up to
     * {@link #WINDOW} bytes, so that the next lines of the head are usually there already.
     */
    private byte[] lineBytes(final ByteBuf in, final int index, final int length)
    {
        if (in.hasArray())
        {
            return in.array();
        }
        if (window == null || index < windowStart || index + length > windowEnd)
        {
            final int copied = Math.max(length, Math.min(in.writerIndex() - index, WINDOW));
            byte[] scratch = window != null ? window : SCRATCH.get();
            if (scratch.length < copied)
            {
                scratch = new byte[copied];
                SCRATCH.set(scratch);
            }
            in.getBytes(index, scratch, 0, copied);
            window = scratch;
            windowStart = index;
            windowEnd = index + copied;
        }
        return window;
    }

    /** Where {@link #lineBytes} has the byte at buffer index {@code index}. */
    private int lineOffset(final ByteBuf in, final int index)
    {
        return in.hasArray() ? in.arrayOffset() + index : index - windowStart;
    }

    private void refuse(final ByteBuf in, final List<Object> out, final RequestRefusedException refused)
    {
        final boolean headHandedOn = state >= FIXED_BODY;
        in.skipBytes(in.readableBytes());
        requestDone();
        state = DISCARD;
        if (headHandedOn)
        {
            final DefaultLastHttpContent failed = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
            failed.setDecoderResult(DecoderResult.failure(refused));
            out.add(failed);
            return;
        }
        final DefaultHttpRequest placeholder = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request",
            HEADERS.newHeaders());
        placeholder.setDecoderResult(DecoderResult.failure(refused));
        if (methods != null)
        {
            methods.add(HttpMethod.GET);
        }
        out.add(placeholder);
    }

    private void requestDone()
    {
        state = REQUEST_START;
        scanned = 0;
        emptyLineBytes = 0;
        request = null;
        headers = null;
        sectionBytes = 0;
        fields = 0;
        contentLength = -1;
        remaining = 0;
        sizeDigits = false;
        codings.reset();
        trailers = null;
    }
}
