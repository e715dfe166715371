package io.sluice.bench.report;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a script knows about its run and hands over as KEY=VALUE arguments: the machine, the
 * command, the settings and the commands it started. The program prints these as given.
 */
public final class Context
{
    private final Map<String, String> values = new LinkedHashMap<>();

    public static Context of(final List<String> arguments)
    {
        final Context context = new Context();
        for (final String argument : arguments)
        {
            final int equals = argument.indexOf('=');
            if (equals <= 0)
            {
                throw new IllegalArgumentException("expected KEY=VALUE, got '" + argument + "'");
            }
            context.values.put(argument.substring(0, equals), argument.substring(equals + 1));
        }
        return context;
    }

    public Context with(final String key, final String value)
    {
        values.put(key, value);
        return this;
    }

    /** A value the script must give; a missing one is the script's mistake, said at once. */
    public String text(final String key)
    {
        final String value = values.get(key);
        if (value == null)
        {
            throw new IllegalArgumentException("the script did not give " + key + "=...");
        }
        return value;
    }

    public String textOr(final String key, final String otherwise)
    {
        return values.getOrDefault(key, otherwise);
    }

    public int integer(final String key)
    {
        return Integer.parseInt(text(key));
    }

    /** The machine, its software and sluice's commit as the script gave them: the result JSON's "machine" object. */
    public void writeMachine(final JsonOut json)
    {
        json.startObject("machine").text("cpus", text("machine")).text("virtualization", text("virt"))
            .text("kernel", text("kernel")).text("jdk", text("jdk")).text("packages", text("packages"))
            .text("sluice_commit", text("sluice_commit")).text("load_average_at_start", text("load_average")).endObject();
    }

    /** The same as the Markdown reports' first lines. */
    public List<String> machineLines()
    {
        final String virt = text("virt");
        return List.of("- machine: " + text("machine") + ", " + (virt.isEmpty() ? "bare metal" : virt) + "; kernel "
            + text("kernel") + "; load average at start " + text("load_average"),
            "- JDK: " + text("jdk") + "; " + text("packages") + "; sluice at " + text("sluice_commit"));
    }

    /** Runs whose every field named here has the value given. */
    public Predicate<Run> matcher()
    {
        Predicate<Run> all = run -> true;
        for (final Map.Entry<String, String> value : values.entrySet())
        {
            all = all.and(RunSet.where(value.getKey(), value.getValue()));
        }
        return all;
    }

    /** A comma- or space-separated list ("haproxy,sluice-l7", "50 80"); empty when not given. */
    public List<String> list(final String key)
    {
        final String value = textOr(key, "").strip();
        return value.isEmpty() ? List.of() : Arrays.asList(value.split("[,\\s]+"));
    }
}
