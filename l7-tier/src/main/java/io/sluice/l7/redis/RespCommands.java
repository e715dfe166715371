package io.sluice.l7.redis;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

import java.nio.charset.StandardCharsets;

/**
 * Commands in RESP (an array of bulk strings), written straight into one buffer: a decision's
 * {@code EVALSHA} is the per-request path, so it takes no message objects, no strings for its
 * numbers and no copy of its key (Netty's {@code RedisEncoder} would want a message tree of each).
 */
final class RespCommands
{
    /**
     * Every key the limiter writes starts with this, so a Redis shared with other programs shows
     * whose keys they are ({@code SCAN 0 MATCH sluice:rl:*}).
     */
    static final String KEY_PREFIX = "sluice:rl:";
    private static final byte[] PREFIX = KEY_PREFIX.getBytes(StandardCharsets.US_ASCII);
    /** {@code EVALSHA <sha> 1} and the array's length: the same for every decision. */
    private static final byte[] EVALSHA_HEAD = ("*7\r\n$7\r\nEVALSHA\r\n$40\r\n" + GcraScript.SHA1 + "\r\n$1\r\n1\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    /** Room for the three numbers' bulk strings (19 digits each at most) and the key's header. */
    private static final int NUMBERS_AND_HEADERS = 3 * (1 + 2 + 2 + 19 + 2) + 1 + 10 + 2 + 2;

    private RespCommands()
    {
    }

    /** {@code EVALSHA <GCRA> 1 sluice:rl:<key> <interval> <burst> <cost>}; every number non-negative. */
    static ByteBuf decision(final ByteBufAllocator allocator, final String key, final long intervalNanos, final int burst,
        final int cost)
    {
        final int keyBytes = ByteBufUtil.utf8Bytes(key);
        final ByteBuf out = allocator.ioBuffer(EVALSHA_HEAD.length + PREFIX.length + keyBytes + NUMBERS_AND_HEADERS);
        out.writeBytes(EVALSHA_HEAD);
        out.writeByte('$');
        decimal(out, PREFIX.length + keyBytes);
        crlf(out);
        out.writeBytes(PREFIX);
        ByteBufUtil.reserveAndWriteUtf8(out, key, keyBytes);
        crlf(out);
        bulkNumber(out, intervalNanos);
        bulkNumber(out, burst);
        bulkNumber(out, cost);
        return out;
    }

    /** Any command (the handshake's, {@code SCRIPT LOAD}): not per request, so simply. */
    static ByteBuf command(final ByteBufAllocator allocator, final String... arguments)
    {
        final ByteBuf out = allocator.ioBuffer();
        out.writeByte('*');
        decimal(out, arguments.length);
        crlf(out);
        for (final String argument : arguments)
        {
            final int bytes = ByteBufUtil.utf8Bytes(argument);
            out.writeByte('$');
            decimal(out, bytes);
            crlf(out);
            ByteBufUtil.reserveAndWriteUtf8(out, argument, bytes);
            crlf(out);
        }
        return out;
    }

    private static void bulkNumber(final ByteBuf out, final long value)
    {
        out.writeByte('$');
        decimal(out, digits(value));
        crlf(out);
        decimal(out, value);
        crlf(out);
    }

    /** {@code value} (not negative) in decimal ASCII. */
    private static void decimal(final ByteBuf out, final long value)
    {
        final int digits = digits(value);
        out.ensureWritable(digits);
        final int start = out.writerIndex();
        long rest = value;
        for (int i = digits - 1; i >= 0; i--)
        {
            out.setByte(start + i, '0' + (int)(rest % 10));
            rest /= 10;
        }
        out.writerIndex(start + digits);
    }

    private static int digits(final long value)
    {
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10)
        {
            digits++;
        }
        return digits;
    }

    private static void crlf(final ByteBuf out)
    {
        out.writeShort(('\r' << 8) | '\n');
    }
}
