package io.sluice.forwarder.config;

/**
 * A configuration value that cannot be accepted. Its message is one line meant for the user,
 * e.g. {@code "unknown mode 'foo' (expected dsr, tunnel, gue or nat)"}.
 */
public final class ConfigException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public ConfigException(final String message)
    {
        super(message);
    }
}
