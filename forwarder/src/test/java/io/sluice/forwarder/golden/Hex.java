package io.sluice.forwarder.golden;

/** Hex dumps of frames for failure messages, and parsing of hex literals for golden frames. */
public final class Hex
{
    private static final int BYTES_PER_LINE = 16;

    private Hex()
    {
    }

    /** Parses hex digits, ignoring whitespace. */
    public static byte[] parse(final String text)
    {
        final String digits = text.replaceAll("\\s+", "");
        if (digits.length() % 2 != 0)
        {
            throw new IllegalArgumentException("odd number of hex digits: " + digits.length());
        }
        final byte[] bytes = new byte[digits.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(digits, i * 2, i * 2 + 2, 16);
        }
        return bytes;
    }

    public static String dump(final byte[] bytes)
    {
        final StringBuilder out = new StringBuilder();
        for (int line = 0; line < bytes.length; line += BYTES_PER_LINE)
        {
            out.append(String.format("%04x ", line));
            for (int i = line; i < Math.min(line + BYTES_PER_LINE, bytes.length); i++)
            {
                out.append(String.format(" %02x", bytes[i] & 0xFF));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * Expected and actual side by side, line by line, with a {@code ^^} under every byte that
     * differs, so a failing golden case shows which field went wrong.
     */
    public static String diff(final byte[] expected, final byte[] actual)
    {
        final StringBuilder out = new StringBuilder();
        out.append(String.format("expected %d bytes, actual %d bytes%n", expected.length, actual.length));
        final int length = Math.max(expected.length, actual.length);
        for (int line = 0; line < length; line += BYTES_PER_LINE)
        {
            final StringBuilder want = new StringBuilder(String.format("%04x expected", line));
            final StringBuilder got = new StringBuilder(String.format("%04x actual  ", line));
            final StringBuilder marks = new StringBuilder("             ");
            boolean differs = false;
            for (int i = line; i < Math.min(line + BYTES_PER_LINE, length); i++)
            {
                want.append(i < expected.length ? String.format(" %02x", expected[i] & 0xFF) : "   ");
                got.append(i < actual.length ? String.format(" %02x", actual[i] & 0xFF) : "   ");
                final boolean same = i < expected.length && i < actual.length && expected[i] == actual[i];
                marks.append(same ? "   " : " ^^");
                differs |= !same;
            }
            out.append(want).append('\n').append(got).append('\n');
            if (differs)
            {
                out.append(marks).append('\n');
            }
        }
        return out.toString();
    }
}
