package io.sluice.forwarder.command;

/**
 * {@link CommandTypes#REAL_ADD}: the VIP and real fields of {@link RealCommandFlyweight}, then
 * <pre>
 *  52: int weight
 * </pre>
 */
public final class RealAddFlyweight extends RealCommandFlyweight
{
    public static final int WEIGHT_OFFSET = REAL_FIELDS_END;
    public static final int LENGTH = WEIGHT_OFFSET + 4;

    public RealAddFlyweight()
    {
        super(LENGTH);
    }

    public int weight()
    {
        return buffer.getInt(offset + WEIGHT_OFFSET);
    }

    public void weight(final int weight)
    {
        buffer.putInt(offset + WEIGHT_OFFSET, weight);
    }
}
