package io.sluice.l7.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A YAML node that knows where it is: the file, its line and its field path
 * ({@code routes[0].to[1].pool}), so any complaint about it becomes a one-line
 * {@link ConfigException} that a user can act on without guessing. The readers only see
 * these, never raw snakeyaml nodes, and take every value as text they check themselves: YAML's
 * own typing would turn {@code x-canary: 1} into a number and {@code on} into who knows what.
 */
final class ConfigNode
{
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,10}");

    private final Node node;
    private final String source;
    private final String path;

    ConfigNode(final Node node, final String source, final String path)
    {
        this.node = node;
        this.source = source;
        this.path = path;
    }

    String path()
    {
        return path;
    }

    /** 1-based; 0 if snakeyaml kept no mark. */
    int line()
    {
        return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
    }

    ConfigException error(final String reason)
    {
        return ConfigException.at(source, line(), path, reason);
    }

    /**
     * Where this node is, as an error names it ({@code l7.yaml:9: listeners[0].tls}): for a
     * problem found after loading, in a file the node names.
     */
    String where()
    {
        return ConfigException.at(source, line(), "", path).getMessage();
    }

    /** A file the value names: as written when absolute, else relative to the configuration file's directory. */
    Path file()
    {
        final String text = text();
        if (text.isEmpty())
        {
            throw error("expected a file name, found ''");
        }
        final Path named;
        try
        {
            named = Path.of(text);
        }
        catch (final InvalidPathException ex)
        {
            throw error("'" + text + "' is not a file name");
        }
        if (named.isAbsolute())
        {
            return named;
        }
        final Path directory = Path.of(source).toAbsolutePath().getParent();
        return directory == null ? named : directory.resolve(named);
    }

    /** An error about a key of this mapping that is not there, on the mapping's line. */
    ConfigException childError(final String key, final String reason)
    {
        return ConfigException.at(source, line(), childPath(key), reason);
    }

    private String childPath(final String key)
    {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean isScalar()
    {
        return node instanceof ScalarNode && !isNull();
    }

    boolean isMapping()
    {
        return node instanceof MappingNode;
    }

    boolean isList()
    {
        return node instanceof SequenceNode;
    }

    /** {@code key:} with nothing after it, {@code ~} or {@code null}. */
    private boolean isNull()
    {
        return node instanceof ScalarNode scalar && scalar.isPlain() && Tag.NULL.equals(node.getTag());
    }

    /** What the node is, for "expected X, found Y". */
    String describe()
    {
        if (isNull())
        {
            return "nothing";
        }
        if (node instanceof ScalarNode scalar)
        {
            final String value = scalar.getValue();
            return "'" + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'";
        }
        return isList() ? "a list" : "a mapping";
    }

    /**
     * A mapping whose keys the schema fixes: a key it does not know is an error that lists the
     * ones it does, so a typo is caught instead of silently ignored.
     */
    ConfigMapping mapping(final String... allowedKeys)
    {
        if (!isMapping())
        {
            throw error("expected a mapping (" + String.join(", ", allowedKeys) + "), found " + describe());
        }
        final Map<String, Entry> entries = new LinkedHashMap<>();
        for (final Entry entry : entries())
        {
            final String key = entry.name();
            if (!List.of(allowedKeys).contains(key))
            {
                throw entry.key().error("unknown key; allowed here: " + String.join(", ", allowedKeys));
            }
            entries.put(key, entry);
        }
        return new ConfigMapping(this, entries);
    }

    /** A mapping whose keys the user names (pools, header names), in file order; a repeated key is an error. */
    List<Entry> entries()
    {
        if (!(node instanceof MappingNode mapping))
        {
            throw error("expected a mapping, found " + describe());
        }
        final List<Entry> entries = new ArrayList<>(mapping.getValue().size());
        final Map<String, ConfigNode> seen = new LinkedHashMap<>();
        for (final NodeTuple tuple : mapping.getValue())
        {
            final ConfigNode keyNode = new ConfigNode(tuple.getKeyNode(), source, path);
            if (!keyNode.isScalar())
            {
                throw keyNode.error("a key must be a name, not " + keyNode.describe());
            }
            final String key = ((ScalarNode)tuple.getKeyNode()).getValue();
            final String childPath = childPath(key);
            final ConfigNode namedKey = new ConfigNode(tuple.getKeyNode(), source, childPath);
            final ConfigNode first = seen.putIfAbsent(key, namedKey);
            if (first != null)
            {
                throw namedKey.error("repeated key (first on line " + first.line() + ")");
            }
            entries.add(new Entry(key, namedKey, new ConfigNode(tuple.getValueNode(), source, childPath)));
        }
        return entries;
    }

    /** @param what for an empty list: "needs at least one " + what. */
    List<ConfigNode> nonEmptyList(final String what)
    {
        final List<ConfigNode> items = list();
        if (items.isEmpty())
        {
            throw error("needs at least one " + what);
        }
        return items;
    }

    List<ConfigNode> list()
    {
        if (!(node instanceof SequenceNode sequence))
        {
            throw error("expected a list, found " + describe());
        }
        final List<ConfigNode> items = new ArrayList<>(sequence.getValue().size());
        for (final Node item : sequence.getValue())
        {
            items.add(new ConfigNode(item, source, path + "[" + items.size() + "]"));
        }
        return items;
    }

    /** A scalar's text as written (possibly empty, never null). */
    String text()
    {
        if (!isScalar())
        {
            throw error("expected a value, found " + describe());
        }
        return ((ScalarNode)node).getValue();
    }

    int integer(final int min, final int max)
    {
        final long value = integerValue();
        if (value < min || value > max)
        {
            throw error(value + " is not " + min + "-" + max);
        }
        return (int)value;
    }

    /** An integer of {@code min} or more, up to an int's largest: a count with no natural ceiling. */
    int integerAtLeast(final int min)
    {
        final long value = integerValue();
        if (value < min)
        {
            throw error(value + " is not " + min + " or more");
        }
        if (value > Integer.MAX_VALUE)
        {
            throw error(value + " is not " + min + "-" + Integer.MAX_VALUE);
        }
        return (int)value;
    }

    private long integerValue()
    {
        final String text = text();
        if (!INTEGER.matcher(text).matches())
        {
            throw error("'" + text + "' is not an integer");
        }
        return Long.parseLong(text);
    }

    /** A size ({@link Sizes}: bytes, or with B, KiB, MiB, GiB) from {@code min} to {@code max} bytes. */
    long size(final long min, final long max)
    {
        final long value = parse(Sizes::parse);
        if (value < min || value > max)
        {
            throw error(text() + " is not " + Sizes.format(min) + "-" + Sizes.format(max));
        }
        return value;
    }

    boolean bool()
    {
        final String text = text();
        return switch (text)
        {
            case "true" -> true;
            case "false" -> false;
            default -> throw error("'" + text + "' is not true or false");
        };
    }

    /**
     * The text turned into a value by a parser that reports bad text with an
     * {@link IllegalArgumentException} whose message is the whole reason.
     */
    <T> T parse(final Function<String, T> parser)
    {
        final String text = text();
        try
        {
            return parser.apply(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw error(ex.getMessage());
        }
    }

    /**
     * One key and its value.
     *
     * @param name  the key's text.
     * @param key   the key's node, for errors about the key itself (unknown, repeated, a bad name).
     * @param value the value's node.
     */
    record Entry(String name, ConfigNode key, ConfigNode value)
    {
    }
}
