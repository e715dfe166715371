package io.sluice.forwarder.command;

/** {@link CommandTypes#REAL_DEL}: just the VIP and real fields of {@link RealCommandFlyweight}. */
public final class RealDelFlyweight extends RealCommandFlyweight
{
    public static final int LENGTH = REAL_FIELDS_END;

    public RealDelFlyweight()
    {
        super(LENGTH);
    }
}
