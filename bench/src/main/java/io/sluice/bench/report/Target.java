package io.sluice.bench.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One target line of a report as its JSON gives it: what is compared, the figures (text, numbers
 * with their decimals, or a list of per-round ratios) and the verdict.
 */
public record Target(Map<String, Object> fields)
{
    /** A number as the JSON prints it. */
    public record Num(double value, int decimals)
    {
    }

    public static Target of(final String what)
    {
        final Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("what", what);
        return new Target(fields);
    }

    public Target with(final String name, final Object value)
    {
        fields.put(name, value);
        return this;
    }

    public String verdict()
    {
        return (String)fields.get("verdict");
    }

    public void write(final JsonOut json)
    {
        json.startObject();
        fields.forEach((name, value) ->
        {
            switch (value)
            {
                case Num n -> json.number(name, n.value(), n.decimals());
                case List<?> list ->
                {
                    json.startArray(name);
                    list.forEach(item -> json.number(((Num)item).value(), ((Num)item).decimals()));
                    json.endArray();
                }
                default -> json.text(name, value.toString());
            }
        });
        json.endObject();
    }

    /**
     * A report's JSON from its targets on: "targets", "target_met" (null while no verdict could be
     * given) and "runs_detail" with every run as recorded; closes the report's object.
     */
    public static void writeVerdicts(final JsonOut json, final List<Target> targets, final Boolean met, final RunSet runs)
    {
        json.startArray("targets");
        targets.forEach(target -> target.write(json));
        json.endArray();
        if (met == null)
        {
            json.nul("target_met");
        }
        else
        {
            json.bool("target_met", met);
        }
        json.startArray("runs_detail");
        runs.all().forEach(run -> json.raw(run.line()));
        json.endArray().endObject();
    }
}
