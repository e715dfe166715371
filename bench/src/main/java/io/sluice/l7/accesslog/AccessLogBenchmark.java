package io.sluice.l7.accesslog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.netty.util.NetUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/**
 * One access-log line per operation, as the log's writer thread makes it for every request: by
 * the hand-written {@link AccessLogFormat} and by Jackson's streaming generator writing the same
 * line into the same reused {@link StringBuilder}, once with a generator made for the line (how
 * Jackson is usually used) and once with one generator kept for the thread. The Jackson variants
 * escape as the log must (lower-case hex, U+2028/9), so all three write the same bytes for this
 * entry; the figures decide whether the access log keeps a writer of its own (issue 15).
 * In the package of {@link AccessLogFormat}, which is not public.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Thread)
public class AccessLogBenchmark
{
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactoryBuilder()
        .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
        .characterEscapes(new LineSeparatorEscapes())
        .rootValueSeparator("")
        .build();

    private final StringBuilder line = new StringBuilder(512);
    private final StringBuilder scratch = new StringBuilder(32);
    private final char[] chars = new char[32];
    private final LineWriter writer = new LineWriter(line);
    private AccessLogEntry entry;
    private JsonGenerator kept;

    @Setup
    public void setUp() throws IOException
    {
        entry = new AccessLogEntry(1_740_830_400_123L, new InetSocketAddress("192.0.2.7", 51234), "GET", "/api/users?id=7&sort=name",
            "api", "api", "a1", 200, 0, 512, 1_234_567, "5f0c6a2e-9d1b-4c8e-a7f3-2b9d4e6c8a10", null);
        kept = JSON.createGenerator(writer);
        final String expected = handWritten().toString();
        final String perLine = jacksonGeneratorPerLine().toString();
        final String keptLine = jacksonGeneratorKept().toString();
        if (!expected.equals(perLine) || !expected.equals(keptLine))
        {
            throw new IllegalStateException("the variants write different lines:\n" + expected + perLine + keptLine);
        }
    }

    @TearDown
    public void tearDown() throws IOException
    {
        kept.close();
    }

    @Benchmark
    public StringBuilder handWritten()
    {
        line.setLength(0);
        AccessLogFormat.appendLine(line, entry);
        return line;
    }

    @Benchmark
    public StringBuilder jacksonGeneratorPerLine() throws IOException
    {
        line.setLength(0);
        try (JsonGenerator json = JSON.createGenerator(writer))
        {
            write(json);
        }
        return line.append('\n');
    }

    @Benchmark
    public StringBuilder jacksonGeneratorKept() throws IOException
    {
        line.setLength(0);
        write(kept);
        kept.flush();
        return line.append('\n');
    }

    private void write(final JsonGenerator json) throws IOException
    {
        json.writeStartObject();
        json.writeFieldName("time");
        scratch.setLength(0);
        TIME.formatTo(Instant.ofEpochMilli(entry.startMillis()), scratch);
        json.writeString(chars(), 0, scratch.length());
        json.writeStringField("client", NetUtil.toAddressString(entry.client().getAddress()));
        json.writeStringField("method", entry.method());
        json.writeStringField("path", entry.path());
        json.writeStringField("route", entry.route());
        json.writeStringField("pool", entry.pool());
        json.writeStringField("server", entry.server());
        json.writeNumberField("status", entry.status());
        json.writeNumberField("request_bytes", entry.requestBytes());
        json.writeNumberField("response_bytes", entry.responseBytes());
        json.writeFieldName("duration_ms");
        final long micros = entry.durationNanos() / 1_000;
        final long fraction = micros % 1_000;
        scratch.setLength(0);
        scratch.append(micros / 1_000).append(fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".").append(fraction);
        json.writeRawValue(chars(), 0, scratch.length());
        json.writeStringField("request_id", entry.requestId());
        json.writeStringField("refused", entry.refused());
        json.writeStringField("identity", entry.identity());
        json.writeEndObject();
    }

    private char[] chars()
    {
        scratch.getChars(0, scratch.length(), chars, 0);
        return chars;
    }

    /** Appends to the line being built, as {@link AccessLog}'s writer thread reuses one. */
    private static final class LineWriter extends Writer
    {
        private final StringBuilder out;

        LineWriter(final StringBuilder out)
        {
            this.out = out;
        }

        @Override
        public void write(final char[] buffer, final int offset, final int length)
        {
            out.append(buffer, offset, length);
        }

        @Override
        public void write(final String text, final int offset, final int length)
        {
            out.append(text, offset, offset + length);
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
        }
    }

    /** Jackson's standard escapes, and U+2028/9 as the access log escapes them. */
    private static final class LineSeparatorEscapes extends CharacterEscapes
    {
        private static final long serialVersionUID = 1L;
        private static final int[] ASCII = standardAsciiEscapesForJSON();
        private static final SerializedString LINE_SEPARATOR = new SerializedString("\\u2028");
        private static final SerializedString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");

        @Override
        public int[] getEscapeCodesForAscii()
        {
            return ASCII;
        }

        @Override
        public SerializableString getEscapeSequence(final int ch)
        {
            return ch == '\u2028' ? LINE_SEPARATOR : ch == '\u2029' ? PARAGRAPH_SEPARATOR : null;
        }
    }
}
