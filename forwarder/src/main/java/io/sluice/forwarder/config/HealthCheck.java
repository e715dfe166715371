package io.sluice.forwarder.config;

import java.util.Locale;

/**
 * How a VIP's reals are checked: not at all, by a TCP connect, or by an HTTP GET that must
 * answer with the expected status and, optionally, contain a substring in its body. A real goes
 * down after {@code fall} failed checks in a row and comes back after {@code rise} good ones.
 *
 * <p>Written as one token, the check's kind then {@code key=value} settings, each optional:
 * {@code tcp}, {@code http,path=/healthz,status=200,body=ok,interval=2s,timeout=1s,rise=2,fall=3}
 * (HAProxy's inter/rise/fall, Envoy's interval/timeout, in one place). The same token is the CLI's
 * {@code --health}, the saved configuration's and the command's wire form.
 */
public record HealthCheck(Kind kind, String path, int expectStatus, String bodyContains, int intervalMs, int timeoutMs, int rise, int fall)
{
    /** What a check does. */
    public enum Kind
    {
        NONE, TCP, HTTP;

        public String label()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final HealthCheck NONE = new HealthCheck(Kind.NONE, "/", 200, null, 2000, 1000, 2, 3);
    public static final int MIN_INTERVAL_MS = 100;
    public static final int MAX_INTERVAL_MS = 3_600_000;
    public static final int MAX_COUNT = 100;
    public static final int MAX_TEXT = 200;

    public HealthCheck
    {
        if (intervalMs < MIN_INTERVAL_MS || intervalMs > MAX_INTERVAL_MS)
        {
            throw new ConfigException("health check interval " + intervalMs + "ms is outside " + MIN_INTERVAL_MS + "ms-1h");
        }
        if (timeoutMs < 1 || timeoutMs > intervalMs)
        {
            throw new ConfigException("health check timeout " + timeoutMs + "ms must be from 1ms to the interval (" + intervalMs + "ms)");
        }
        if (rise < 1 || rise > MAX_COUNT || fall < 1 || fall > MAX_COUNT)
        {
            throw new ConfigException("health check rise and fall must be 1-" + MAX_COUNT + ", not " + rise + " and " + fall);
        }
        if (expectStatus < 100 || expectStatus > 599)
        {
            throw new ConfigException("health check status " + expectStatus + " is not an HTTP status (100-599)");
        }
        checkText("path", path);
        if (!path.startsWith("/"))
        {
            throw new ConfigException("health check path '" + path + "' must start with '/'");
        }
        if (bodyContains != null)
        {
            checkText("body", bodyContains);
        }
    }

    /** @throws ConfigException naming the setting that is wrong. */
    public static HealthCheck parse(final String text)
    {
        final String[] parts = text.split(",", -1);
        final Kind kind = switch (parts[0])
        {
            case "none" -> Kind.NONE;
            case "tcp" -> Kind.TCP;
            case "http" -> Kind.HTTP;
            default -> throw new ConfigException("unknown health check '" + parts[0] + "' (expected none, tcp or http[,key=value...])");
        };
        String path = NONE.path;
        int status = NONE.expectStatus;
        String body = null;
        int interval = NONE.intervalMs;
        int timeout = -1;
        int rise = NONE.rise;
        int fall = NONE.fall;
        for (int i = 1; i < parts.length; i++)
        {
            final int equals = parts[i].indexOf('=');
            if (equals <= 0)
            {
                throw new ConfigException("health check setting '" + parts[i] + "' is not key=value");
            }
            final String key = parts[i].substring(0, equals);
            final String value = parts[i].substring(equals + 1);
            if (kind != Kind.HTTP && (key.equals("path") || key.equals("status") || key.equals("body")))
            {
                throw new ConfigException("health check setting '" + key + "' applies to http checks only");
            }
            switch (key)
            {
                case "path" -> path = value;
                case "status" -> status = integer(key, value);
                case "body" -> body = value;
                case "interval" -> interval = millis(key, value);
                case "timeout" -> timeout = millis(key, value);
                case "rise" -> rise = integer(key, value);
                case "fall" -> fall = integer(key, value);
                default -> throw new ConfigException(
                    "unknown health check setting '" + key + "' (expected path, status, body, interval, timeout, rise or fall)");
            }
        }
        return new HealthCheck(kind, path, status, body, interval, timeout < 0 ? Math.min(NONE.timeoutMs, interval) : timeout, rise, fall);
    }

    /** The token {@link #parse} reads back to an equal check. */
    public String format()
    {
        if (kind == Kind.NONE)
        {
            return "none";
        }
        final StringBuilder text = new StringBuilder(kind.label());
        if (kind == Kind.HTTP)
        {
            text.append(",path=").append(path).append(",status=").append(expectStatus);
            if (bodyContains != null)
            {
                text.append(",body=").append(bodyContains);
            }
        }
        return text.append(",interval=").append(intervalMs).append("ms,timeout=").append(timeoutMs)
            .append("ms,rise=").append(rise).append(",fall=").append(fall).toString();
    }

    public boolean enabled()
    {
        return kind != Kind.NONE;
    }

    private static void checkText(final String name, final String value)
    {
        if (value.isEmpty() || value.length() > MAX_TEXT || !value.chars().allMatch((c) -> c > ' ' && c < 0x7F && c != ','))
        {
            throw new ConfigException("health check " + name + " '" + value + "' must be 1-" + MAX_TEXT +
                " printable ASCII characters without spaces or commas");
        }
    }

    private static int integer(final String key, final String value)
    {
        if (!value.matches("[0-9]{1,9}"))
        {
            throw new ConfigException("health check " + key + " '" + value + "' is not a number");
        }
        return Integer.parseInt(value);
    }

    /** "500ms", "2s" or a bare number of milliseconds. */
    private static int millis(final String key, final String value)
    {
        if (value.matches("[0-9]{1,7}ms"))
        {
            return Integer.parseInt(value.substring(0, value.length() - 2));
        }
        if (value.matches("[0-9]{1,4}s"))
        {
            return Integer.parseInt(value.substring(0, value.length() - 1)) * 1000;
        }
        if (value.matches("[0-9]{1,7}"))
        {
            return Integer.parseInt(value);
        }
        throw new ConfigException("health check " + key + " '" + value + "' is not a duration (e.g. 500ms or 2s)");
    }
}
