package io.sluice.l7.config;

import java.time.Duration;

/**
 * {@code limits}: how much of a request the proxy reads before refusing it. Every field is
 * optional, with {@link RequestLimits#DEFAULTS}; the ranges keep a limit from being set so low
 * that ordinary browsers are refused, or so high that it no longer protects anything.
 */
final class LimitsReader
{
    /** A floor for the line limits: below it even a short request line or an ordinary header would be refused. */
    private static final long MIN_LINE = 256;
    private static final long MAX_LINE = Sizes.MIB;
    private static final long MAX_HEADER_BYTES = 16 * Sizes.MIB;
    private static final int MAX_HEADER_COUNT = 10_000;
    private static final long MAX_CHUNK_EXTENSION = Sizes.MIB;
    private static final long MIN_HEADER_LIST = Sizes.KIB;
    private static final long MAX_HEADER_LIST = 16 * Sizes.MIB;
    private static final int MAX_CONCURRENT_STREAMS = 10_000;
    private static final Duration MIN_RESET_WINDOW = Duration.ofSeconds(1);
    private static final Duration MAX_RESET_WINDOW = Duration.ofHours(1);

    private LimitsReader()
    {
    }

    static RequestLimits limits(final ConfigNode node)
    {
        final ConfigMapping fields = node.mapping(
            "request_line", "header_line", "header_bytes", "header_count", "chunk_extension", "max_body", "http2");
        final RequestLimits defaults = RequestLimits.DEFAULTS;
        final int requestLine = intSize(fields, "request_line", MIN_LINE, MAX_LINE, defaults.requestLineBytes());
        final int headerLine = intSize(fields, "header_line", MIN_LINE, MAX_LINE, defaults.headerLineBytes());
        final int headerBytes = intSize(fields, "header_bytes", MIN_LINE, MAX_HEADER_BYTES, defaults.headerBytes());
        if (headerBytes < headerLine)
        {
            // A line the section's limit refuses anyway would make header_line a promise the proxy cannot keep.
            final ConfigNode headerLineNode = fields.optional("header_line");
            final ConfigNode headerBytesNode = fields.optional("header_bytes");
            throw headerBytesNode != null
                ? headerBytesNode.error(headerBytesNode.text() + " must be at least header_line ("
                    + sizeText(headerLineNode, defaults.headerLineBytes()) + ")")
                : headerLineNode.error(headerLineNode.text() + " must be at most header_bytes (default "
                    + Sizes.format(defaults.headerBytes()) + ")");
        }
        final ConfigNode headerCountNode = fields.optional("header_count");
        final int headerCount = headerCountNode == null ? defaults.headerCount() : headerCountNode.integer(1, MAX_HEADER_COUNT);
        final int chunkExtension = intSize(fields, "chunk_extension", 0, MAX_CHUNK_EXTENSION, defaults.chunkExtensionBytes());
        final ConfigNode maxBodyNode = fields.optional("max_body");
        final long maxBody = maxBodyNode == null ? defaults.maxBodyBytes() : maxBody(maxBodyNode);
        final ConfigNode http2Node = fields.optional("http2");
        final RequestLimits.Http2Limits http2 = http2Node == null ? defaults.http2() : http2(http2Node);
        return new RequestLimits(requestLine, headerLine, headerBytes, headerCount, chunkExtension, maxBody, http2);
    }

    /** A body size: {@code limits.max_body}, or a route's own {@code max_body}; 0 allows no body at all. */
    static long maxBody(final ConfigNode node)
    {
        return node.size(0, Long.MAX_VALUE);
    }

    private static RequestLimits.Http2Limits http2(final ConfigNode node)
    {
        final ConfigMapping fields = node.mapping("header_list", "concurrent_streams", "resets", "empty_frames");
        final RequestLimits.Http2Limits defaults = RequestLimits.Http2Limits.DEFAULTS;
        final int headerList = intSize(fields, "header_list", MIN_HEADER_LIST, MAX_HEADER_LIST, defaults.headerListBytes());
        final ConfigNode streamsNode = fields.optional("concurrent_streams");
        final int streams = streamsNode == null ? defaults.concurrentStreams() : streamsNode.integer(1, MAX_CONCURRENT_STREAMS);
        final ConfigNode resetsNode = fields.optional("resets");
        final ConfigMapping resetFields = resetsNode == null ? null : resetsNode.mapping("count", "per");
        final ConfigNode countNode = resetFields == null ? null : resetFields.optional("count");
        final int resets = countNode == null ? defaults.resetsPerWindow() : countNode.integerAtLeast(1);
        final ConfigNode perNode = resetFields == null ? null : resetFields.optional("per");
        final int resetWindowSeconds = perNode == null ? defaults.resetWindowSeconds() : seconds(perNode);
        final ConfigNode emptyNode = fields.optional("empty_frames");
        final int emptyFrames = emptyNode == null ? defaults.consecutiveEmptyFrames() : emptyNode.integerAtLeast(1);
        return new RequestLimits.Http2Limits(headerList, streams, resets, resetWindowSeconds, emptyFrames);
    }

    /** The reset window: whole seconds, as the rapid-reset defence counts them. */
    private static int seconds(final ConfigNode node)
    {
        final Duration per = node.parse(Durations::parse);
        if (per.compareTo(MIN_RESET_WINDOW) < 0 || per.compareTo(MAX_RESET_WINDOW) > 0)
        {
            throw node.error(node.text() + " is not 1s-1h"); // MIN_RESET_WINDOW-MAX_RESET_WINDOW, as the file writes them
        }
        if (per.toMillisPart() != 0)
        {
            throw node.error(node.text() + " is not a whole number of seconds");
        }
        return (int)per.toSeconds();
    }

    /** A size whose range keeps it inside an int (a line, a header section, an extension). */
    private static int intSize(final ConfigMapping fields, final String key, final long min, final long max, final int otherwise)
    {
        final ConfigNode node = fields.optional(key);
        return node == null ? otherwise : Math.toIntExact(node.size(min, max));
    }

    /** A size as the file wrote it, or its default, for a message about another field. */
    private static String sizeText(final ConfigNode node, final long otherwise)
    {
        return node != null ? node.text() : "default " + Sizes.format(otherwise);
    }
}
