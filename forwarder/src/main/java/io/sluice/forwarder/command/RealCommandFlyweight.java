package io.sluice.forwarder.command;

/**
 * Base of the commands that name a real of a VIP: the VIP fields of {@link VipCommandFlyweight}, then
 * <pre>
 *  20: int real IPv4 address
 *  24: int real port (0 = the VIP's port)
 *  28: the command's own fields
 * </pre>
 */
public abstract class RealCommandFlyweight extends VipCommandFlyweight
{
    public static final int REAL_ADDRESS_OFFSET = VIP_FIELDS_END;
    public static final int REAL_PORT_OFFSET = REAL_ADDRESS_OFFSET + 4;
    public static final int REAL_FIELDS_END = REAL_PORT_OFFSET + 4;

    /** @param fixedLength see {@link CommandFlyweight#CommandFlyweight(int)}. */
    protected RealCommandFlyweight(final int fixedLength)
    {
        super(fixedLength);
    }

    public int realAddress()
    {
        return buffer.getInt(offset + REAL_ADDRESS_OFFSET);
    }

    public void realAddress(final int address)
    {
        buffer.putInt(offset + REAL_ADDRESS_OFFSET, address);
    }

    public int realPort()
    {
        return buffer.getInt(offset + REAL_PORT_OFFSET);
    }

    public void realPort(final int port)
    {
        buffer.putInt(offset + REAL_PORT_OFFSET, port);
    }
}
