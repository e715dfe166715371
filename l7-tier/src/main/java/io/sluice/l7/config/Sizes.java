package io.sluice.l7.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as the file writes them: a number of bytes, alone or with one binary unit, {@code 8192},
 * {@code 512B}, {@code 8KiB}, {@code 1MiB}, {@code 1GiB}. Binary units only: {@code KB} means
 * 1000 to some readers and 1024 to others, so it is refused rather than guessed.
 */
final class Sizes
{
    static final long KIB = 1024;
    static final long MIB = 1024 * KIB;
    static final long GIB = 1024 * MIB;
    /** Any number of digits: a value past a long is refused as too large, not as malformed. */
    private static final Pattern SIZE = Pattern.compile("([0-9]+)(B|KiB|MiB|GiB)?");
    /** What a reader used to decimal or shortened units might write, for a message that says what to write instead. */
    private static final Pattern OTHER_UNIT = Pattern.compile("[0-9]+ *(?i:[kmgt]i?b?|b)");

    private Sizes()
    {
    }

    /**
     * @return the size in bytes; zero is a size.
     * @throws IllegalArgumentException whose message is the whole reason.
     */
    static long parse(final String text)
    {
        final Matcher matcher = SIZE.matcher(text);
        if (!matcher.matches())
        {
            final String units = OTHER_UNIT.matcher(text).matches()
                ? " (the units are B, KiB, MiB and GiB, powers of 1024, with no space: 8KiB)"
                : " (bytes, or an integer and B, KiB, MiB or GiB: 512, 8KiB, 1MiB)";
            throw new IllegalArgumentException("'" + text + "' is not a size" + units);
        }
        final String unit = matcher.group(2);
        final long multiplier = unit == null ? 1 : switch (unit)
        {
            case "B" -> 1;
            case "KiB" -> KIB;
            case "MiB" -> MIB;
            default -> GIB;
        };
        try
        {
            return Math.multiplyExact(Long.parseLong(matcher.group(1)), multiplier);
        }
        catch (final NumberFormatException | ArithmeticException ex)
        {
            throw new IllegalArgumentException("'" + text + "' is too large (at most " + Long.MAX_VALUE + " bytes)");
        }
    }

    /** A size in the largest unit that writes it exactly, as the file would: {@code 1MiB}, {@code 1536B}. */
    static String format(final long bytes)
    {
        if (bytes != 0 && bytes % GIB == 0)
        {
            return bytes / GIB + "GiB";
        }
        if (bytes != 0 && bytes % MIB == 0)
        {
            return bytes / MIB + "MiB";
        }
        if (bytes != 0 && bytes % KIB == 0)
        {
            return bytes / KIB + "KiB";
        }
        return bytes + "B";
    }
}
