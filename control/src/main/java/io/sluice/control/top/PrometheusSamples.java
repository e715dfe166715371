package io.sluice.control.top;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples of a Prometheus text exposition ({@code name{label="value",...} 12}), as the L7
 * tier's {@code /metrics} writes them: comments skipped, label values unescaped
 * ({@code \\}, {@code \"}, {@code \n}). Only what top reads; not a general parser (no timestamps).
 */
public final class PrometheusSamples
{
    /** One sample: the metric's name, its labels in order, its value. */
    public record Sample(String name, Map<String, String> labels, double value)
    {
        public String label(final String labelName)
        {
            return labels.getOrDefault(labelName, "");
        }
    }

    private PrometheusSamples()
    {
    }

    /** @throws IllegalArgumentException naming the line that is not a sample. */
    public static List<Sample> parse(final String text)
    {
        final List<Sample> samples = new ArrayList<>();
        for (final String line : text.split("\n"))
        {
            if (!line.isBlank() && !line.startsWith("#"))
            {
                samples.add(sample(line));
            }
        }
        return Collections.unmodifiableList(samples);
    }

    private static Sample sample(final String line)
    {
        final int brace = line.indexOf('{');
        final int space = line.indexOf(' ');
        final Map<String, String> labels = new LinkedHashMap<>();
        final String name;
        final int valueStart;
        if (brace >= 0 && (space < 0 || brace < space))
        {
            name = line.substring(0, brace);
            valueStart = labels(line, brace + 1, labels);
        }
        else if (space > 0)
        {
            name = line.substring(0, space);
            valueStart = space;
        }
        else
        {
            throw new IllegalArgumentException("not a metrics sample: " + line);
        }
        try
        {
            return new Sample(name, Collections.unmodifiableMap(labels), Double.parseDouble(line.substring(valueStart).strip()));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("not a metrics sample: " + line, ex);
        }
    }

    /** Reads {@code a="x",b="y"}} from {@code start}. @return the index after the closing brace. */
    private static int labels(final String line, final int start, final Map<String, String> labels)
    {
        int i = start;
        while (i < line.length() && line.charAt(i) != '}')
        {
            final int equals = line.indexOf("=\"", i);
            if (equals < 0)
            {
                throw new IllegalArgumentException("not a metrics sample: " + line);
            }
            final String labelName = line.substring(i, equals);
            final StringBuilder value = new StringBuilder();
            i = equals + 2;
            while (i < line.length() && line.charAt(i) != '"')
            {
                char c = line.charAt(i++);
                if (c == '\\' && i < line.length())
                {
                    final char escaped = line.charAt(i++);
                    c = escaped == 'n' ? '\n' : escaped;
                }
                value.append(c);
            }
            labels.put(labelName, value.toString());
            i++;
            if (i < line.length() && line.charAt(i) == ',')
            {
                i++;
            }
        }
        if (i >= line.length())
        {
            throw new IllegalArgumentException("not a metrics sample: " + line);
        }
        return i + 1;
    }
}
