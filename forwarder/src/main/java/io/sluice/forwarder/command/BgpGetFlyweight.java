package io.sluice.forwarder.command;

/**
 * {@link CommandTypes#BGP_GET}: asks for the BGP settings in force, answered by a
 * {@link CommandTypes#REPLY_OK} whose message is their text
 * ({@link io.sluice.forwarder.bgp.BgpSettingsText}), empty when the forwarder runs without BGP.
 * <pre>
 *   0: long correlation id
 * </pre>
 */
public final class BgpGetFlyweight extends CommandFlyweight
{
    public static final int LENGTH = Long.BYTES;

    public BgpGetFlyweight()
    {
        super(LENGTH);
    }
}
