package io.sluice.control.warmup;

import java.time.Duration;

/**
 * How long a warm-up lasts: a fixed time ({@code --warm-up 8}: minimum and maximum equal), or
 * until the JIT has settled ({@code --warm-up auto}, {@link JitSettling}), not shorter than the
 * minimum and not longer than the maximum.
 *
 * @param minimum at least this long; a share of it is run with an access log.
 * @param maximum at most this long.
 */
public record WarmUpLength(Duration minimum, Duration maximum)
{
    /** {@code --warm-up auto}'s shortest: the length of the fixed default, so that auto never warms less. */
    public static final Duration AUTO_MINIMUM = Duration.ofSeconds(8);

    public WarmUpLength
    {
        if (minimum.isNegative() || minimum.isZero() || maximum.compareTo(minimum) < 0)
        {
            throw new IllegalArgumentException("a warm-up of " + minimum + " to " + maximum);
        }
    }

    /** Exactly {@code duration}, whatever the JIT does. */
    public static WarmUpLength fixed(final Duration duration)
    {
        return new WarmUpLength(duration, duration);
    }

    /** Until the JIT settles, from {@link #AUTO_MINIMUM} (or {@code maximum} if it is shorter) to {@code maximum}. */
    public static WarmUpLength untilJitSettles(final Duration maximum)
    {
        return new WarmUpLength(maximum.compareTo(AUTO_MINIMUM) < 0 ? maximum : AUTO_MINIMUM, maximum);
    }

    /** Whether it lasts a fixed time, and the JIT is not asked. */
    public boolean isFixed()
    {
        return minimum.equals(maximum);
    }

    /** {@code 8 s} or {@code until the JIT settles (8-60 s)}, for the line before it starts. */
    public String describe()
    {
        return isFixed() ? "for " + maximum.toSeconds() + " s"
            : "until the JIT settles (" + minimum.toSeconds() + "-" + maximum.toSeconds() + " s)";
    }
}
