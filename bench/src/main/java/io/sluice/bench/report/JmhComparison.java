package io.sluice.bench.report;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * bench/run-jmh --baseline's result: the same benchmarks run at the baseline revision (before)
 * and at this checkout (after), in interleaved rounds; per benchmark and parameters the median
 * score of each side, after / before, the ratio within each round (whose spread says how far the
 * ratio of the medians can be trusted) and the bytes allocated per operation on each side. JMH's
 * figures are not asserted anywhere, so there is no verdict: for time per operation, a ratio
 * below 1 is faster.
 */
public final class JmhComparison
{
    private static final String ALLOCATION = "gc.alloc.rate.norm";

    record Score(double score, double allocated, String unit, String mode)
    {
    }

    record Row(String benchmark, String params, String unit, String mode, Summary before, Summary after, double ratio,
        List<Double> rounds, double allocatedBefore, double allocatedAfter)
    {
    }

    private final Context context;
    private final List<Row> rows = new ArrayList<>();

    public JmhComparison(final Context context, final List<Path> before, final List<Path> after)
    {
        this.context = context;
        final List<Map<String, Score>> beforeRounds = before.stream().map(JmhComparison::scores).toList();
        final List<Map<String, Score>> afterRounds = after.stream().map(JmhComparison::scores).toList();
        final Map<String, Score> keys = new TreeMap<>();
        afterRounds.forEach(keys::putAll);
        for (final Map.Entry<String, Score> key : keys.entrySet())
        {
            final List<Double> b = beforeRounds.stream().filter(r -> r.containsKey(key.getKey()))
                .map(r -> r.get(key.getKey()).score()).toList();
            final List<Double> a = afterRounds.stream().filter(r -> r.containsKey(key.getKey()))
                .map(r -> r.get(key.getKey()).score()).toList();
            final List<Double> rounds = new ArrayList<>();
            for (int i = 0; i < Math.min(beforeRounds.size(), afterRounds.size()); i++)
            {
                final Score sb = beforeRounds.get(i).get(key.getKey());
                final Score sa = afterRounds.get(i).get(key.getKey());
                if (sb != null && sa != null && sb.score() > 0)
                {
                    rounds.add(sa.score() / sb.score());
                }
            }
            final Summary sb = Summary.of(b);
            final Summary sa = Summary.of(a);
            final String[] name = key.getKey().split(" ", 2);
            rows.add(new Row(name[0], name.length > 1 ? name[1] : "", key.getValue().unit(), key.getValue().mode(), sb, sa,
                Verdict.ratio(sa.median(), sb.median()), rounds, allocated(beforeRounds, key.getKey()),
                    allocated(afterRounds, key.getKey())));
        }
    }

    private static double allocated(final List<Map<String, Score>> rounds, final String key)
    {
        return Summary.of(rounds.stream().filter(r -> r.containsKey(key)).map(r -> r.get(key).allocated()).toList()).median();
    }

    /** One JMH result file: per "benchmark param=value,..." its primary score and bytes per operation. */
    @SuppressWarnings("unchecked")
    static Map<String, Score> scores(final Path file)
    {
        final Map<String, Score> scores = new LinkedHashMap<>();
        for (final Object entry : (List<Object>)JsonTree.read(file))
        {
            final Map<String, Object> result = (Map<String, Object>)entry;
            final Map<String, Object> params = (Map<String, Object>)result.getOrDefault("params", Map.of());
            final StringBuilder key = new StringBuilder(((String)result.get("benchmark"))
                .replaceFirst("^io\\.sluice\\.bench\\.", ""));
            String separator = " ";
            for (final Map.Entry<String, Object> param : new TreeMap<>(params).entrySet())
            {
                key.append(separator).append(param.getKey()).append('=').append(param.getValue());
                separator = ",";
            }
            final Map<String, Object> primary = (Map<String, Object>)result.get("primaryMetric");
            final Map<String, Object> secondary = (Map<String, Object>)result.getOrDefault("secondaryMetrics", Map.of());
            final Object allocation = secondary.get(ALLOCATION);
            scores.put(key.toString(), new Score((Double)primary.get("score"),
                allocation == null ? 0 : (Double)((Map<String, Object>)allocation).get("score"), (String)primary.get("scoreUnit"),
                (String)result.get("mode")));
        }
        return scores;
    }

    List<Row> rows()
    {
        return rows;
    }

    public void writeJson(final JsonOut json)
    {
        json.startObject().startObject("machine").text("cpus", context.text("machine")).text("kernel", context.text("kernel"))
            .text("jdk", context.text("jdk")).text("load_average", context.text("load_average")).endObject()
            .startObject("baseline").text("revision", context.text("baseline")).text("commit", context.text("baseline_commit"))
            .endObject()
            .text("sluice_commit", context.text("sluice_commit")).text("command", context.text("command"))
            .number("rounds", context.integer("rounds"), 0).startArray("comparisons");
        for (final Row row : rows)
        {
            json.startObject().text("benchmark", row.benchmark()).text("params", row.params()).text("mode", row.mode())
                .text("unit", row.unit()).number("before", row.before().median(), 3).number("after", row.after().median(), 3)
                .number("ratio", row.ratio(), 2).startArray("rounds");
            row.rounds().forEach(r -> json.number(r, 2));
            json.endArray().number("alloc_bytes_per_op_before", row.allocatedBefore(), 1)
                .number("alloc_bytes_per_op_after", row.allocatedAfter(), 1).endObject();
        }
        json.endArray().endObject();
    }

    public void writeMarkdown(final PrintWriter md)
    {
        md.println("# JMH run " + context.text("stamp") + ": before and after, interleaved");
        md.println();
        md.println("- machine: " + context.text("machine"));
        md.println("- kernel: " + context.text("kernel") + "; JDK: " + context.text("jdk"));
        md.println("- load average at start: " + context.text("load_average"));
        md.println("- before: sluice at " + context.text("baseline_short") + " (`--baseline " + context.text("baseline")
            + "`), built in a worktree of its own; after: sluice at " + context.text("sluice_commit"));
        md.println("- " + context.text("rounds") + " round(s), each before then after: `" + context.text("command") + "`");
        md.println("- medians over the rounds; after / before below 1 is faster for time per operation; the ratio within"
            + " each round says how far the ratio of the medians can be trusted");
        md.println();
        md.println("| benchmark | params | unit | before | after | after / before | per round | B/op before | B/op after |");
        md.println("|---|---|---|---:|---:|---:|---|---:|---:|");
        for (final Row row : rows)
        {
            md.println("| " + row.benchmark() + " | " + row.params() + " | " + row.unit() + " | "
                + Fixed.of(row.before().median(), 3)
                + " | " + Fixed.of(row.after().median(), 3) + " | " + Fixed.of(row.ratio(), 2) + " | "
                + String.join(", ", row.rounds().stream().map(r -> Fixed.of(r, 2)).toList()) + " | "
                + Fixed.of(row.allocatedBefore(), 1) + " | " + Fixed.of(row.allocatedAfter(), 1) + " |");
        }
    }
}
