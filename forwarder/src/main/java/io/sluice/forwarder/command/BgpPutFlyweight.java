package io.sluice.forwarder.command;

/**
 * {@link CommandTypes#BGP_PUT}: new BGP settings for the running forwarder (what {@code sluice
 * apply} sends for a file's {@code bgp:} section), put in force by rewriting BIRD's configuration
 * and reconfiguring it, or refused as a whole.
 * <pre>
 *   0: long   correlation id
 *   8: string the settings ({@link io.sluice.forwarder.bgp.BgpSettingsText})
 * </pre>
 */
public final class BgpPutFlyweight extends CommandFlyweight
{
    public static final int SETTINGS_OFFSET = 8;

    public BgpPutFlyweight()
    {
        super(VARIABLE_LENGTH);
    }

    @Override
    public boolean isComplete()
    {
        return stringEnd(SETTINGS_OFFSET) > 0;
    }

    @Override
    public int encodedLength()
    {
        return stringEnd(SETTINGS_OFFSET);
    }

    public String settings()
    {
        return getString(SETTINGS_OFFSET);
    }

    public void settings(final String settings)
    {
        putString(SETTINGS_OFFSET, settings);
    }
}
