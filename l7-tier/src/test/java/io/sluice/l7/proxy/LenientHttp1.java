package io.sluice.l7.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 request framing as a lenient server does it, byte by byte and with no help from
 * Netty, for {@link RecordingBackend} and for the tests that compare what it recorded: a line
 * may end in LF alone, chunked wins over Content-Length, a chunk size is read up to its first
 * non-hex digit. Lenient on purpose: whatever a proxy lets through, a lenient backend frames and
 * answers, which is how a smuggled request does its harm. Bytes are read as ISO-8859-1, one char
 * each, so nothing is lost in a string.
 */
final class LenientHttp1
{
    /** A request id the proxy made up: random, so compared as its form only. */
    private static final Pattern GENERATED_REQUEST_ID = Pattern.compile("[0-9a-f]{32}");
    /** A Host the proxy filled in with a loopback backend's address: its port is the kernel's choice. */
    private static final Pattern LOOPBACK_BACKEND = Pattern.compile("127\\.0\\.0\\.1:[0-9]+");
    /** Past this, a chunk size is taken as unframeable rather than overflowing a long. */
    private static final int MAX_CHUNK_SIZE_DIGITS = 15;

    private LenientHttp1()
    {
    }

    record Field(String name, String value)
    {
    }

    /** A request head: its line and its fields, in order, as received. */
    record Head(String requestLine, List<Field> fields)
    {
        List<String> values(final String name)
        {
            final List<String> values = new ArrayList<>();
            for (final Field field : fields)
            {
                if (field.name().trim().equalsIgnoreCase(name))
                {
                    values.add(field.value());
                }
            }
            return values;
        }

        boolean expectsContinue()
        {
            return values("expect").stream().anyMatch((value) -> value.equalsIgnoreCase("100-continue"));
        }
    }

    /**
     * One request from {@code start}: {@code headEnd} is -1 while its head is not all there;
     * {@code body} is what of the body arrived (de-chunked); {@code complete} when its end did.
     */
    record Frame(int start, int headEnd, int end, Head head, byte[] body, boolean chunked, List<Field> trailers, boolean complete)
    {
        static Frame incomplete(final int start, final int headEnd, final Head head, final byte[] body, final boolean chunked)
        {
            return new Frame(start, headEnd, -1, head, body, chunked, List.of(), false);
        }
    }

    /** A connection's bytes as requests: every complete one, and what is left after the last. */
    record Frames(List<Frame> requests, byte[] rest)
    {
    }

    static Frames frames(final byte[] bytes)
    {
        final List<Frame> requests = new ArrayList<>();
        int at = 0;
        while (at < bytes.length)
        {
            final Frame frame = frame(bytes, at);
            if (!frame.complete())
            {
                break;
            }
            requests.add(frame);
            at = frame.end();
        }
        final byte[] rest = new byte[bytes.length - at];
        System.arraycopy(bytes, at, rest, 0, rest.length);
        return new Frames(requests, rest);
    }

    /** The request that starts at {@code start} (empty lines before it skipped). */
    static Frame frame(final byte[] bytes, final int start)
    {
        int at = start;
        while (at < bytes.length && (bytes[at] == '\r' || bytes[at] == '\n'))
        {
            at++;
        }
        final List<String> lines = new ArrayList<>();
        int headEnd = -1;
        while (headEnd < 0)
        {
            final int lf = indexOf(bytes, (byte)'\n', at);
            if (lf < 0)
            {
                return Frame.incomplete(start, -1, null, new byte[0], false);
            }
            final String line = line(bytes, at, lf);
            at = lf + 1;
            if (line.isEmpty())
            {
                headEnd = at;
            }
            else
            {
                lines.add(line);
            }
        }
        final Head head = head(lines);
        final boolean chunked = head.values("transfer-encoding").stream()
            .anyMatch((value) -> value.toLowerCase(Locale.ROOT).contains("chunked"));
        if (chunked)
        {
            return chunked(bytes, start, headEnd, head);
        }
        final long length = contentLength(head);
        final int available = (int)Math.min(length, bytes.length - headEnd);
        final byte[] body = new byte[available];
        System.arraycopy(bytes, headEnd, body, 0, available);
        if (available < length)
        {
            return Frame.incomplete(start, headEnd, head, body, false);
        }
        return new Frame(start, headEnd, headEnd + available, head, body, false, List.of(), true);
    }

    private static Frame chunked(final byte[] bytes, final int start, final int headEnd, final Head head)
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = headEnd;
        while (true)
        {
            final int lf = indexOf(bytes, (byte)'\n', at);
            if (lf < 0)
            {
                return Frame.incomplete(start, headEnd, head, body.toByteArray(), true);
            }
            final long size = chunkSize(line(bytes, at, lf));
            if (size < 0)
            {
                return Frame.incomplete(start, headEnd, head, body.toByteArray(), true); // unframeable: never completes
            }
            at = lf + 1;
            if (size == 0)
            {
                final List<String> trailerLines = new ArrayList<>();
                while (true)
                {
                    final int end = indexOf(bytes, (byte)'\n', at);
                    if (end < 0)
                    {
                        return Frame.incomplete(start, headEnd, head, body.toByteArray(), true);
                    }
                    final String line = line(bytes, at, end);
                    at = end + 1;
                    if (line.isEmpty())
                    {
                        return new Frame(start, headEnd, at, head, body.toByteArray(), true, fields(trailerLines), true);
                    }
                    trailerLines.add(line);
                }
            }
            final int available = (int)Math.min(size, bytes.length - at);
            body.write(bytes, at, available);
            if (available < size)
            {
                return Frame.incomplete(start, headEnd, head, body.toByteArray(), true);
            }
            at += available;
            if (at < bytes.length && bytes[at] == '\r')
            {
                at++;
            }
            if (at < bytes.length && bytes[at] == '\n')
            {
                at++;
            }
        }
    }

    /** The leading hex digits of a chunk line (an extension and anything else after them ignored); -1 when none. */
    private static long chunkSize(final String line)
    {
        int digits = 0;
        long size = 0;
        while (digits < line.length() && Character.digit(line.charAt(digits), 16) >= 0)
        {
            size = size * 16 + Character.digit(line.charAt(digits), 16);
            digits++;
        }
        return digits == 0 || digits > MAX_CHUNK_SIZE_DIGITS ? -1 : size;
    }

    /** The first Content-Length's leading digits; none is no body. */
    private static long contentLength(final Head head)
    {
        final List<String> values = head.values("content-length");
        if (values.isEmpty())
        {
            return 0;
        }
        final String value = values.getFirst();
        int digits = 0;
        while (digits < value.length() && digits < 18 && Character.isDigit(value.charAt(digits)))
        {
            digits++;
        }
        return digits == 0 ? 0 : Long.parseLong(value.substring(0, digits));
    }

    private static Head head(final List<String> lines)
    {
        return new Head(lines.getFirst(), fields(lines.subList(1, lines.size())));
    }

    /** A line without a colon is a field with that name and no value; one starting with whitespace continues the last. */
    private static List<Field> fields(final List<String> lines)
    {
        final List<Field> fields = new ArrayList<>();
        for (final String line : lines)
        {
            if (!fields.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t'))
            {
                final Field last = fields.removeLast();
                fields.add(new Field(last.name(), last.value() + " " + trimOws(line)));
                continue;
            }
            final int colon = line.indexOf(':');
            fields.add(colon < 0 ? new Field(line, "") : new Field(line.substring(0, colon), trimOws(line.substring(colon + 1))));
        }
        return fields;
    }

    private static String trimOws(final String value)
    {
        int from = 0;
        int to = value.length();
        while (from < to && (value.charAt(from) == ' ' || value.charAt(from) == '\t'))
        {
            from++;
        }
        while (to > from && (value.charAt(to - 1) == ' ' || value.charAt(to - 1) == '\t'))
        {
            to--;
        }
        return value.substring(from, to);
    }

    /** From {@code from} to the LF at {@code lf}, a CR before it dropped. */
    private static String line(final byte[] bytes, final int from, final int lf)
    {
        final int end = lf > from && bytes[lf - 1] == '\r' ? lf - 1 : lf;
        return new String(bytes, from, end - from, StandardCharsets.ISO_8859_1);
    }

    private static int indexOf(final byte[] bytes, final byte b, final int from)
    {
        for (int i = from; i < bytes.length; i++)
        {
            if (bytes[i] == b)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * A request as compared: its line; its fields sorted by lower-cased name, same-named fields
     * in the order they came (the order of different fields carries no meaning, RFC 9110 5.3),
     * a generated X-Request-Id's value as its form; the body de-chunked, so how the proxy cut it
     * into chunks does not matter, and how it was framed shows in the fields; trailers likewise.
     */
    static String describe(final Frame frame)
    {
        final StringBuilder out = new StringBuilder(describe(frame.head()));
        out.append(frame.chunked() ? "chunked body " : "body ").append(frame.body().length).append(" bytes: ")
            .append(escape(new String(frame.body(), StandardCharsets.ISO_8859_1))).append('\n');
        appendFields(out, "trailer ", frame.trailers());
        if (!frame.complete())
        {
            out.append("(incomplete)\n");
        }
        return out.toString();
    }

    /** A head alone, as {@link #describe(Frame)} gives it. */
    static String describe(final Head head)
    {
        final StringBuilder out = new StringBuilder();
        out.append(escape(head.requestLine())).append('\n');
        appendFields(out, "", head.fields());
        return out.toString();
    }

    /** Every request of these bytes, described, and what is left after them. */
    static String describe(final byte[] bytes)
    {
        final Frames frames = frames(bytes);
        final StringBuilder out = new StringBuilder();
        for (final Frame frame : frames.requests())
        {
            out.append(describe(frame)).append("--\n");
        }
        if (frames.rest().length > 0)
        {
            out.append("unframed ").append(frames.rest().length).append(" bytes: ")
                .append(escape(new String(frames.rest(), StandardCharsets.ISO_8859_1))).append('\n');
        }
        return out.toString();
    }

    private static void appendFields(final StringBuilder out, final String prefix, final List<Field> fields)
    {
        final List<Field> sorted = new ArrayList<>(fields);
        sorted.sort(Comparator.comparing((final Field field) -> field.name().toLowerCase(Locale.ROOT)));
        for (final Field field : sorted)
        {
            final String name = field.name().toLowerCase(Locale.ROOT);
            final String value = name.equals(ForwardedHeaders.X_REQUEST_ID) && GENERATED_REQUEST_ID.matcher(field.value()).matches() ?
                "<32 hex digits>" : name.equals("host") && LOOPBACK_BACKEND.matcher(field.value()).matches() ?
                "127.0.0.1:<port>" : field.value();
            out.append(prefix).append(escape(name)).append(": ").append(escape(value)).append('\n');
        }
    }

    /** Printable ASCII as it is, anything else as an escape; long text cut in the middle. */
    static String escape(final String text)
    {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++)
        {
            if (text.length() > 400 && i == 150)
            {
                out.append("...(").append(text.length() - 300).append(" more)...");
                i = text.length() - 150;
            }
            final char c = text.charAt(i);
            switch (c)
            {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> out.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\x%02x", (int)c));
            }
        }
        return out.toString();
    }
}
