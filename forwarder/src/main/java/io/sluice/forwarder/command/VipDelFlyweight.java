package io.sluice.forwarder.command;

/** {@link CommandTypes#VIP_DEL}: just the VIP fields of {@link VipCommandFlyweight}. */
public final class VipDelFlyweight extends VipCommandFlyweight
{
    public static final int LENGTH = VIP_FIELDS_END;

    @Override
    public boolean isComplete()
    {
        return length >= LENGTH;
    }

    @Override
    public int encodedLength()
    {
        return LENGTH;
    }
}
