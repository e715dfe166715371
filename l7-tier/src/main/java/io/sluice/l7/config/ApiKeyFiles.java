package io.sluice.l7.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code auth.api_keys.file}: one {@code NAME SHA256-HEX} per line (blank lines and {@code #}
 * comments aside), the hash of each key and never the key, so the file gives away nothing a
 * client could show. A line that is not that is refused by its number alone: its text is not
 * repeated, in case a key was pasted there.
 */
final class ApiKeyFiles
{
    private static final Pattern LINE = Pattern.compile("([A-Za-z0-9_.@:-]+)[ \t]+([0-9a-fA-F]{64})[ \t]*");

    private ApiKeyFiles()
    {
    }

    /** Key name to the lower-case hex hash of its key, in the file's order. */
    static Map<String, String> hashes(final ConfigNode node)
    {
        final Path file = node.file();
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file);
        }
        catch (final IOException ex)
        {
            throw node.error("cannot read " + file + ": " + ex.getMessage());
        }
        final Map<String, String> hashes = new LinkedHashMap<>();
        final Map<String, Integer> names = new LinkedHashMap<>();
        final Map<String, Integer> hashLines = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final Matcher matcher = LINE.matcher(line);
            final int number = i + 1;
            if (!matcher.matches())
            {
                throw node.error(file + ":" + number + ": expected NAME and the key's SHA-256 in hex (64 digits)");
            }
            final String name = matcher.group(1);
            final String hash = matcher.group(2).toLowerCase(Locale.ROOT);
            final Integer firstName = names.putIfAbsent(name, number);
            if (firstName != null)
            {
                throw node.error(file + ":" + number + ": key name '" + name + "' again (first on line " + firstName + ")");
            }
            final Integer firstHash = hashLines.putIfAbsent(hash, number);
            if (firstHash != null)
            {
                throw node.error(file + ":" + number + ": the same key as line " + firstHash + " under another name");
            }
            hashes.put(name, hash);
        }
        if (hashes.isEmpty())
        {
            throw node.error(file + " lists no key");
        }
        return hashes;
    }
}
