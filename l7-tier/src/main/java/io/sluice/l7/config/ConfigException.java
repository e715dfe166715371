package io.sluice.l7.config;

/**
 * A configuration that cannot be used, with a one-line message naming where: {@code FILE:LINE:
 * FIELD: reason}, e.g. {@code l7.yaml:12: routes[0].to[1].pool: no pool named 'api-v3'}.
 */
public final class ConfigException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public ConfigException(final String message)
    {
        super(message);
    }

    /**
     * The one-line form every file error takes, so they all read alike and tools can parse them.
     *
     * @param line  1-based, or 0 when unknown (then left out).
     * @param field the field's path ({@code routes[0].to[1].pool}), or empty for the whole file.
     */
    public static ConfigException at(final String source, final int line, final String field, final String reason)
    {
        final StringBuilder message = new StringBuilder(source);
        if (line > 0)
        {
            message.append(':').append(line);
        }
        message.append(": ");
        if (!field.isEmpty())
        {
            message.append(field).append(": ");
        }
        return new ConfigException(message.append(reason).toString());
    }
}
