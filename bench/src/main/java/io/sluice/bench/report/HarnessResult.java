package io.sluice.bench.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A compress, cache or gateway result file read back as what made it: its bench, the runs as
 * recorded ("runs_detail", each line as it was) and the context its script gave (stamp, command,
 * machine, settings), so that {@code Report again} computes its figures anew with today's rules.
 */
public record HarnessResult(String bench, Context context, List<Run> runs)
{
    private static final JsonFactory JSON = new JsonFactory();
    /** The result file's "machine" names against the script's. */
    private static final Map<String, String> MACHINE = Map.of("cpus", "machine", "virtualization", "virt", "kernel", "kernel",
        "jdk", "jdk", "packages", "packages", "sluice_commit", "sluice_commit", "load_average_at_start", "load_average");

    public static HarnessResult read(final Path file)
    {
        String bench = "";
        final Context context = Context.of(List.of());
        final List<Run> runs = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(file.toFile()))
        {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME)
            {
                final String name = parser.currentName();
                final JsonToken value = parser.nextToken();
                switch (name)
                {
                    case "bench" -> bench = parser.getText();
                    case "stamp", "command" -> context.with(name, parser.getText());
                    case "machine" -> texts(parser, context, MACHINE);
                    case "settings" -> texts(parser, context, Map.of());
                    case "runs_detail" ->
                    {
                        while (parser.nextToken() == JsonToken.START_OBJECT)
                        {
                            runs.add(Run.parse(copy(parser)));
                        }
                    }
                    default ->
                    {
                        if (value.isStructStart())
                        {
                            parser.skipChildren();
                        }
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return new HarnessResult(bench, context, runs);
    }

    /** An object of texts into the context, each under its name in names (or its own); nulls left out. */
    private static void texts(final JsonParser parser, final Context context, final Map<String, String> names) throws IOException
    {
        while (parser.nextToken() == JsonToken.FIELD_NAME)
        {
            final String name = parser.currentName();
            if (parser.nextToken() != JsonToken.VALUE_NULL)
            {
                context.with(names.getOrDefault(name, name), parser.getText());
            }
        }
    }

    private static String copy(final JsonParser parser) throws IOException
    {
        final StringWriter line = new StringWriter();
        try (JsonGenerator generator = JSON.createGenerator(line))
        {
            generator.copyCurrentStructure(parser);
        }
        return line.toString();
    }
}
