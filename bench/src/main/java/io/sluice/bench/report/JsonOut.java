package io.sluice.bench.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * A result file's JSON: Jackson's generator, with numbers written with the decimals the reports
 * have always had (rates whole, ratios to two places, milliseconds to three).
 */
public final class JsonOut implements AutoCloseable
{
    private static final JsonFactory JSON = new JsonFactory();

    private final JsonGenerator generator;

    public JsonOut(final Writer out)
    {
        try
        {
            generator = JSON.createGenerator(out);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public JsonOut startObject()
    {
        return act(JsonGenerator::writeStartObject);
    }

    public JsonOut startObject(final String name)
    {
        return act(g -> g.writeObjectFieldStart(name));
    }

    public JsonOut endObject()
    {
        return act(JsonGenerator::writeEndObject);
    }

    public JsonOut startArray(final String name)
    {
        return act(g -> g.writeArrayFieldStart(name));
    }

    public JsonOut endArray()
    {
        return act(JsonGenerator::writeEndArray);
    }

    public JsonOut text(final String name, final String value)
    {
        return act(g -> g.writeStringField(name, value));
    }

    public JsonOut number(final String name, final double value, final int decimals)
    {
        return act(g -> g.writeFieldName(name)).act(g -> g.writeNumber(Fixed.of(value, decimals)));
    }

    /** A text item of an array. */
    public JsonOut textValue(final String value)
    {
        return act(g -> g.writeString(value));
    }

    public JsonOut number(final double value, final int decimals)
    {
        return act(g -> g.writeNumber(Fixed.of(value, decimals)));
    }

    /** A number whose text is already as it should be printed. */
    public JsonOut rawNumber(final String name, final String text)
    {
        return act(g -> g.writeFieldName(name)).act(g -> g.writeNumber(text));
    }

    public JsonOut bool(final String name, final boolean value)
    {
        return act(g -> g.writeBooleanField(name, value));
    }

    public JsonOut nul(final String name)
    {
        return act(g -> g.writeNullField(name));
    }

    /** A run's line as its script wrote it. */
    public JsonOut raw(final String json)
    {
        return act(g -> g.writeRawValue(json));
    }

    @Override
    public void close()
    {
        act(g ->
        {
            g.writeRaw('\n');
            g.close();
        });
    }

    private JsonOut act(final Step step)
    {
        try
        {
            step.on(generator);
            return this;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @FunctionalInterface
    private interface Step
    {
        void on(JsonGenerator generator) throws IOException;
    }
}
