package io.sluice.control.top;

/** An L7 admin endpoint that could not be read, in one line for the user. */
public final class L7AdminException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public L7AdminException(final String message)
    {
        super(message);
    }

    public L7AdminException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
