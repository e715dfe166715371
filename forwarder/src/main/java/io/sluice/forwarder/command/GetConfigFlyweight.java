package io.sluice.forwarder.command;

/**
 * {@link CommandTypes#GET_CONFIG}: asks for the configuration text from a byte offset on.
 * <pre>
 *   0: long correlation id
 *   8: int  byte offset into the configuration text
 * </pre>
 * The text can outgrow one broadcast message, and the broadcast buffer has no back-pressure,
 * so the client pulls it a chunk at a time: each request is answered by one
 * {@link ConfigReplyFlyweight} and the client asks for the next offset only after reading it.
 */
public final class GetConfigFlyweight extends CommandFlyweight
{
    public static final int TEXT_OFFSET_OFFSET = 8;
    public static final int LENGTH = TEXT_OFFSET_OFFSET + 4;

    public GetConfigFlyweight()
    {
        super(LENGTH);
    }

    public int textOffset()
    {
        return buffer.getInt(offset + TEXT_OFFSET_OFFSET);
    }

    public void textOffset(final int textOffset)
    {
        buffer.putInt(offset + TEXT_OFFSET_OFFSET, textOffset);
    }
}
