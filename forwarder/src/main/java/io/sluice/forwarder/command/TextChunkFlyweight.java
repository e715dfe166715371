package io.sluice.forwarder.command;

/**
 * Base of the messages that carry a chunk of the configuration text, one way or the other
 * ({@link ConfigReplyFlyweight} from the forwarder, {@link ConfigPutFlyweight} to it): after the
 * message's own fields, at {@code chunkFieldsOffset},
 * <pre>
 *  +0: int total length of the text in bytes
 *  +4: int byte offset of this chunk in the text
 *  +8: int chunk length
 * +12: the chunk's bytes
 * </pre>
 */
public abstract class TextChunkFlyweight extends CommandFlyweight
{
    private final int totalLengthOffset;
    private final int chunkOffsetOffset;
    private final int chunkLengthOffset;
    private final int headerLength;

    /** @param chunkFieldsOffset where the total length field starts, after the message's own fields. */
    protected TextChunkFlyweight(final int chunkFieldsOffset)
    {
        super(VARIABLE_LENGTH);
        this.totalLengthOffset = chunkFieldsOffset;
        this.chunkOffsetOffset = chunkFieldsOffset + 4;
        this.chunkLengthOffset = chunkFieldsOffset + 8;
        this.headerLength = chunkFieldsOffset + 12;
    }

    @Override
    public boolean isComplete()
    {
        if (length < headerLength)
        {
            return false;
        }
        final int chunkLength = chunkLength();
        return chunkLength >= 0 && headerLength + chunkLength <= length &&
            totalLength() >= 0 && chunkOffset() >= 0 && (long)chunkOffset() + chunkLength <= totalLength();
    }

    @Override
    public int encodedLength()
    {
        return headerLength + chunkLength();
    }

    public int totalLength()
    {
        return buffer.getInt(offset + totalLengthOffset);
    }

    public void totalLength(final int totalLength)
    {
        buffer.putInt(offset + totalLengthOffset, totalLength);
    }

    public int chunkOffset()
    {
        return buffer.getInt(offset + chunkOffsetOffset);
    }

    public void chunkOffset(final int chunkOffset)
    {
        buffer.putInt(offset + chunkOffsetOffset, chunkOffset);
    }

    public int chunkLength()
    {
        return buffer.getInt(offset + chunkLengthOffset);
    }

    /** Copies the chunk into {@code destination} at {@code destinationOffset}. */
    public void getChunk(final byte[] destination, final int destinationOffset)
    {
        buffer.getBytes(offset + headerLength, destination, destinationOffset, chunkLength());
    }

    /** Writes {@code count} bytes of {@code text} from {@code textOffset} as the chunk. */
    public void chunk(final byte[] text, final int textOffset, final int count)
    {
        if (headerLength + count > length)
        {
            throw new IllegalArgumentException("chunk of " + count + " bytes does not fit in the message");
        }
        buffer.putInt(offset + chunkLengthOffset, count);
        buffer.putBytes(offset + headerLength, text, textOffset, count);
    }
}
