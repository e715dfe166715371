package io.sluice.control.declarative;

import io.sluice.forwarder.config.HealthCheck;

/**
 * A health check in the fewest words the CLI's {@code --health} reads back to the same check:
 * its kind and only the settings that differ from their defaults ({@code tcp},
 * {@code http,path=/healthz,interval=500ms}), for a file a person reads and a diff line that
 * shows what changed rather than every default.
 */
final class HealthWords
{
    private static final int MS_PER_S = 1000;

    private HealthWords()
    {
    }

    static String brief(final HealthCheck check)
    {
        if (!check.enabled())
        {
            return "none";
        }
        final HealthCheck defaults = HealthCheck.parse(check.kind().label());
        final StringBuilder text = new StringBuilder(check.kind().label());
        if (check.kind() == HealthCheck.Kind.HTTP)
        {
            setting(text, "path", check.path(), defaults.path());
            setting(text, "status", Integer.toString(check.expectStatus()), Integer.toString(defaults.expectStatus()));
            if (check.bodyContains() != null)
            {
                text.append(",body=").append(check.bodyContains());
            }
        }
        setting(text, "interval", duration(check.intervalMs()), duration(defaults.intervalMs()));
        // Left out, the timeout is the default or the interval, whichever is shorter (see HealthCheck.parse).
        setting(text, "timeout", duration(check.timeoutMs()), duration(Math.min(defaults.timeoutMs(), check.intervalMs())));
        setting(text, "rise", Integer.toString(check.rise()), Integer.toString(defaults.rise()));
        setting(text, "fall", Integer.toString(check.fall()), Integer.toString(defaults.fall()));
        return text.toString();
    }

    private static void setting(final StringBuilder text, final String key, final String value, final String defaultValue)
    {
        if (!value.equals(defaultValue))
        {
            text.append(',').append(key).append('=').append(value);
        }
    }

    private static String duration(final int ms)
    {
        return ms % MS_PER_S == 0 ? ms / MS_PER_S + "s" : ms + "ms";
    }
}
