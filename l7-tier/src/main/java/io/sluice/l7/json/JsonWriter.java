package io.sluice.l7.json;

/**
 * A small streaming JSON writer: objects, arrays, strings (escaped per RFC 8259), integers,
 * decimals and booleans, without a JSON library to load at start. Serves the L7 tier's admin
 * endpoint and access log, and the CLI's {@code --json} output (control depends on l7-tier).
 * It checks the structure it is given: a name outside an object, a value without a name inside
 * one, or closing the wrong container throws {@link IllegalStateException}.
 *
 * <pre>
 * new JsonWriter().beginObject().name("ok").value(true).endObject().toString()  // {"ok":true}
 * </pre>
 */
public final class JsonWriter
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int MAX_DEPTH = 64;

    private final StringBuilder out = new StringBuilder(256);
    /** Per open container: true for an object. */
    private final boolean[] isObject = new boolean[MAX_DEPTH];
    /** Per open container: whether it has an element yet (a comma goes before the next). */
    private final boolean[] hasElement = new boolean[MAX_DEPTH];
    private int depth;
    private boolean nameWritten;
    private boolean done;

    public JsonWriter beginObject()
    {
        beforeValue();
        out.append('{');
        push(true);
        return this;
    }

    public JsonWriter endObject()
    {
        pop(true);
        out.append('}');
        return this;
    }

    public JsonWriter beginArray()
    {
        beforeValue();
        out.append('[');
        push(false);
        return this;
    }

    public JsonWriter endArray()
    {
        pop(false);
        out.append(']');
        return this;
    }

    /** The name of the next member of the current object. */
    public JsonWriter name(final String name)
    {
        if (depth == 0 || !isObject[depth - 1] || nameWritten)
        {
            throw new IllegalStateException("a name must be followed by a value and belongs inside an object");
        }
        comma();
        appendQuoted(out, name);
        out.append(':');
        nameWritten = true;
        return this;
    }

    /** A string value, or null. */
    public JsonWriter value(final String value)
    {
        beforeValue();
        if (value == null)
        {
            out.append("null");
        }
        else
        {
            appendQuoted(out, value);
        }
        return this;
    }

    public JsonWriter value(final long value)
    {
        beforeValue();
        out.append(value);
        return this;
    }

    /** A decimal value; NaN and infinities, which JSON cannot express, become null. */
    public JsonWriter value(final double value)
    {
        beforeValue();
        if (Double.isNaN(value) || Double.isInfinite(value))
        {
            out.append("null");
        }
        else
        {
            out.append(value);
        }
        return this;
    }

    public JsonWriter value(final boolean value)
    {
        beforeValue();
        out.append(value);
        return this;
    }

    /**
     * A JSON string literal for {@code value}, quotes included, escaped as this writer escapes
     * strings; for callers that assemble JSON text themselves.
     */
    public static String quote(final String value)
    {
        final StringBuilder quoted = new StringBuilder(value.length() + 2);
        appendQuoted(quoted, value);
        return quoted.toString();
    }

    /** @return the document; throws if a container is still open. */
    @Override
    public String toString()
    {
        if (depth != 0)
        {
            throw new IllegalStateException(depth + " JSON container(s) still open");
        }
        return out.toString();
    }

    private void beforeValue()
    {
        if (depth == 0)
        {
            if (done)
            {
                throw new IllegalStateException("a JSON document has one top-level value");
            }
            done = true;
            return;
        }
        if (isObject[depth - 1])
        {
            if (!nameWritten)
            {
                throw new IllegalStateException("a value inside an object needs a name first");
            }
            nameWritten = false;
        }
        else
        {
            comma();
        }
    }

    private void comma()
    {
        if (hasElement[depth - 1])
        {
            out.append(',');
        }
        hasElement[depth - 1] = true;
    }

    private void push(final boolean object)
    {
        if (depth == MAX_DEPTH)
        {
            throw new IllegalStateException("JSON nested deeper than " + MAX_DEPTH);
        }
        isObject[depth] = object;
        hasElement[depth] = false;
        depth++;
    }

    private void pop(final boolean object)
    {
        if (depth == 0 || isObject[depth - 1] != object || nameWritten)
        {
            throw new IllegalStateException("cannot close " + (object ? "an object" : "an array") + " here");
        }
        depth--;
    }

    /** Appends a JSON string literal for {@code value}, quotes included; for lines assembled by hand. */
    public static void appendQuoted(final StringBuilder out, final String value)
    {
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
                    // Control characters must be escaped; U+2028/9 too, so the output is also valid JavaScript.
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
