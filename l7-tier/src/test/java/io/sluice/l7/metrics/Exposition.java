package io.sluice.l7.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus text read back for tests: every sample line as {@code name{labels}} to its value,
 * each line checked against the format's grammar (a line that does not parse fails the test).
 */
final class Exposition
{
    private static final Pattern SAMPLE = Pattern.compile(
        "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*})? (\\S+)");
    private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) .*");

    private Exposition()
    {
    }

    static Map<String, String> samples(final String text)
    {
        if (!text.endsWith("\n"))
        {
            throw new AssertionError("the exposition must end with a line feed");
        }
        final Map<String, String> samples = new LinkedHashMap<>();
        for (final String line : text.split("\n"))
        {
            if (line.startsWith("#"))
            {
                if (!COMMENT.matcher(line).matches())
                {
                    throw new AssertionError("not a HELP or TYPE line: " + line);
                }
                continue;
            }
            final Matcher matcher = SAMPLE.matcher(line);
            if (!matcher.matches())
            {
                throw new AssertionError("not a sample line: " + line);
            }
            final String key = matcher.group(1) + (matcher.group(2) == null ? "" : matcher.group(2));
            if (samples.put(key, matcher.group(3)) != null)
            {
                throw new AssertionError("sample twice: " + key);
            }
        }
        return samples;
    }

    static long count(final Map<String, String> samples, final String key)
    {
        final String value = samples.get(key);
        if (value == null)
        {
            throw new AssertionError("no sample " + key + " in " + samples.keySet());
        }
        return Long.parseLong(value);
    }
}
