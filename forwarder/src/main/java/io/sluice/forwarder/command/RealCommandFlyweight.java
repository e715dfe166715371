package io.sluice.forwarder.command;

import io.sluice.forwarder.config.IpAddress;

/**
 * Base of the commands that name a real of a VIP: the VIP fields of {@link VipCommandFlyweight}, then
 * <pre>
 *  32: long real address, first 8 bytes ({@link IpAddress#high()})
 *  40: long real address, last 8 bytes ({@link IpAddress#low()})
 *  48: int  real port (0 = the VIP's port)
 *  52: the command's own fields
 * </pre>
 */
public abstract class RealCommandFlyweight extends VipCommandFlyweight
{
    public static final int REAL_ADDRESS_OFFSET = VIP_FIELDS_END;
    public static final int REAL_PORT_OFFSET = REAL_ADDRESS_OFFSET + 16;
    public static final int REAL_FIELDS_END = REAL_PORT_OFFSET + 4;

    /** @param fixedLength see {@link CommandFlyweight#CommandFlyweight(int)}. */
    protected RealCommandFlyweight(final int fixedLength)
    {
        super(fixedLength);
    }

    public IpAddress realAddress()
    {
        return new IpAddress(buffer.getLong(offset + REAL_ADDRESS_OFFSET), buffer.getLong(offset + REAL_ADDRESS_OFFSET + 8));
    }

    public void realAddress(final IpAddress address)
    {
        buffer.putLong(offset + REAL_ADDRESS_OFFSET, address.high());
        buffer.putLong(offset + REAL_ADDRESS_OFFSET + 8, address.low());
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
