package io.sluice.forwarder.command;

/**
 * {@link CommandTypes#REPLY_CONFIG}: one chunk of the configuration text (UTF-8 bytes of
 * {@link io.sluice.forwarder.config.ConfigText#format}).
 * <pre>
 *   0: long correlation id of the GET_CONFIG answered
 *   8: long configuration version: changes whenever the configuration does, so a client that
 *           reads several chunks can tell the text changed under it and start again
 *  16: int  total length of the text in bytes
 *  20: int  byte offset of this chunk in the text
 *  24: int  chunk length
 *  28: the chunk's bytes
 * </pre>
 */
public final class ConfigReplyFlyweight extends TextChunkFlyweight
{
    public static final int CONFIG_VERSION_OFFSET = 8;
    public static final int TOTAL_LENGTH_OFFSET = 16;
    public static final int HEADER_LENGTH = TOTAL_LENGTH_OFFSET + 12;

    public ConfigReplyFlyweight()
    {
        super(TOTAL_LENGTH_OFFSET);
    }

    public long configVersion()
    {
        return buffer.getLong(offset + CONFIG_VERSION_OFFSET);
    }

    public void configVersion(final long version)
    {
        buffer.putLong(offset + CONFIG_VERSION_OFFSET, version);
    }
}
