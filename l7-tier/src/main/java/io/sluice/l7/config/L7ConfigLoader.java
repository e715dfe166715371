package io.sluice.l7.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a {@code sluice l7 --config FILE} file into a validated {@link L7Config}, or refuses it
 * with one {@link ConfigException} whose message is a single line naming the file, the line
 * and the field: {@code l7.yaml:12: routes[0].to[1].pool: no pool named 'api-v3'}.
 * <p>
 * The YAML is composed into nodes, not bound to objects: nodes keep their line numbers, and
 * reading them by hand is what lets an unknown key (a typo) be an error instead of a silently
 * ignored setting. The schema is in {@code l7-tier/src/test/resources/l7-example.yaml}.
 */
public final class L7ConfigLoader
{
    private static final Pattern UNQUOTED_IPV6 = Pattern.compile(":\\s+\\[[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]:");

    private L7ConfigLoader()
    {
    }

    /** @throws ConfigException {@code FILE: cannot read: reason}, or the first problem in it. */
    public static L7Config load(final Path file)
    {
        final String text;
        try
        {
            text = Files.readString(file);
        }
        catch (final IOException ex)
        {
            throw new ConfigException(file + ": cannot read: " + reason(ex));
        }
        return parse(text, file.toString());
    }

    /**
     * @param sourceName what errors call the text, e.g. the file's name.
     * @throws ConfigException {@code SOURCE:LINE: FIELD: reason} for the first problem.
     */
    public static L7Config parse(final String text, final String sourceName)
    {
        final Node root = compose(text, sourceName)
            .orElseThrow(() -> ConfigException.at(sourceName, 1, "", "empty; needs listeners, routes and pools"));
        return L7ConfigReader.config(new ConfigNode(root, sourceName, ""));
    }

    private static Optional<Node> compose(final String text, final String sourceName)
    {
        final LoadSettings settings = LoadSettings.builder().setLabel(sourceName).build();
        try
        {
            return new Compose(settings).composeString(text);
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

    private static String reason(final IOException ex)
    {
        if (ex instanceof NoSuchFileException)
        {
            return "no such file";
        }
        if (ex instanceof AccessDeniedException)
        {
            return "permission denied";
        }
        if (ex instanceof CharacterCodingException)
        {
            return "not UTF-8 text";
        }
        return ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName();
    }
}
