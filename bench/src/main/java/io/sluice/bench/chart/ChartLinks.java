package io.sluice.bench.chart;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Markdown that shows the charts: a result report's "## Charts" section (put before its first
 * section, or replaced where it is), and bench/README.md's blocks between
 * {@code <!-- charts: BENCH -->} and {@code <!-- /charts -->}, each filled with its bench's latest
 * charts.
 */
final class ChartLinks
{
    static final String HEADING = "## Charts";
    private static final Pattern BLOCK = Pattern.compile("(<!-- charts: ([a-z0-9]+) -->\n)(.*?)(<!-- /charts -->)",
        Pattern.DOTALL);

    /** An image line: alt text and a path. */
    record Image(String alt, String path)
    {
        String markdown()
        {
            return "![" + alt.replace("]", ")").replace("[", "(") + "](" + path + ")";
        }
    }

    private ChartLinks()
    {
    }

    /** The report with its "## Charts" section holding these images (or none, when there are no images). */
    static String withSection(final String report, final List<Image> images)
    {
        final String without = withoutSection(report);
        if (images.isEmpty())
        {
            return without;
        }
        final StringBuilder section = new StringBuilder(HEADING + "\n\n");
        images.forEach(image -> section.append(image.markdown()).append("\n\n"));
        final int first = without.startsWith("## ") ? 0 : without.indexOf("\n## ") + 1;
        if (first <= 0 && !without.startsWith("## "))
        {
            return without + (without.endsWith("\n\n") ? "" : without.endsWith("\n") ? "\n" : "\n\n") + section;
        }
        return without.substring(0, first) + section + without.substring(first);
    }

    private static String withoutSection(final String report)
    {
        final int start = report.startsWith(HEADING + "\n") ? 0 : report.indexOf("\n" + HEADING + "\n") + 1;
        if (start <= 0 && !report.startsWith(HEADING + "\n"))
        {
            return report;
        }
        final int next = report.indexOf("\n## ", start + HEADING.length());
        return report.substring(0, start) + (next < 0 ? "" : report.substring(next + 1));
    }

    /** The README with each charts block holding its bench's images (a bench without any keeps an empty block). */
    static String withBlocks(final String readme, final Map<String, List<Image>> byBench)
    {
        final Matcher block = BLOCK.matcher(readme);
        final StringBuilder out = new StringBuilder();
        while (block.find())
        {
            final StringBuilder images = new StringBuilder();
            byBench.getOrDefault(block.group(2), List.of()).forEach(image -> images.append(image.markdown()).append('\n'));
            block.appendReplacement(out, Matcher.quoteReplacement(block.group(1) + images + block.group(4)));
        }
        block.appendTail(out);
        return out.toString();
    }
}
