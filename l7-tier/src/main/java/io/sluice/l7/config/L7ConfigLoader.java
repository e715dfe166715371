package io.sluice.l7.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

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
        final ConfigNode root = YamlDocument.compose(text, sourceName)
            .orElseThrow(() -> ConfigException.at(sourceName, 1, "", "empty; needs listeners, routes and pools"));
        return L7ConfigReader.config(root);
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
