package io.sluice.lab.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonWriteFeature;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link LoadReport} as one line of JSON and back, with Jackson's streaming generator and parser
 * ({@code {"requests":10,"ok":8,"failed":2,"servedBy":{"real1":6,...},"clientAddresses":{...},
 * "failures":{...},"servedVia":{...}}}, each map's names in order).
 */
final class LoadReportJson
{
    /** Control characters escaped with lower-case hex digits, as in the JSON the `sluice` command line writes. */
    private static final JsonFactory FACTORY = JsonFactory.builder().disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE).build();

    private LoadReportJson()
    {
    }

    static String write(final LoadReport report)
    {
        final StringWriter out = new StringWriter(256);
        try (JsonGenerator json = FACTORY.createGenerator(out))
        {
            json.writeStartObject();
            json.writeNumberField("requests", report.requests());
            json.writeNumberField("ok", report.ok());
            json.writeNumberField("failed", report.failed());
            counts(json, "servedBy", report.servedBy());
            counts(json, "clientAddresses", report.clientAddresses());
            counts(json, "failures", report.failures());
            counts(json, "servedVia", report.servedVia());
            json.writeEndObject();
        }
        catch (final IOException ex)
        {
            // A StringWriter does not fail: this is Jackson refusing a document that breaks JSON's structure.
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    /** @throws IllegalArgumentException when the text is not what {@link #write} writes. */
    static LoadReport read(final String text)
    {
        final Map<String, Long> numbers = new HashMap<>();
        final Map<String, Map<String, Long>> counts = new HashMap<>();
        try (JsonParser json = FACTORY.createParser(text))
        {
            if (json.nextToken() != JsonToken.START_OBJECT)
            {
                throw new IllegalArgumentException("expected a JSON object, got: " + text.strip());
            }
            while (json.nextToken() == JsonToken.FIELD_NAME)
            {
                final String name = json.currentName();
                final JsonToken value = json.nextToken();
                if (value == JsonToken.VALUE_NUMBER_INT)
                {
                    numbers.put(name, json.getLongValue());
                }
                else if (value == JsonToken.START_OBJECT)
                {
                    counts.put(name, readCounts(json, name));
                }
                else
                {
                    json.skipChildren();
                }
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("load report is not JSON: " + ex.getMessage(), ex);
        }
        return new LoadReport(number(numbers, "requests"), number(numbers, "ok"),
            counts(counts, "servedBy"), counts(counts, "clientAddresses"), counts(counts, "failures"),
            counts.getOrDefault("servedVia", Map.of()));
    }

    private static void counts(final JsonGenerator json, final String name, final Map<String, Long> counts) throws IOException
    {
        json.writeObjectFieldStart(name);
        for (final Map.Entry<String, Long> entry : new TreeMap<>(counts).entrySet())
        {
            json.writeNumberField(entry.getKey(), entry.getValue());
        }
        json.writeEndObject();
    }

    private static Map<String, Long> readCounts(final JsonParser json, final String name) throws IOException
    {
        final Map<String, Long> counts = new TreeMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME)
        {
            final String key = json.currentName();
            if (json.nextToken() != JsonToken.VALUE_NUMBER_INT)
            {
                throw new IllegalArgumentException("load report '" + name + "' has a non-number for " + key);
            }
            counts.put(key, json.getLongValue());
        }
        return counts;
    }

    private static Map<String, Long> counts(final Map<String, Map<String, Long>> counts, final String name)
    {
        final Map<String, Long> value = counts.get(name);
        if (value == null)
        {
            throw new IllegalArgumentException("load report has no object '" + name + "'");
        }
        return value;
    }

    private static long number(final Map<String, Long> numbers, final String name)
    {
        final Long value = numbers.get(name);
        if (value == null)
        {
            throw new IllegalArgumentException("load report has no number '" + name + "'");
        }
        return value;
    }
}
