package io.sluice.l7.accesslog;

/**
 * JSON string literals for the access log, escaped per RFC 8259, appended to the line being built.
 * The one JSON sluice still writes by hand, because the line is written for every request and
 * Jackson was not cheaper there: {@code AccessLogBenchmark} (bench/, 2 vCPUs, 2026-12-07) put the
 * line as {@link AccessLogFormat} writes it at 670-860 ns and 176-200 B/op, Jackson with a
 * generator per line (its usual use) at 1020-1270 ns and 472 B/op, and Jackson with a generator
 * kept for the thread at 860-1030 ns and 176 B/op; matching this output also takes custom escapes
 * (U+2028/9), and Jackson cannot escape a lone surrogate as this does. Everything else writes
 * JSON with Jackson.
 */
final class JsonQuoting
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonQuoting()
    {
    }

    /** Appends a JSON string literal for {@code value}, quotes included, or {@code null}. */
    static void appendQuoted(final StringBuilder out, final String value)
    {
        if (value == null)
        {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default ->
                {
                    // Control characters must be escaped; U+2028/9 too, so the line is also valid JavaScript.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || isLoneSurrogate(value, i))
                    {
                        out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                            .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                    }
                    else
                    {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** A surrogate without its partner cannot be encoded as UTF-8; escaped, it at least survives. */
    private static boolean isLoneSurrogate(final String value, final int index)
    {
        final char c = value.charAt(index);
        if (Character.isHighSurrogate(c))
        {
            return index + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(index + 1));
        }
        if (Character.isLowSurrogate(c))
        {
            return index == 0 || !Character.isHighSurrogate(value.charAt(index - 1));
        }
        return false;
    }
}
