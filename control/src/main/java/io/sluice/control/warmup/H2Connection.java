package io.sluice.control.warmup;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/2 client connection of the warm-up's load on a blocking socket: cleartext by prior
 * knowledge (h2c, RFC 9113 3.3) or over a TLS socket that negotiated {@code h2} by ALPN; the
 * frames are the same, only {@code :scheme} differs. GETs of / are sent several streams at a
 * time, each read until its END_STREAM. Only what that needs is here: the preface, SETTINGS and
 * PING acknowledged, the connection's flow-control window given back, a header block of
 * static-table entries and one literal (no HPACK state), answers counted by their end, not decoded.
 */
final class H2Connection implements AutoCloseable
{
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int RST_STREAM = 0x3;
    private static final int SETTINGS = 0x4;
    private static final int PING = 0x6;
    private static final int GOAWAY = 0x7;
    private static final int WINDOW_UPDATE = 0x8;
    private static final int END_STREAM = 0x1;
    private static final int ACK = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int FRAME_HEADER_BYTES = 9;
    private static final String AUTHORITY = "warm-up.sluice";
    /** The HPACK static table's entries for {@code :scheme http} and {@code :scheme https} (RFC 7541 appendix A). */
    private static final int SCHEME_HTTP = 6;
    private static final int SCHEME_HTTPS = 7;
    /** The flow-control window is given back once this much DATA has been read. */
    private static final int WINDOW_RETURN_BYTES = 16_384;

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    /**
     * :method GET, :scheme, :path / (static table entries 2, 6 or 7, and 4), then :authority as a
     * literal without indexing whose name is static entry 1 (RFC 7541 6.1, 6.2.2).
     */
    private final byte[] getHeaderBlock;
    private int nextStreamId = 1;
    private int unacknowledgedDataBytes;

    /**
     * Sends the preface on {@code connected} (closed with this connection, or at once should the preface fail).
     *
     * @param overTls whether it is a TLS socket (its handshake done, h2 chosen): {@code :scheme https}.
     */
    H2Connection(final Socket connected, final boolean overTls) throws IOException
    {
        socket = connected;
        getHeaderBlock = headerBlock(overTls ? SCHEME_HTTPS : SCHEME_HTTP);
        try
        {
            out = socket.getOutputStream();
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            out.write(PREFACE);
            out.write(frame(SETTINGS, 0, 0, new byte[0]));
            out.flush();
        }
        catch (final IOException ex)
        {
            socket.close();
            throw ex;
        }
    }

    /**
     * Sends {@code streams} GETs at once and reads until each has ended.
     *
     * @return how many ended with a reset instead of an answer.
     * @throws IOException when the connection ends or the proxy sends GOAWAY first.
     */
    int getAll(final int streams) throws IOException
    {
        for (int i = 0; i < streams; i++)
        {
            out.write(frame(HEADERS, END_STREAM | END_HEADERS, nextStreamId, getHeaderBlock));
            nextStreamId += 2;
        }
        out.flush();
        int open = streams;
        int reset = 0;
        while (open > 0)
        {
            final int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
            final int type = in.readUnsignedByte();
            final int flags = in.readUnsignedByte();
            final int streamId = in.readInt() & Integer.MAX_VALUE;
            final byte[] payload = in.readNBytes(length);
            if (payload.length < length)
            {
                throw new IOException("the proxy closed the HTTP/2 connection in the middle of a frame");
            }
            switch (type)
            {
                case DATA -> returnWindow(length);
                case SETTINGS, PING -> acknowledge(type, flags, payload);
                case RST_STREAM -> reset++;
                case GOAWAY -> throw new IOException("the proxy sent GOAWAY");
                default ->
                {
                    // HEADERS, WINDOW_UPDATE: nothing to answer
                }
            }
            if (streamId != 0 && (type == RST_STREAM || (type == DATA || type == HEADERS) && (flags & END_STREAM) != 0))
            {
                open--;
            }
        }
        return reset;
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }

    private void acknowledge(final int type, final int flags, final byte[] payload) throws IOException
    {
        if ((flags & ACK) == 0)
        {
            out.write(frame(type, ACK, 0, type == PING ? payload : new byte[0]));
        }
    }

    private void returnWindow(final int length) throws IOException
    {
        unacknowledgedDataBytes += length;
        if (unacknowledgedDataBytes >= WINDOW_RETURN_BYTES)
        {
            out.write(frame(WINDOW_UPDATE, 0, 0, ByteBuffer.allocate(4).putInt(unacknowledgedDataBytes).array()));
            unacknowledgedDataBytes = 0;
        }
    }

    private static byte[] frame(final int type, final int flags, final int streamId, final byte[] payload)
    {
        return ByteBuffer.allocate(FRAME_HEADER_BYTES + payload.length)
            .put((byte)(payload.length >>> 16)).put((byte)(payload.length >>> 8)).put((byte)payload.length)
            .put((byte)type).put((byte)flags).putInt(streamId).put(payload)
            .array();
    }

    /** Each static entry as an indexed field (its index with the high bit set). */
    private static byte[] headerBlock(final int scheme)
    {
        final byte[] authority = AUTHORITY.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(5 + authority.length)
            .put((byte)0x82).put((byte)(0x80 | scheme)).put((byte)0x84)
            .put((byte)0x01).put((byte)authority.length).put(authority)
            .array();
    }
}
