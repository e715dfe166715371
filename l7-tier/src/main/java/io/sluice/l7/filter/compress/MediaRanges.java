package io.sluice.l7.filter.compress;

import java.util.List;

/**
 * A route's compressible media types, matched against a response's Content-Type without
 * allocating: {@code type/subtype}, {@code type/*} and {@code type/*+suffix} ({@code application/*+json}
 * takes {@code application/problem+json}), case-insensitive, parameters ignored.
 */
final class MediaRanges
{
    static final String EVENT_STREAM = "text/event-stream";

    private final String[] types;
    /** The subtype, or null for any ({@code *}) or any with {@link #suffixes}'s suffix. */
    private final String[] subtypes;
    /** {@code +json} for {@code type/*+json}, else null. */
    private final String[] suffixes;

    /** @param ranges as the configuration checked them: lower case, {@code type/(subtype|*|*+suffix)}. */
    MediaRanges(final List<String> ranges)
    {
        types = new String[ranges.size()];
        subtypes = new String[ranges.size()];
        suffixes = new String[ranges.size()];
        for (int i = 0; i < ranges.size(); i++)
        {
            final String range = ranges.get(i);
            final int slash = range.indexOf('/');
            final String subtype = range.substring(slash + 1);
            types[i] = range.substring(0, slash);
            subtypes[i] = subtype.startsWith("*") ? null : subtype;
            suffixes[i] = subtype.startsWith("*+") ? subtype.substring(1) : null;
        }
    }

    /** Whether a Content-Type value (null when absent) is one of the ranges. */
    boolean matches(final String contentType)
    {
        if (contentType == null)
        {
            return false;
        }
        final int start = skipSpaces(contentType, 0);
        final int slash = contentType.indexOf('/', start);
        if (slash < 0)
        {
            return false;
        }
        final int end = typeEnd(contentType, slash);
        for (int i = 0; i < types.length; i++)
        {
            if (slash - start == types[i].length() && contentType.regionMatches(true, start, types[i], 0, slash - start)
                && subtypeMatches(contentType, slash + 1, end, i))
            {
                return true;
            }
        }
        return false;
    }

    /** Whether a Content-Type value is exactly {@code type/subtype}, case-insensitive, parameters ignored. */
    static boolean is(final String contentType, final String typeAndSubtype)
    {
        if (contentType == null)
        {
            return false;
        }
        final int start = skipSpaces(contentType, 0);
        final int slash = contentType.indexOf('/', start);
        return slash >= 0 && typeEnd(contentType, slash) - start == typeAndSubtype.length()
            && contentType.regionMatches(true, start, typeAndSubtype, 0, typeAndSubtype.length());
    }

    private boolean subtypeMatches(final String contentType, final int from, final int to, final int range)
    {
        if (subtypes[range] != null)
        {
            return to - from == subtypes[range].length() && contentType.regionMatches(true, from, subtypes[range], 0, to - from);
        }
        final String suffix = suffixes[range];
        return suffix == null || to - from > suffix.length()
            && contentType.regionMatches(true, to - suffix.length(), suffix, 0, suffix.length());
    }

    /** Where the subtype after {@code slash} ends: at a parameter's ';', a space, or the value's end. */
    private static int typeEnd(final String contentType, final int slash)
    {
        int at = slash + 1;
        while (at < contentType.length() && contentType.charAt(at) != ';' && contentType.charAt(at) != ' '
            && contentType.charAt(at) != '\t')
        {
            at++;
        }
        return at;
    }

    private static int skipSpaces(final String value, final int from)
    {
        int at = from;
        while (at < value.length() && (value.charAt(at) == ' ' || value.charAt(at) == '\t'))
        {
            at++;
        }
        return at;
    }
}
