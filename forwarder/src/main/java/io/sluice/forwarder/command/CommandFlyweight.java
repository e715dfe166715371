package io.sluice.forwarder.command;

import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Base of the control protocol's flyweights: a view over one message in a buffer, made once and
 * re-pointed with {@link #wrap} for every message, so reading commands allocates nothing but the
 * values a caller asks for. The correlation id is the first field of every message.
 *
 * <p>A reader must call {@link #isComplete()} before any getter: the message came from another
 * process and its length is not trusted. Strings are a 32-bit byte count followed by UTF-8 bytes.
 */
public abstract class CommandFlyweight
{
    public static final int CORRELATION_ID_OFFSET = 0;
    /** Longest string field accepted, so a corrupt length cannot ask for a huge allocation. */
    public static final int MAX_STRING_BYTES = 64 * 1024;
    /** Passed to the constructor by messages whose length depends on their strings or data. */
    protected static final int VARIABLE_LENGTH = -1;

    protected MutableDirectBuffer buffer;
    protected int offset;
    protected int length;

    private final int fixedLength;

    /**
     * @param fixedLength the length of every message of this type, so {@link #isComplete()} and
     *                    {@link #encodedLength()} need no override; or {@link #VARIABLE_LENGTH},
     *                    and the subclass overrides both.
     */
    protected CommandFlyweight(final int fixedLength)
    {
        this.fixedLength = fixedLength;
    }

    /**
     * Points this flyweight at a message. For reading, {@code length} is the message length;
     * for writing, the room available (see {@link #encodedLength()} for what was used).
     */
    @SuppressWarnings("unchecked")
    public <T extends CommandFlyweight> T wrap(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return (T)this;
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    /** Whether at least the correlation id is present, so even a malformed message can be answered. */
    public boolean hasCorrelationId()
    {
        return length >= Long.BYTES;
    }

    public long correlationId()
    {
        return buffer.getLong(offset + CORRELATION_ID_OFFSET);
    }

    public void correlationId(final long correlationId)
    {
        buffer.putLong(offset + CORRELATION_ID_OFFSET, correlationId);
    }

    /** @return whether every field of the message lies within its length. */
    public boolean isComplete()
    {
        return fixedLength != VARIABLE_LENGTH && length >= fixedLength;
    }

    /** @return the bytes of the message as written so far (fixed fields and strings set). */
    public int encodedLength()
    {
        if (fixedLength == VARIABLE_LENGTH)
        {
            throw new IllegalStateException(getClass().getSimpleName() + " must override encodedLength()");
        }
        return fixedLength;
    }

    /** @return the offset just past the string field at {@code fieldOffset}, or -1 if it does not fit. */
    protected int stringEnd(final int fieldOffset)
    {
        if (fieldOffset < 0 || fieldOffset + Integer.BYTES > length)
        {
            return -1;
        }
        final int bytes = buffer.getInt(offset + fieldOffset);
        if (bytes < 0 || bytes > MAX_STRING_BYTES || fieldOffset + Integer.BYTES + bytes > length)
        {
            return -1;
        }
        return fieldOffset + Integer.BYTES + bytes;
    }

    /** Reads the string at {@code fieldOffset}; the caller checked it with {@link #stringEnd}. */
    protected String getString(final int fieldOffset)
    {
        final int bytes = buffer.getInt(offset + fieldOffset);
        final byte[] utf8 = new byte[bytes];
        buffer.getBytes(offset + fieldOffset + Integer.BYTES, utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /**
     * Writes a string at {@code fieldOffset}.
     *
     * @return the offset just past it.
     * @throws IllegalArgumentException if it is longer than {@link #MAX_STRING_BYTES} or does not fit.
     */
    protected int putString(final int fieldOffset, final String value)
    {
        final byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_STRING_BYTES || fieldOffset + Integer.BYTES + utf8.length > length)
        {
            throw new IllegalArgumentException("string of " + utf8.length + " bytes does not fit in the message");
        }
        buffer.putInt(offset + fieldOffset, utf8.length);
        buffer.putBytes(offset + fieldOffset + Integer.BYTES, utf8);
        return fieldOffset + Integer.BYTES + utf8.length;
    }
}
