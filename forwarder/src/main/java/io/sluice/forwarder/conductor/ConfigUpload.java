package io.sluice.forwarder.conductor;

import io.sluice.forwarder.command.ConfigPutFlyweight;
import io.sluice.forwarder.config.ConfigException;

import java.nio.charset.StandardCharsets;

/**
 * The chunks of one configuration put ({@link ConfigPutFlyweight}) gathered until the last one
 * arrives. Nothing is applied while chunks are missing; a chunk that does not continue the
 * upload in progress (another client's apply started in between, or one was lost) ends it, and
 * its client is told to try again. One upload at a time: the conductor's thread alone uses it.
 */
final class ConfigUpload
{
    /** Far above the text of the largest configuration the limits allow (about 1.5 MiB). */
    static final int MAX_TEXT_BYTES = 4 * 1024 * 1024;

    private long uploadId;
    private long baseVersion;
    private byte[] text;
    private int received;

    /**
     * Takes one chunk.
     *
     * @return the whole text when this chunk completed it, else null (more chunks to come).
     * @throws ConfigException when the chunk does not continue the upload it names, or the text is too long.
     */
    String accept(final ConfigPutFlyweight chunk)
    {
        if (chunk.chunkOffset() == 0)
        {
            if (chunk.totalLength() > MAX_TEXT_BYTES)
            {
                throw new ConfigException("a configuration of " + chunk.totalLength() + " bytes is over the limit of " +
                    MAX_TEXT_BYTES + " bytes");
            }
            uploadId = chunk.uploadId();
            baseVersion = chunk.baseVersion();
            text = new byte[chunk.totalLength()];
            received = 0;
        }
        else if (text == null || chunk.uploadId() != uploadId || chunk.baseVersion() != baseVersion ||
            chunk.totalLength() != text.length || chunk.chunkOffset() != received)
        {
            text = null;
            throw new ConfigException("a configuration chunk arrived out of turn (another apply at the same time?); " +
                "nothing changed, try again");
        }
        chunk.getChunk(text, received);
        received += chunk.chunkLength();
        if (received < text.length)
        {
            return null;
        }
        final String whole = new String(text, StandardCharsets.UTF_8);
        text = null;
        return whole;
    }

    /** The configuration version the last completed text was computed against. */
    long baseVersion()
    {
        return baseVersion;
    }

    /** Bytes of the upload in progress received so far. */
    int received()
    {
        return received;
    }
}
