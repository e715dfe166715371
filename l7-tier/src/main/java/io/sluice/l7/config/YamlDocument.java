package io.sluice.l7.config;

import java.util.Optional;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * YAML text to a tree of {@link ConfigNode}s, with snakeyaml's syntax errors (several lines
 * with a snippet) turned into one-line {@link ConfigException}s that keep the line number.
 * One document only; anchors and aliases work, merge keys ({@code <<}) do not.
 */
final class YamlDocument
{
    private static final Pattern UNQUOTED_IPV6 = Pattern.compile(":\\s+\\[[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]:");

    private YamlDocument()
    {
    }

    /** @return the root, or empty for a file with no document (nothing, or only comments). */
    static Optional<ConfigNode> compose(final String text, final String sourceName)
    {
        final LoadSettings settings = LoadSettings.builder().setLabel(sourceName).build();
        try
        {
            return new Compose(settings).composeString(text).map(root -> new ConfigNode(root, sourceName, ""));
        }
        catch (final MarkedYamlEngineException ex)
        {
            // snakeyaml's message spans several lines with a snippet; a config error is one line.
            final int line = ex.getProblemMark().map(mark -> mark.getLine() + 1).orElse(0);
            final String context = ex.getContext() == null || ex.getContext().isBlank() ? "" : ex.getContext().strip() + ", ";
            throw ConfigException.at(sourceName, line, "", "invalid YAML: " + oneLine(context + ex.getProblem()) + hint(text, line));
        }
        catch (final ReaderException ex)
        {
            // Its position counts code points from the start; the line is what a user needs.
            final int end = text.offsetByCodePoints(0, Math.min(ex.getPosition(), text.codePointCount(0, text.length())));
            final int line = 1 + (int)text.substring(0, end).chars().filter(c -> c == '\n').count();
            throw ConfigException.at(sourceName, line, "", "invalid YAML: " + ex.getMessage()
                + String.format(" (U+%04X)", ex.getCodePoint()));
        }
        catch (final YamlEngineException ex)
        {
            throw ConfigException.at(sourceName, 0, "", "invalid YAML: " + oneLine(ex.getMessage()));
        }
    }

    /**
     * The likeliest syntax error in this file is an IPv6 address left unquoted: YAML reads
     * {@code [2001:2::1]:80} as a list and then chokes on {@code :80}, which says nothing useful.
     */
    private static String hint(final String text, final int line)
    {
        final String[] lines = text.split("\n", -1);
        final boolean unquotedIpv6 = line >= 1 && line <= lines.length && UNQUOTED_IPV6.matcher(lines[line - 1]).find();
        return unquotedIpv6 ? " (quote IPv6 addresses: \"[2001:2::1]:80\")" : "";
    }

    private static String oneLine(final String text)
    {
        return text.strip().replaceAll("\\s*\\n\\s*", " ");
    }
}
