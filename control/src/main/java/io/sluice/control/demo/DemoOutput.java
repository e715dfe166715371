package io.sluice.control.demo;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.control.json.Json;
import io.sluice.lab.ExecResult;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the demo's story goes: short titled sections and echoed commands for a person, or, with
 * {@code --json}, one JSON object printed at the end for a script.
 */
final class DemoOutput
{
    private static final String INDENT = "    ";

    private final boolean json;
    private final PrintStream out = System.out;
    private final List<String> hosts = new ArrayList<>();
    private final List<String> commands = new ArrayList<>();
    private final Map<String, String> fields = new LinkedHashMap<>();
    private boolean finished;

    DemoOutput(final boolean json)
    {
        this.json = json;
    }

    void title(final String title)
    {
        text(title);
    }

    void section(final String title)
    {
        text("");
        text("== " + title + " " + "=".repeat(Math.max(3, 76 - title.length())));
    }

    /** Echoes a command the way a tutorial shows it; {@code host} names the lab namespace it runs in, if any. */
    void command(final String host, final String command)
    {
        text(host == null ? "$ " + command : "[" + host + "]$ " + command);
    }

    void line(final String line)
    {
        text(line);
    }

    /** A command's own output, indented under it. */
    void output(final String output)
    {
        output.lines().filter(line -> !line.isBlank()).forEach(line -> text(INDENT + line));
    }

    void error(final String message)
    {
        if (json)
        {
            fields.put("error", Json.quote(message));
        }
        else
        {
            System.err.println("sluice demo: " + message);
        }
    }

    void jsonHost(final String host, final String namespace, final String address, final String mac)
    {
        hosts.add(Json.write(json ->
        {
            json.writeStartObject();
            json.writeStringField("host", host);
            json.writeStringField("namespace", namespace);
            json.writeStringField("address", address);
            json.writeStringField("mac", mac);
            json.writeEndObject();
        }));
    }

    void jsonCommand(final String command, final ExecResult result)
    {
        commands.add(Json.write(json ->
        {
            json.writeStartObject();
            json.writeStringField("command", command);
            json.writeNumberField("exitCode", result.exitCode());
            json.writeStringField("stdout", result.stdout());
            json.writeStringField("stderr", result.stderr());
            json.writeEndObject();
        }));
    }

    /** A field of the final JSON object whose value is already JSON. */
    void jsonRaw(final String name, final String jsonValue)
    {
        fields.put(name, jsonValue);
    }

    void json(final String name, final String value)
    {
        fields.put(name, Json.quote(value));
    }

    /** Prints the JSON object (in JSON mode); once. */
    void finish()
    {
        if (!json || finished)
        {
            return;
        }
        finished = true;
        out.println(Json.write(json ->
        {
            json.writeStartObject();
            rawArray(json, "hosts", hosts);
            rawArray(json, "commands", commands);
            for (final Map.Entry<String, String> field : fields.entrySet())
            {
                json.writeFieldName(field.getKey());
                json.writeRawValue(field.getValue());
            }
            json.writeEndObject();
        }));
        out.flush();
    }

    /** An array of values that are JSON already (written as they come, so one document holds them all). */
    private static void rawArray(final JsonGenerator json, final String name, final List<String> values) throws IOException
    {
        json.writeArrayFieldStart(name);
        for (final String value : values)
        {
            json.writeRawValue(value);
        }
        json.writeEndArray();
    }

    private void text(final String line)
    {
        if (!json)
        {
            out.println(line);
            out.flush();
        }
    }
}
