package io.sluice.control.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for the lab and demo: reads what the helpers and {@code sluice ... --json}
 * print into plain maps, lists, strings, longs, doubles, booleans and null. The counterpart of
 * {@link io.sluice.l7.json.JsonWriter} (which also quotes strings for text assembled by hand), so sluice stays
 * free of a JSON library that nothing else needs.
 */
public final class JsonParser
{
    private final String text;
    private int position;

    private JsonParser(final String text)
    {
        this.text = text;
    }

    /**
     * @return a {@code Map<String, Object>}, {@code List<Object>}, String, Long, Double, Boolean or null.
     * @throws IllegalArgumentException naming the position of the first thing that is not JSON.
     */
    public static Object parse(final String text)
    {
        final JsonParser reader = new JsonParser(text);
        final Object value = reader.value();
        reader.skipWhitespace();
        if (reader.position != text.length())
        {
            throw reader.error("trailing characters");
        }
        return value;
    }

    /** Parses text that must be a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(final String text)
    {
        final Object value = parse(text.strip());
        if (!(value instanceof Map))
        {
            throw new IllegalArgumentException("expected a JSON object, got: " + abbreviate(text));
        }
        return (Map<String, Object>)value;
    }

    private Object value()
    {
        skipWhitespace();
        if (position >= text.length())
        {
            throw error("unexpected end");
        }
        final char c = text.charAt(position);
        return switch (c)
        {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default ->
            {
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    yield number();
                }
                throw error("unexpected '" + c + "'");
            }
        };
    }

    private Map<String, Object> object()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        position++;
        skipWhitespace();
        if (peek() == '}')
        {
            position++;
            return map;
        }
        while (true)
        {
            skipWhitespace();
            if (peek() != '"')
            {
                throw error("expected a key");
            }
            final String key = string();
            skipWhitespace();
            expect(':');
            map.put(key, value());
            skipWhitespace();
            if (peek() == ',')
            {
                position++;
                continue;
            }
            expect('}');
            return map;
        }
    }

    private List<Object> array()
    {
        final List<Object> list = new ArrayList<>();
        position++;
        skipWhitespace();
        if (peek() == ']')
        {
            position++;
            return list;
        }
        while (true)
        {
            list.add(value());
            skipWhitespace();
            if (peek() == ',')
            {
                position++;
                continue;
            }
            expect(']');
            return list;
        }
    }

    private String string()
    {
        position++;
        final StringBuilder out = new StringBuilder();
        while (true)
        {
            if (position >= text.length())
            {
                throw error("unterminated string");
            }
            final char c = text.charAt(position++);
            if (c == '"')
            {
                return out.toString();
            }
            if (c != '\\')
            {
                out.append(c);
                continue;
            }
            if (position >= text.length())
            {
                throw error("unterminated escape");
            }
            final char escaped = text.charAt(position++);
            switch (escaped)
            {
                case '"', '\\', '/' -> out.append(escaped);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' ->
                {
                    if (position + 4 > text.length())
                    {
                        throw error("short \\u escape");
                    }
                    try
                    {
                        out.append((char)Integer.parseInt(text.substring(position, position + 4), 16));
                    }
                    catch (final NumberFormatException ex)
                    {
                        throw error("bad \\u escape");
                    }
                    position += 4;
                }
                default -> throw error("bad escape '\\" + escaped + "'");
            }
        }
    }

    private Object number()
    {
        final int start = position;
        boolean integral = true;
        while (position < text.length())
        {
            final char c = text.charAt(position);
            if (c == '.' || c == 'e' || c == 'E')
            {
                integral = false;
            }
            else if (!(c == '-' || c == '+' || (c >= '0' && c <= '9')))
            {
                break;
            }
            position++;
        }
        final String number = text.substring(start, position);
        try
        {
            return integral ? (Object)Long.parseLong(number) : (Object)Double.parseDouble(number);
        }
        catch (final NumberFormatException ex)
        {
            throw error("bad number '" + number + "'");
        }
    }

    private Object literal(final String word, final Object value)
    {
        if (!text.startsWith(word, position))
        {
            throw error("unexpected word");
        }
        position += word.length();
        return value;
    }

    private void expect(final char c)
    {
        if (peek() != c)
        {
            throw error("expected '" + c + "'");
        }
        position++;
    }

    private char peek()
    {
        return position < text.length() ? text.charAt(position) : '\0';
    }

    private void skipWhitespace()
    {
        while (position < text.length() && Character.isWhitespace(text.charAt(position)))
        {
            position++;
        }
    }

    private IllegalArgumentException error(final String what)
    {
        return new IllegalArgumentException("not JSON at character " + position + " (" + what + "): " + abbreviate(text));
    }

    private static String abbreviate(final String text)
    {
        final String oneLine = text.strip().replace('\n', ' ');
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
    }
}
