package io.sluice.l7.config;

/**
 * A configuration that cannot be used, with a one-line message naming where: {@code FILE:LINE:
 * FIELD: reason}, e.g. {@code l7.yaml:12: routes[0].to[1].pool: no pool 'api-v3'}.
 */
public final class ConfigException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public ConfigException(final String message)
    {
        super(message);
    }
}
