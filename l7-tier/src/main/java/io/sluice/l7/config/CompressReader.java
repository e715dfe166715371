package io.sluice.l7.config;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A route's {@code compress: { algorithms, min_size, types, levels, sse }}, every key optional: the
 * defaults compress text, JSON, JavaScript, XML, SVG and WebAssembly of 1 KiB or more with
 * brotli, zstd or gzip (in that order of preference) at levels that cost about what gzip 6 does,
 * and leave server-sent events alone ({@code sse: off}; {@code sse: flush} compresses them too,
 * flushing each chunk as it comes).
 */
final class CompressReader
{
    static final List<ContentCoding> DEFAULT_CODINGS = List.of(ContentCoding.BROTLI, ContentCoding.ZSTD, ContentCoding.GZIP);
    static final int DEFAULT_MIN_SIZE = 1024;
    /** A streamed body is held up to min_size before the proxy decides: this bounds what one response may hold. */
    static final long MAX_MIN_SIZE = Sizes.MIB;
    /** text/* includes text/event-stream, compressed only with {@code sse: flush} (each event must go at once). */
    static final List<String> DEFAULT_TYPES = List.of("text/*", "application/json", "application/*+json",
        "application/javascript", "application/xml", "application/*+xml", "image/svg+xml", "application/wasm");
    /**
     * {@code type/subtype}, {@code type/*} or {@code type/*+suffix}: never {@code *}{@code /*}, which
     * would compress images and archives again.
     */
    private static final Pattern MEDIA_RANGE = Pattern.compile(
        "[a-z0-9!#$&^_.+-]+/(\\*|\\*\\+[a-z0-9!#$&^_.+-]+|[a-z0-9!#$&^_.+-]+)");

    private CompressReader()
    {
    }

    static RouteFilter.Compress compress(final ConfigNode node)
    {
        if (!node.isMapping() && !node.isScalar() && !node.isList())
        {
            // compress: with nothing after it: every default
            return new RouteFilter.Compress(DEFAULT_CODINGS, DEFAULT_MIN_SIZE, DEFAULT_TYPES, defaultLevels(DEFAULT_CODINGS));
        }
        final ConfigMapping fields = node.mapping("algorithms", "min_size", "types", "levels", "sse");
        final ConfigNode algorithmsNode = fields.optional("algorithms");
        final List<ContentCoding> codings = algorithmsNode == null ? DEFAULT_CODINGS : codings(algorithmsNode);
        final ConfigNode minSizeNode = fields.optional("min_size");
        final int minSize = minSizeNode == null ? DEFAULT_MIN_SIZE : (int)minSizeNode.size(0, MAX_MIN_SIZE);
        final ConfigNode typesNode = fields.optional("types");
        final List<String> types = typesNode == null ? DEFAULT_TYPES : types(typesNode);
        final Map<ContentCoding, Integer> levels = defaultLevels(codings);
        final ConfigNode levelsNode = fields.optional("levels");
        if (levelsNode != null)
        {
            for (final ConfigNode.Entry entry : levelsNode.entries())
            {
                final ContentCoding coding = ContentCoding.of(entry.name());
                if (coding == null)
                {
                    throw entry.key().error("unknown algorithm; known: " + tokens(DEFAULT_CODINGS));
                }
                if (!codings.contains(coding))
                {
                    throw entry.key().error("not in this route's algorithms (" + tokens(codings) + ")");
                }
                levels.put(coding, entry.value().integer(coding.minLevel(), coding.maxLevel()));
            }
        }
        final ConfigNode sseNode = fields.optional("sse");
        final boolean flushEventStreams = sseNode != null && switch (sseNode.text())
        {
            case "flush" -> true;
            case "off" -> false;
            default -> throw sseNode.error("'" + sseNode.text() + "' is not off or flush");
        };
        return new RouteFilter.Compress(codings, minSize, types, levels, flushEventStreams);
    }

    private static List<ContentCoding> codings(final ConfigNode node)
    {
        final List<ContentCoding> codings = new ArrayList<>();
        final FirstUses<ContentCoding> seen = new FirstUses<>();
        for (final ConfigNode item : node.nonEmptyList("algorithm"))
        {
            final ContentCoding coding = ContentCoding.of(item.text());
            if (coding == null)
            {
                throw item.error("'" + item.text() + "' is not an algorithm; known: " + tokens(DEFAULT_CODINGS));
            }
            seen.claim(coding, item, item, "'" + coding.token() + "'");
            codings.add(coding);
        }
        return codings;
    }

    private static List<String> types(final ConfigNode node)
    {
        final List<String> types = new ArrayList<>();
        for (final ConfigNode item : node.nonEmptyList("media type"))
        {
            final String type = item.text().toLowerCase(Locale.ROOT);
            if (!MEDIA_RANGE.matcher(type).matches())
            {
                throw item.error("'" + item.text() + "' is not a media type (type/subtype, type/* or type/*+suffix)");
            }
            types.add(type);
        }
        return types;
    }

    private static Map<ContentCoding, Integer> defaultLevels(final List<ContentCoding> codings)
    {
        final Map<ContentCoding, Integer> levels = new EnumMap<>(ContentCoding.class);
        for (final ContentCoding coding : codings)
        {
            levels.put(coding, coding.defaultLevel());
        }
        return levels;
    }

    private static String tokens(final List<ContentCoding> codings)
    {
        return String.join(", ", codings.stream().map(ContentCoding::token).toList());
    }
}
