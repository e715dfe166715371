package io.sluice.l7.accesslog;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The access log's strings, escaped per RFC 8259 (the cases the hand-written JsonWriter's tests had). */
class JsonQuotingTest
{
    @Test
    void quotesBackslashesControlCharactersAndLineSeparatorsAreEscaped()
    {
        assertThat(quoted("a\"b\\c/\u0000\u001f\n\r\t\b\f\u2028\u2029é😀"))
            .isEqualTo("\"a\\\"b\\\\c/\\u0000\\u001f\\n\\r\\t\\b\\f\\u2028\\u2029é😀\"");
        assertThat(quoted("q\" b\\ n\n r\r t\t \u0001 \u001f \u2028 é \uD83D\uDE00"))
            .isEqualTo("\"q\\\" b\\\\ n\\n r\\r t\\t \\u0001 \\u001f \\u2028 é \uD83D\uDE00\"");
    }

    @Test
    void loneSurrogatesAreEscaped()
    {
        assertThat(quoted("a\uD800b")).isEqualTo("\"a\\ud800b\"");
        assertThat(quoted("lone \ud800 and \udc00")).isEqualTo("\"lone \\ud800 and \\udc00\"");
    }

    @Test
    void nullIsNull()
    {
        assertThat(quoted(null)).isEqualTo("null");
    }

    private static String quoted(final String value)
    {
        final StringBuilder out = new StringBuilder();
        JsonQuoting.appendQuoted(out, value);
        return out.toString();
    }
}
