package io.sluice.bench.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One measured run as a script recorded it: a flat JSON object on a line of its own. The line
 * is kept as written, for the result file's list of every run, and so is each value's text, for
 * the tables that show a run's figures as it recorded them.
 */
public record Run(Map<String, Object> fields, Map<String, String> texts, String line)
{
    private static final JsonFactory JSON = new JsonFactory();

    public static List<Run> readAll(final Path file)
    {
        try
        {
            final List<Run> runs = new ArrayList<>();
            for (final String line : Files.readAllLines(file))
            {
                if (!line.isBlank())
                {
                    runs.add(parse(line.strip()));
                }
            }
            return runs;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public static Run parse(final String line)
    {
        final Map<String, Object> fields = new LinkedHashMap<>();
        final Map<String, String> texts = new LinkedHashMap<>();
        try (JsonParser parser = JSON.createParser(line))
        {
            if (parser.nextToken() != JsonToken.START_OBJECT)
            {
                throw new IllegalArgumentException("a run is a JSON object: " + line);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME)
            {
                final String name = parser.currentName();
                final JsonToken value = parser.nextToken();
                texts.put(name, value == JsonToken.VALUE_NULL ? "" : parser.getText());
                switch (value)
                {
                    case VALUE_STRING -> fields.put(name, parser.getText());
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> fields.put(name, parser.getDoubleValue());
                    case VALUE_TRUE, VALUE_FALSE -> fields.put(name, value == JsonToken.VALUE_TRUE);
                    case VALUE_NULL -> fields.put(name, null);
                    default -> throw new IllegalArgumentException("a run's fields are flat: " + name + " in " + line);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("not a JSON run: " + line, ex);
        }
        return new Run(fields, texts, line);
    }

    /**
     * This run with the fields named in {@code replaced} taken out and {@code figures} (numbers, as
     * printed) put where the first of them was; the line is written again to match.
     */
    public Run replacing(final List<String> replaced, final Map<String, String> figures)
    {
        final Map<String, Object> newFields = new LinkedHashMap<>();
        final Map<String, String> newTexts = new LinkedHashMap<>();
        boolean placed = false;
        for (final Map.Entry<String, Object> field : fields.entrySet())
        {
            if (!replaced.contains(field.getKey()))
            {
                newFields.put(field.getKey(), field.getValue());
                newTexts.put(field.getKey(), texts.get(field.getKey()));
            }
            else if (!placed)
            {
                figures.forEach((name, text) ->
                {
                    newFields.put(name, Double.parseDouble(text));
                    newTexts.put(name, text);
                });
                placed = true;
            }
        }
        final StringWriter line = new StringWriter();
        try (JsonOut json = new JsonOut(line))
        {
            json.startObject();
            newFields.forEach((name, value) ->
            {
                switch (value)
                {
                    case null -> json.nul(name);
                    case Double d -> json.rawNumber(name, newTexts.get(name));
                    case Boolean b -> json.bool(name, b);
                    default -> json.text(name, value.toString());
                }
            });
            json.endObject();
        }
        return new Run(newFields, newTexts, line.toString().strip());
    }

    public String text(final String name)
    {
        return texts.getOrDefault(name, "");
    }

    public double number(final String name)
    {
        return fields.get(name) instanceof Double d ? d : 0;
    }

    public boolean ok()
    {
        return "ok".equals(fields.get("status"));
    }
}
