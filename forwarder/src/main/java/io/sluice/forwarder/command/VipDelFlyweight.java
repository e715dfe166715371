package io.sluice.forwarder.command;

/** {@link CommandTypes#VIP_DEL}: just the VIP fields of {@link VipCommandFlyweight}. */
public final class VipDelFlyweight extends VipCommandFlyweight
{
    public static final int LENGTH = VIP_FIELDS_END;

    public VipDelFlyweight()
    {
        super(LENGTH);
    }
}
