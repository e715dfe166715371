package io.sluice.control.cli;

/**
 * An operation failed or was refused; the message is the one line printed after "sluice: ",
 * the exit code {@link #EXIT_FAILED} unless said otherwise.
 */
public final class CliException extends RuntimeException
{
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CliException(final String message)
    {
        this(message, EXIT_FAILED);
    }

    public CliException(final String message, final int exitCode)
    {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode()
    {
        return exitCode;
    }
}
