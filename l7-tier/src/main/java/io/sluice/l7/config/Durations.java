package io.sluice.l7.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the file writes them: an integer and one unit, {@code 250ms}, {@code 5s},
 * {@code 2m}, {@code 1h}. One unit only ({@code 1m30s} is {@code 90s}): it is all a timeout
 * needs, and it leaves nothing to misread.
 */
final class Durations
{
    /** Nine digits at most, so even hours stay far inside a {@link Duration}. */
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

    private Durations()
    {
    }

    /** @throws IllegalArgumentException whose message is the whole reason. */
    static Duration parse(final String text)
    {
        final Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches())
        {
            throw new IllegalArgumentException("'" + text + "' is not a duration (an integer and ms, s, m or h: 250ms, 5s, 2m, 1h)");
        }
        final long amount = Long.parseLong(matcher.group(1));
        if (amount == 0)
        {
            throw new IllegalArgumentException("'" + text + "' is not positive");
        }
        return switch (matcher.group(2))
        {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }
}
