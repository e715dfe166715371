package io.sluice.control.declarative;

import io.sluice.forwarder.config.ConfigException;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A YAML node that knows its file, line and field path ({@code vips[0].reals[1].weight}), so every
 * complaint about it is one line, {@code FILE:LINE: FIELD: problem}. Values are read as the text
 * written (YAML's own typing would make {@code 0100} a number and {@code on} a boolean); the
 * forwarder's parsers judge them.
 */
final class YamlNode
{
    private static final Pattern UNQUOTED_IPV6 = Pattern.compile(":\\s+\\[[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]");

    private final Node node;
    private final String source;
    private final String path;

    private YamlNode(final Node node, final String source, final String path)
    {
        this.node = node;
        this.source = source;
        this.path = path;
    }

    /** @return the document's root, or null for a file with no document (empty, or only comments). */
    static YamlNode root(final String text, final String source)
    {
        final LoadSettings settings = LoadSettings.builder().setLabel(source).build();
        try
        {
            return new Compose(settings).composeString(text).map(root -> new YamlNode(root, source, "")).orElse(null);
        }
        catch (final MarkedYamlEngineException ex)
        {
            final int line = ex.getProblemMark().map(mark -> mark.getLine() + 1).orElse(0);
            throw error(source, line, "", "invalid YAML: " + oneLine(ex.getProblem()) + ipv6Hint(text, line));
        }
        catch (final YamlEngineException ex)
        {
            throw error(source, 0, "", "invalid YAML: " + oneLine(ex.getMessage()));
        }
    }

    /**
     * The likeliest syntax error here is an IPv6 VIP left unquoted: YAML reads {@code [2001:2::1]:80/tcp}
     * as a list and then fails on {@code :80}, which says nothing useful.
     */
    private static String ipv6Hint(final String text, final int line)
    {
        final String[] lines = text.split("\n", -1);
        return line >= 1 && line <= lines.length && UNQUOTED_IPV6.matcher(lines[line - 1]).find() ?
            " (quote IPv6 addresses: \"[2001:2::1]:80/tcp\")" : "";
    }

    /** {@code FILE:LINE: FIELD: reason}, the line left out when unknown (0), the field when empty. */
    static ConfigException error(final String source, final int line, final String field, final String reason)
    {
        return new ConfigException(source + (line > 0 ? ":" + line : "") + ": " + (field.isEmpty() ? "" : field + ": ") + reason);
    }

    /** 1-based. */
    int line()
    {
        return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
    }

    ConfigException error(final String reason)
    {
        return error(source, line(), path, reason);
    }

    /** The text of a scalar. */
    String text()
    {
        if (!(node instanceof ScalarNode scalar) || isNull())
        {
            throw error("expected a value, found " + describe());
        }
        return scalar.getValue();
    }

    List<YamlNode> list()
    {
        if (!(node instanceof SequenceNode sequence))
        {
            throw error("expected a list, found " + describe());
        }
        final List<YamlNode> items = new ArrayList<>(sequence.getValue().size());
        for (final Node item : sequence.getValue())
        {
            items.add(new YamlNode(item, source, path + "[" + items.size() + "]"));
        }
        return items;
    }

    /** A mapping with only these keys: an unknown key (a typo) or a repeated one is an error. */
    Fields fields(final String... allowedKeys)
    {
        if (!(node instanceof MappingNode mapping))
        {
            throw error("expected a mapping (" + String.join(", ", allowedKeys) + "), found " + describe());
        }
        final Map<String, YamlNode> values = new LinkedHashMap<>();
        for (final NodeTuple tuple : mapping.getValue())
        {
            final YamlNode key = new YamlNode(tuple.getKeyNode(), source, path);
            final String name = key.text();
            final YamlNode value = new YamlNode(tuple.getValueNode(), source, path.isEmpty() ? name : path + "." + name);
            if (!List.of(allowedKeys).contains(name))
            {
                throw value.error("unknown key (allowed here: " + String.join(", ", allowedKeys) + ")");
            }
            if (values.put(name, value) != null)
            {
                throw value.error("repeated key");
            }
        }
        return new Fields(this, values);
    }

    /**
     * The node as plain maps, lists and strings (null for an empty value), for readers that take a
     * parsed tree ({@link io.sluice.forwarder.bgp.BgpConfigReader}); a repeated key is an error here.
     */
    Object plain()
    {
        if (node instanceof SequenceNode)
        {
            final List<Object> items = new ArrayList<>();
            for (final YamlNode item : list())
            {
                items.add(item.plain());
            }
            return items;
        }
        if (node instanceof MappingNode mapping)
        {
            final Map<String, Object> values = new LinkedHashMap<>();
            for (final NodeTuple tuple : mapping.getValue())
            {
                final String name = new YamlNode(tuple.getKeyNode(), source, path).text();
                final YamlNode value = new YamlNode(tuple.getValueNode(), source, path.isEmpty() ? name : path + "." + name);
                if (values.containsKey(name))
                {
                    throw value.error("repeated key");
                }
                values.put(name, value.plain());
            }
            return values;
        }
        return isNull() ? null : text();
    }

    private boolean isNull()
    {
        return node instanceof ScalarNode scalar && scalar.isPlain() && Tag.NULL.equals(node.getTag());
    }

    private String describe()
    {
        if (isNull())
        {
            return "nothing";
        }
        if (node instanceof ScalarNode scalar)
        {
            return "'" + scalar.getValue() + "'";
        }
        return node instanceof SequenceNode ? "a list" : "a mapping";
    }

    private static String oneLine(final String text)
    {
        return text == null ? "" : text.strip().replaceAll("\\s*\\n\\s*", " ");
    }

    /** The values of a checked mapping, by key. */
    record Fields(YamlNode mapping, Map<String, YamlNode> values)
    {
        /** @return the value, or null when the key is absent. */
        YamlNode optional(final String key)
        {
            return values.get(key);
        }

        /** @return the value; an absent key is an error on the mapping's line. */
        YamlNode required(final String key)
        {
            final YamlNode value = values.get(key);
            if (value == null)
            {
                throw error(mapping.source, mapping.line(), mapping.path.isEmpty() ? key : mapping.path + "." + key, "missing");
            }
            return value;
        }
    }
}
