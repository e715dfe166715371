package io.sluice.forwarder.command;

/**
 * {@link CommandTypes#REPLY_CONFIG}: one chunk of the configuration text (UTF-8 bytes of
 * {@link io.sluice.forwarder.config.ConfigText#format}).
 * <pre>
 *   0: long correlation id of the GET_CONFIG answered
 *   8: long configuration version: changes whenever the configuration does, so a client that
 *           reads several chunks can tell the text changed under it and start again
 *  16: int  total length of the text in bytes
 *  20: int  byte offset of this chunk in the text
 *  24: int  chunk length
 *  28: the chunk's bytes
 * </pre>
 */
public final class ConfigReplyFlyweight extends CommandFlyweight
{
    public static final int CONFIG_VERSION_OFFSET = 8;
    public static final int TOTAL_LENGTH_OFFSET = 16;
    public static final int CHUNK_OFFSET_OFFSET = 20;
    public static final int CHUNK_LENGTH_OFFSET = 24;
    public static final int HEADER_LENGTH = CHUNK_LENGTH_OFFSET + 4;

    public ConfigReplyFlyweight()
    {
        super(VARIABLE_LENGTH);
    }

    @Override
    public boolean isComplete()
    {
        if (length < HEADER_LENGTH)
        {
            return false;
        }
        final int chunkLength = chunkLength();
        return chunkLength >= 0 && HEADER_LENGTH + chunkLength <= length &&
            totalLength() >= 0 && chunkOffset() >= 0 && (long)chunkOffset() + chunkLength <= totalLength();
    }

    @Override
    public int encodedLength()
    {
        return HEADER_LENGTH + chunkLength();
    }

    public long configVersion()
    {
        return buffer.getLong(offset + CONFIG_VERSION_OFFSET);
    }

    public void configVersion(final long version)
    {
        buffer.putLong(offset + CONFIG_VERSION_OFFSET, version);
    }

    public int totalLength()
    {
        return buffer.getInt(offset + TOTAL_LENGTH_OFFSET);
    }

    public void totalLength(final int totalLength)
    {
        buffer.putInt(offset + TOTAL_LENGTH_OFFSET, totalLength);
    }

    public int chunkOffset()
    {
        return buffer.getInt(offset + CHUNK_OFFSET_OFFSET);
    }

    public void chunkOffset(final int chunkOffset)
    {
        buffer.putInt(offset + CHUNK_OFFSET_OFFSET, chunkOffset);
    }

    public int chunkLength()
    {
        return buffer.getInt(offset + CHUNK_LENGTH_OFFSET);
    }

    /** Copies the chunk into {@code destination} at {@code destinationOffset}. */
    public void getChunk(final byte[] destination, final int destinationOffset)
    {
        buffer.getBytes(offset + HEADER_LENGTH, destination, destinationOffset, chunkLength());
    }

    /** Writes {@code count} bytes of {@code text} from {@code textOffset} as the chunk. */
    public void chunk(final byte[] text, final int textOffset, final int count)
    {
        if (HEADER_LENGTH + count > length)
        {
            throw new IllegalArgumentException("chunk of " + count + " bytes does not fit in the message");
        }
        buffer.putInt(offset + CHUNK_LENGTH_OFFSET, count);
        buffer.putBytes(offset + HEADER_LENGTH, text, textOffset, count);
    }
}
