package io.sluice.bench.chart;

import java.util.List;
import java.util.Locale;

/**
 * A small SVG document writer: the few elements the charts draw (rectangles, lines, polylines,
 * circles, text), attributes given as name-value pairs, text escaped for XML, coordinates with
 * one decimal. What it writes is a standalone file a browser or GitHub shows as a picture.
 */
public final class Svg
{
    /** Colours for series, in order: distinguishable, and readable on white. */
    static final List<String> PALETTE = List.of("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1", "#edc948",
        "#9c755f", "#bab0ac", "#ff9da7");
    static final String FONT = "font-family=\"sans-serif\"";

    private final StringBuilder out = new StringBuilder();

    public Svg(final double width, final double height)
    {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
            .append(num(width)).append("\" height=\"").append(num(height)).append("\" viewBox=\"0 0 ").append(num(width))
            .append(' ').append(num(height)).append("\" ").append(FONT).append(" font-size=\"12\">\n")
            .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    }

    public static String colour(final int index)
    {
        return PALETTE.get(index % PALETTE.size());
    }

    /** An element without content: name and attribute pairs (name, value, name, value...). */
    public Svg element(final String name, final Object... attributes)
    {
        out.append('<').append(name);
        attributes(attributes);
        out.append("/>\n");
        return this;
    }

    /** A text element: its content escaped. */
    public Svg text(final String content, final Object... attributes)
    {
        out.append("<text");
        attributes(attributes);
        out.append('>').append(escape(content)).append("</text>\n");
        return this;
    }

    /** A group's start (attributes apply to everything until {@link #end()}), with a title a viewer shows on hover. */
    public Svg group(final String title, final Object... attributes)
    {
        out.append("<g");
        attributes(attributes);
        out.append("><title>").append(escape(title)).append("</title>\n");
        return this;
    }

    public Svg end()
    {
        out.append("</g>\n");
        return this;
    }

    public String document()
    {
        return out + "</svg>\n";
    }

    private void attributes(final Object... attributes)
    {
        for (int i = 0; i + 1 < attributes.length; i += 2)
        {
            final Object value = attributes[i + 1];
            out.append(' ').append(attributes[i]).append("=\"")
                .append(value instanceof Double d ? num(d) : escape(String.valueOf(value))).append('"');
        }
    }

    static String num(final double value)
    {
        final String text = String.format(Locale.ROOT, "%.1f", value);
        return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
    }

    static String escape(final String text)
    {
        final StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
