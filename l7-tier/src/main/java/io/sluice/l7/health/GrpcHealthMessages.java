package io.sluice.l7.health;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The two protobuf messages of {@code grpc.health.v1.Health/Check}, encoded by hand (the
 * protocol is two one-field messages; a protobuf dependency would be the larger part of it), in
 * gRPC's length-prefixed framing.
 *
 * <pre>
 * message HealthCheckRequest  { string service = 1; }              // "" = the whole server
 * message HealthCheckResponse { ServingStatus status = 1; }         // enum: UNKNOWN 0, SERVING 1,
 *                                                                   // NOT_SERVING 2, SERVICE_UNKNOWN 3
 * gRPC message: 1 byte compressed flag (0), 4 bytes big-endian length, the message
 * </pre>
 */
final class GrpcHealthMessages
{
    static final String PATH = "/grpc.health.v1.Health/Check";
    static final int SERVING = 1;
    /** What {@link #servingStatus} returns for a message it cannot read. */
    static final int MALFORMED = -1;

    private static final int PREFIX_BYTES = 5;
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_LENGTH_DELIMITED = 2;
    private static final int WIRE_FIXED32 = 5;
    private static final String[] STATUS_NAMES = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};

    private GrpcHealthMessages()
    {
    }

    /** A framed HealthCheckRequest; an empty {@code service} asks about the whole server. */
    static byte[] request(final String service)
    {
        final byte[] name = service.getBytes(StandardCharsets.UTF_8);
        // proto3 leaves out a field at its default, so the whole-server request is an empty message.
        final byte[] message = name.length == 0 ? new byte[0] : concat(new byte[] {(byte)(1 << 3 | WIRE_LENGTH_DELIMITED)}, varint(name.length), name);
        return concat(prefix(message.length), message);
    }

    /** A framed HealthCheckResponse (the tests' server answers with it). */
    static byte[] response(final int servingStatus)
    {
        final byte[] message = servingStatus == 0 ? new byte[0] : concat(new byte[] {(byte)(1 << 3 | WIRE_VARINT)}, varint(servingStatus));
        return concat(prefix(message.length), message);
    }

    /**
     * The status field of a framed HealthCheckResponse: the first message in {@code framed},
     * unknown fields skipped, 0 (UNKNOWN) when absent; {@link #MALFORMED} when it is compressed
     * (the check never offers compression), truncated, or not protobuf.
     */
    static int servingStatus(final byte[] framed, final int length)
    {
        if (length < PREFIX_BYTES || framed[0] != 0)
        {
            return MALFORMED;
        }
        final long messageLength = (framed[1] & 0xFFL) << 24 | (framed[2] & 0xFF) << 16 | (framed[3] & 0xFF) << 8 | framed[4] & 0xFF;
        if (messageLength > length - PREFIX_BYTES)
        {
            return MALFORMED;
        }
        final Reader reader = new Reader(framed, PREFIX_BYTES, PREFIX_BYTES + (int)messageLength);
        int status = 0;
        while (reader.more())
        {
            final long key = reader.varint();
            final int field = (int)(key >>> 3);
            final int wire = (int)(key & 7);
            if (field == 1 && wire == WIRE_VARINT)
            {
                status = (int)reader.varint();
            }
            else if (!reader.skip(wire))
            {
                return MALFORMED;
            }
        }
        return reader.failed ? MALFORMED : status;
    }

    static String statusName(final int status)
    {
        return status >= 0 && status < STATUS_NAMES.length ? STATUS_NAMES[status] : "status " + status;
    }

    private static byte[] prefix(final int messageLength)
    {
        return new byte[] {0, (byte)(messageLength >>> 24), (byte)(messageLength >>> 16), (byte)(messageLength >>> 8), (byte)messageLength};
    }

    private static byte[] varint(final long value)
    {
        final byte[] bytes = new byte[10];
        int length = 0;
        long rest = value;
        while ((rest & ~0x7FL) != 0)
        {
            bytes[length++] = (byte)(rest & 0x7F | 0x80);
            rest >>>= 7;
        }
        bytes[length++] = (byte)rest;
        return Arrays.copyOf(bytes, length);
    }

    private static byte[] concat(final byte[]... parts)
    {
        int length = 0;
        for (final byte[] part : parts)
        {
            length += part.length;
        }
        final byte[] whole = new byte[length];
        int at = 0;
        for (final byte[] part : parts)
        {
            System.arraycopy(part, 0, whole, at, part.length);
            at += part.length;
        }
        return whole;
    }

    /** Reads protobuf wire format within [position, end); a read past the end sets {@code failed}. */
    private static final class Reader
    {
        private final byte[] bytes;
        private final int end;
        private int position;
        private boolean failed;

        Reader(final byte[] bytes, final int start, final int end)
        {
            this.bytes = bytes;
            this.position = start;
            this.end = end;
        }

        boolean more()
        {
            return !failed && position < end;
        }

        long varint()
        {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                if (position >= end)
                {
                    break;
                }
                final byte b = bytes[position++];
                value |= (long)(b & 0x7F) << shift;
                if (b >= 0)
                {
                    return value;
                }
            }
            failed = true;
            return 0;
        }

        boolean skip(final int wire)
        {
            final long length = switch (wire)
            {
                case WIRE_VARINT ->
                {
                    varint();
                    yield 0;
                }
                case WIRE_FIXED64 -> 8;
                case WIRE_LENGTH_DELIMITED -> varint();
                case WIRE_FIXED32 -> 4;
                default -> -1; // groups (3, 4) are not in these messages; anything else is not protobuf
            };
            if (failed || length < 0 || length > end - position)
            {
                return false;
            }
            position += (int)length;
            return true;
        }
    }
}
