package io.sluice.bench.chart;

import io.sluice.bench.report.JsonTree;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * bench/render-charts (java -cp sluice-bench.jar io.sluice.bench.chart.Charts [BENCH-DIR]): renders
 * the charts of every result file under BENCH-DIR/results and BENCH-DIR/NAME/results (default
 * "bench") into a charts/ directory beside it, NAME-STAMP-SLOT.svg, gives each result's Markdown
 * report a "## Charts" section that shows them, and fills BENCH-DIR/README.md's charts blocks with
 * each bench's latest charts (for each chart, the latest result that has it). Rendering is cheap
 * and the same results always give the same files, so it renders everything every time.
 */
public final class Charts
{
    private Charts()
    {
    }

    public static void main(final String[] args)
    {
        final Path root = Path.of(args.length == 0 ? "bench" : args[0]);
        final Map<String, List<ChartLinks.Image>> latest = render(root);
        final Path readme = root.resolve("README.md");
        if (Files.exists(readme))
        {
            rewrite(readme, ChartLinks.withBlocks(read(readme), latest));
        }
        System.err.println("render-charts: " + latest.values().stream().mapToInt(List::size).sum()
            + " latest charts linked from " + readme);
    }

    /** Renders every result's charts and links them from its report; returns each bench's latest charts, paths from root. */
    static Map<String, List<ChartLinks.Image>> render(final Path root)
    {
        final Map<String, Map<String, ChartLinks.Image>> latestBySlot = new TreeMap<>();
        for (final Path result : results(root))
        {
            final String stem = result.getFileName().toString().replaceFirst("\\.json$", "");
            final String bench = ResultCharts.bench(stem);
            final Object tree = JsonTree.read(result);
            if (!(tree instanceof Map<?, ?> fields))
            {
                continue;
            }
            final List<ResultCharts.Chart> charts = ResultCharts.of(bench, stem.substring(bench.length() + 1),
                new ResultTree(fields));
            final Path dir = result.resolveSibling("charts");
            removeOld(dir, stem);
            final List<ChartLinks.Image> images = new ArrayList<>();
            for (final ResultCharts.Chart chart : charts)
            {
                final Path file = dir.resolve(stem + "-" + chart.slot() + ".svg");
                rewrite(file, chart.svg());
                images.add(new ChartLinks.Image(chart.title(), "charts/" + file.getFileName()));
                latestBySlot.computeIfAbsent(bench, b -> new LinkedHashMap<>()).put(chart.slot(), new ChartLinks.Image(
                    chart.title() + " (" + stem.substring(bench.length() + 1) + ")",
                    root.relativize(file).toString()));
            }
            final Path report = result.resolveSibling(stem + ".md");
            if (Files.exists(report))
            {
                rewrite(report, ChartLinks.withSection(read(report), images));
            }
        }
        final Map<String, List<ChartLinks.Image>> latest = new LinkedHashMap<>();
        latestBySlot.forEach((bench, slots) -> latest.put(bench, List.copyOf(slots.values())));
        return latest;
    }

    /** The result files a chart is drawn from, oldest first within each directory (names carry their UTC stamp). */
    static List<Path> results(final Path root)
    {
        final List<Path> dirs = new ArrayList<>();
        dirs.add(root.resolve("results"));
        try (Stream<Path> children = Files.list(root))
        {
            children.map(child -> child.resolve("results")).filter(Files::isDirectory).sorted().forEach(dirs::add);
            final List<Path> results = new ArrayList<>();
            for (final Path dir : dirs.stream().filter(Files::isDirectory).toList())
            {
                try (Stream<Path> files = Files.list(dir))
                {
                    files.filter(f -> f.getFileName().toString()
                            .matches("(pps|rps|tls|compress|cache|gateway)-\\d{8}T\\d{6}Z\\.json"))
                        .sorted(Comparator.comparing(Path::getFileName)).forEach(results::add);
                }
            }
            return results;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** A result's charts from an earlier rendering, so that a chart the result no longer has does not linger. */
    private static void removeOld(final Path dir, final String stem)
    {
        if (!Files.isDirectory(dir))
        {
            return;
        }
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path file : files.filter(f -> f.getFileName().toString().startsWith(stem + "-")).toList())
            {
                Files.delete(file);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void rewrite(final Path file, final String text)
    {
        try
        {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
