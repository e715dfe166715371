package io.sluice.l7.metrics;

import java.math.BigDecimal;

/**
 * Prometheus' text exposition format, version 0.0.4: a {@code # HELP} and a {@code # TYPE} line
 * per metric family, then one line per sample, {@code name{label="value",...} number}.
 */
final class PrometheusText
{
    /** The Content-Type a scrape is answered with. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText()
    {
    }

    /** The two comment lines that start a family; {@code type} is counter, gauge or histogram. */
    static void family(final StringBuilder out, final String name, final String type, final String help)
    {
        out.append("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++)
        {
            final char c = help.charAt(i);
            switch (c)
            {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        out.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /**
     * One sample line.
     *
     * @param labels written label pairs ({@link #label}), or empty for none.
     */
    static void sample(final StringBuilder out, final String name, final CharSequence labels, final String value)
    {
        out.append(name);
        if (!labels.isEmpty())
        {
            out.append('{').append(labels).append('}');
        }
        out.append(' ').append(value).append('\n');
    }

    static void sample(final StringBuilder out, final String name, final CharSequence labels, final long value)
    {
        sample(out, name, labels, Long.toString(value));
    }

    /** Appends {@code name="value"} (after a comma when {@code out} has pairs already), the value escaped. */
    static StringBuilder label(final StringBuilder out, final String name, final String value)
    {
        if (!out.isEmpty())
        {
            out.append(',');
        }
        out.append(name).append("=\"");
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.append('"');
    }

    /** Nanoseconds as seconds, exactly and without an exponent: 1500 becomes {@code 0.0000015}. */
    static String seconds(final long nanos)
    {
        return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }
}
