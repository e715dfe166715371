package io.sluice.forwarder.command;

/**
 * {@link CommandTypes#CONFIG_PUT}: one chunk of a whole configuration to put in force at once
 * (UTF-8 bytes of {@link io.sluice.forwarder.config.ConfigText#format}; what {@code sluice apply}
 * sends).
 * <pre>
 *   0: long correlation id
 *   8: long upload id: the correlation id of the upload's first chunk, the same in every chunk
 *  16: long base configuration version: the version (see {@link ConfigReplyFlyweight}) the text
 *           was computed against; the forwarder refuses the text if its configuration has
 *           changed since, so a change someone else made in between is never undone unseen
 *  24: int  total length of the text in bytes
 *  28: int  byte offset of this chunk in the text
 *  32: int  chunk length
 *  36: the chunk's bytes
 * </pre>
 * A configuration can outgrow one command (the ring's limit is an eighth of its capacity), so it
 * travels in chunks, each answered by a reply; the forwarder keeps the chunks aside and changes
 * nothing until the last one, then applies the whole text as one change: one new configuration,
 * saved, and one forwarding table published to the workers, or a refusal that changes nothing.
 */
public final class ConfigPutFlyweight extends TextChunkFlyweight
{
    public static final int UPLOAD_ID_OFFSET = 8;
    public static final int BASE_VERSION_OFFSET = 16;
    public static final int TOTAL_LENGTH_OFFSET = 24;
    public static final int HEADER_LENGTH = TOTAL_LENGTH_OFFSET + 12;

    public ConfigPutFlyweight()
    {
        super(TOTAL_LENGTH_OFFSET);
    }

    public long uploadId()
    {
        return buffer.getLong(offset + UPLOAD_ID_OFFSET);
    }

    public void uploadId(final long uploadId)
    {
        buffer.putLong(offset + UPLOAD_ID_OFFSET, uploadId);
    }

    public long baseVersion()
    {
        return buffer.getLong(offset + BASE_VERSION_OFFSET);
    }

    public void baseVersion(final long version)
    {
        buffer.putLong(offset + BASE_VERSION_OFFSET, version);
    }
}
