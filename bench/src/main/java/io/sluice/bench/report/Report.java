package io.sluice.bench.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The bench scripts' one entry point for figures (java -cp sluice-bench.jar io.sluice.bench.report.Report):
 *
 * <pre>
 *   Report pps RUNS.jsonl OUT KEY=VALUE...         writes OUT.json and OUT.md (bench/pps/run-pps)
 *   Report rps RUNS.jsonl OUT KEY=VALUE...         the same for bench/rps/run-rps
 *   Report tls RUNS.jsonl OUT KEY=VALUE...         the same for bench/tls/run-tls
 *   Report compress RUNS.jsonl OUT KEY=VALUE...    the same for bench/compress/run-compress
 *   Report cache RUNS.jsonl OUT KEY=VALUE...       the same for bench/cache/run-cache
 *   Report gateway RUNS.jsonl OUT KEY=VALUE...     the same for bench/gateway/run-gateway
 *   Report again RESULT.json OUT                   a compress, cache or gateway result's figures made anew from
 *                                                  the runs and context it records
 *   Report jmh OUT before=A.json,... after=B.json,... KEY=VALUE...   bench/run-jmh --baseline
 *   Report percentiles H2LOAD-LOG                  prints "p50 p90 p99 p999 max answered"
 *   Report median RUNS.jsonl FIELD NAME=VALUE...   prints FIELD's median over the successful runs
 *                                                  that match, as a whole number (0 when none)
 * </pre>
 */
public final class Report
{
    private Report()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final List<String> rest = Arrays.asList(args).subList(Math.min(args.length, 1), args.length);
        final String what = args.length == 0 ? "" : args[0];
        switch (what)
        {
            case "pps" ->
            {
                final PpsReport report = new PpsReport(Context.of(rest.subList(2, rest.size())),
                    Run.readAll(Path.of(rest.get(0))));
                write(rest.get(1), report::writeJson, report::writeMarkdown);
            }
            case "rps" ->
            {
                final RpsReport report = new RpsReport(Context.of(rest.subList(2, rest.size())),
                    Run.readAll(Path.of(rest.get(0))));
                write(rest.get(1), report::writeJson, report::writeMarkdown);
            }
            case "tls" ->
            {
                final TlsReport report = new TlsReport(Context.of(rest.subList(2, rest.size())),
                    Run.readAll(Path.of(rest.get(0))));
                write(rest.get(1), report::writeJson, report::writeMarkdown);
            }
            case "compress", "cache", "gateway" -> harness(what, Context.of(rest.subList(2, rest.size())),
                Run.readAll(Path.of(rest.get(0))), rest.get(1));
            case "again" ->
            {
                final HarnessResult result = HarnessResult.read(Path.of(rest.get(0)));
                harness(result.bench(), result.context(), result.runs(), rest.get(1));
            }
            case "jmh" ->
            {
                final Context context = Context.of(rest.subList(1, rest.size()));
                final JmhComparison report = new JmhComparison(context, paths(context.list("before")),
                    paths(context.list("after")));
                write(rest.get(0), report::writeJson, report::writeMarkdown);
            }
            case "median" ->
            {
                final Predicate<Run> which = Context.of(rest.subList(2, rest.size())).matcher();
                System.out.println(Fixed.of(new RunSet(Run.readAll(Path.of(rest.get(0)))).summary(which, rest.get(1))
                    .median(), 0));
            }
            case "percentiles" -> System.out.println(Percentiles.of(Files.exists(Path.of(rest.get(0)))
                ? Files.readAllLines(Path.of(rest.get(0))) : List.of()));
            default ->
            {
                System.err.println("usage: Report pps|rps|tls|compress|cache|gateway RUNS.jsonl OUT KEY=VALUE..."
                    + " | again RESULT.json OUT"
                    + " | jmh OUT before=... after=... KEY=VALUE..."
                    + " | percentiles H2LOAD-LOG | median RUNS.jsonl FIELD NAME=VALUE...");
                System.exit(2);
            }
        }
    }

    /** The figures of a harness that shares {@link HarnessRules}: compress, cache or gateway. */
    private static void harness(final String bench, final Context context, final List<Run> runs, final String out)
    {
        switch (bench)
        {
            case "compress" ->
            {
                final CompressReport report = new CompressReport(context, runs);
                write(out, report::writeJson, report::writeMarkdown);
            }
            case "cache" ->
            {
                final CacheReport report = new CacheReport(context, runs);
                write(out, report::writeJson, report::writeMarkdown);
            }
            case "gateway" ->
            {
                final GatewayReport report = new GatewayReport(context, runs);
                write(out, report::writeJson, report::writeMarkdown);
            }
            default -> throw new IllegalArgumentException("no such harness: '" + bench + "'");
        }
    }

    private static List<Path> paths(final List<String> names)
    {
        return names.stream().map(Path::of).toList();
    }

    private static void write(final String out, final Consumer<JsonOut> json, final Consumer<PrintWriter> markdown)
    {
        try
        {
            try (JsonOut writer = new JsonOut(Files.newBufferedWriter(Path.of(out + ".json"), StandardCharsets.UTF_8)))
            {
                json.accept(writer);
            }
            try (PrintWriter md = new PrintWriter(Files.newBufferedWriter(Path.of(out + ".md"), StandardCharsets.UTF_8)))
            {
                markdown.accept(md);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
