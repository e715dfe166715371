package io.sluice.forwarder.cnc;

/**
 * The control file cannot be used: no forwarder, a dead one, or a file of another version.
 * The message is one line for the user, e.g. {@code "no forwarder running at /run/sluice (no sluice.cnc)"}.
 */
public final class ControlFileException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public ControlFileException(final String message)
    {
        super(message);
    }

    public ControlFileException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
