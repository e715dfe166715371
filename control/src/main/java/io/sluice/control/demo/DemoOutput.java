package io.sluice.control.demo;

import io.sluice.l7.json.JsonWriter;
import io.sluice.control.lab.ExecResult;

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
            fields.put("error", JsonWriter.quote(message));
        }
        else
        {
            System.err.println("sluice demo: " + message);
        }
    }

    void jsonHost(final String host, final String namespace, final String address, final String mac)
    {
        hosts.add("{\"host\":" + JsonWriter.quote(host) + ",\"namespace\":" + JsonWriter.quote(namespace) +
            ",\"address\":" + JsonWriter.quote(address) + ",\"mac\":" + JsonWriter.quote(mac) + "}");
    }

    void jsonCommand(final String command, final ExecResult result)
    {
        commands.add("{\"command\":" + JsonWriter.quote(command) + ",\"exitCode\":" + result.exitCode() +
            ",\"stdout\":" + JsonWriter.quote(result.stdout()) + ",\"stderr\":" + JsonWriter.quote(result.stderr()) + "}");
    }

    /** A field of the final JSON object whose value is already JSON. */
    void jsonRaw(final String name, final String jsonValue)
    {
        fields.put(name, jsonValue);
    }

    void json(final String name, final String value)
    {
        fields.put(name, JsonWriter.quote(value));
    }

    /** Prints the JSON object (in JSON mode); once. */
    void finish()
    {
        if (!json || finished)
        {
            return;
        }
        finished = true;
        final StringBuilder object = new StringBuilder("{\"hosts\":[").append(String.join(",", hosts))
            .append("],\"commands\":[").append(String.join(",", commands)).append(']');
        for (final Map.Entry<String, String> field : fields.entrySet())
        {
            object.append(',').append(JsonWriter.quote(field.getKey())).append(':').append(field.getValue());
        }
        out.println(object.append('}'));
        out.flush();
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
