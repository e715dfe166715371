package io.sluice.forwarder.bgp;

import java.util.ArrayList;
import java.util.List;

/**
 * One reply on BIRD's control socket: lines of a 4-digit code and text. A code followed by
 * {@code '-'} is continued by further lines, one followed by {@code ' '} ends the reply, and a
 * line starting with a space continues the previous code. Codes 0xxx report success, 1xxx and
 * 2xxx carry table rows and headers, 8xxx and 9xxx are errors.
 *
 * @param lines every line of the reply, in order.
 */
public record BirdReply(List<Line> lines)
{
    /** @param code the line's 4-digit code; @param text what follows it. */
    public record Line(int code, String text)
    {
    }

    public BirdReply
    {
        lines = List.copyOf(lines);
    }

    /** @return whether BIRD did what it was asked (no 8xxx or 9xxx line). */
    public boolean ok()
    {
        for (final Line line : lines)
        {
            if (line.code() >= 8000)
            {
                return false;
            }
        }
        return true;
    }

    /** The text of the lines, joined with " | ": for messages. */
    public String text()
    {
        final List<String> texts = new ArrayList<>(lines.size());
        for (final Line line : lines)
        {
            if (!line.text().isBlank())
            {
                texts.add(line.text().strip());
            }
        }
        return String.join(" | ", texts);
    }

    /** The lines with this code (table rows), their text as sent. */
    public List<String> rows(final int code)
    {
        final List<String> rows = new ArrayList<>();
        for (final Line line : lines)
        {
            if (line.code() == code)
            {
                rows.add(line.text());
            }
        }
        return rows;
    }

    /**
     * Collects a reply line by line.
     */
    static final class Parser
    {
        private final List<Line> lines = new ArrayList<>();
        private int lastCode = -1;

        /**
         * @return true when this line ended the reply.
         * @throws IllegalStateException when the line is not BIRD's protocol.
         */
        boolean add(final String line)
        {
            if (line.startsWith(" ") && lastCode >= 0)
            {
                lines.add(new Line(lastCode, line.substring(1)));
                return false;
            }
            if (line.length() < 5 || !line.substring(0, 4).chars().allMatch(Character::isDigit) ||
                (line.charAt(4) != ' ' && line.charAt(4) != '-'))
            {
                throw new IllegalStateException("not a BIRD control socket line: '" + line + "'");
            }
            lastCode = Integer.parseInt(line.substring(0, 4));
            lines.add(new Line(lastCode, line.substring(5)));
            return line.charAt(4) == ' ';
        }

        BirdReply reply()
        {
            return new BirdReply(lines);
        }
    }
}
