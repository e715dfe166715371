package io.sluice.forwarder.command;

/**
 * {@link CommandTypes#REPLY_OK} / {@link CommandTypes#REPLY_ERROR}:
 * <pre>
 *   0: long   correlation id of the command answered
 *   8: int    status ({@link CommandTypes#STATUS_OK}, ...)
 *  12: string one-line message for the user
 * </pre>
 */
public final class ReplyFlyweight extends CommandFlyweight
{
    public static final int STATUS_OFFSET = 8;
    public static final int MESSAGE_OFFSET = 12;

    public ReplyFlyweight()
    {
        super(VARIABLE_LENGTH);
    }

    @Override
    public boolean isComplete()
    {
        return stringEnd(MESSAGE_OFFSET) > 0;
    }

    @Override
    public int encodedLength()
    {
        return stringEnd(MESSAGE_OFFSET);
    }

    public int status()
    {
        return buffer.getInt(offset + STATUS_OFFSET);
    }

    public void status(final int status)
    {
        buffer.putInt(offset + STATUS_OFFSET, status);
    }

    public String message()
    {
        return getString(MESSAGE_OFFSET);
    }

    public void message(final String message)
    {
        putString(MESSAGE_OFFSET, message);
    }
}
