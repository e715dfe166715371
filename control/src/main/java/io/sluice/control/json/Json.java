package io.sluice.control.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The control module's JSON, written and read with Jackson's streaming core: a well-kept library
 * does escaping, number formatting and parsing better than the hand-written writer and parser it
 * replaces. Callers use {@link JsonGenerator} and {@link com.fasterxml.jackson.core.JsonParser}
 * directly; this class only holds the one configured factory and turns a document into a string.
 */
public final class Json
{
    /** Escapes control characters with lower-case hex digits, as sluice's JSON always has. */
    public static final JsonFactory FACTORY = JsonFactory.builder().disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE).build();

    private Json()
    {
    }

    /** What writes one JSON value to a generator. */
    @FunctionalInterface
    public interface Document
    {
        void writeTo(JsonGenerator json) throws IOException;
    }

    /** @return the value {@code document} writes, as compact JSON text. */
    public static String write(final Document document)
    {
        final StringWriter out = new StringWriter(256);
        try (JsonGenerator json = FACTORY.createGenerator(out))
        {
            document.writeTo(json);
        }
        catch (final IOException ex)
        {
            // A StringWriter does not fail: this is Jackson refusing a document that breaks JSON's structure.
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    /** A JSON string literal for {@code value}, quotes included; for a value that goes into JSON held as text. */
    public static String quote(final String value)
    {
        return write(json -> json.writeString(value));
    }
}
