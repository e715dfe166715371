package io.sluice.forwarder.command;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.Protocol;
import io.sluice.forwarder.config.VipKey;

/**
 * Base of the commands that name a VIP. Layout (native byte order):
 * <pre>
 *   0: long correlation id
 *   8: long VIP address, first 8 bytes ({@link IpAddress#high()}; 0 for IPv4)
 *  16: long VIP address, last 8 bytes ({@link IpAddress#low()}; ::ffff:a.b.c.d for IPv4)
 *  24: int  VIP port
 *  28: int  VIP IP protocol number (6 tcp, 17 udp)
 *  32: the command's own fields
 * </pre>
 */
public abstract class VipCommandFlyweight extends CommandFlyweight
{
    public static final int VIP_ADDRESS_OFFSET = 8;
    public static final int VIP_PORT_OFFSET = VIP_ADDRESS_OFFSET + 16;
    public static final int VIP_PROTOCOL_OFFSET = VIP_PORT_OFFSET + 4;
    public static final int VIP_FIELDS_END = VIP_PROTOCOL_OFFSET + 4;

    /** @param fixedLength see {@link CommandFlyweight#CommandFlyweight(int)}. */
    protected VipCommandFlyweight(final int fixedLength)
    {
        super(fixedLength);
    }

    public IpAddress vipAddress()
    {
        return new IpAddress(buffer.getLong(offset + VIP_ADDRESS_OFFSET), buffer.getLong(offset + VIP_ADDRESS_OFFSET + 8));
    }

    public int vipPort()
    {
        return buffer.getInt(offset + VIP_PORT_OFFSET);
    }

    public int vipIpProtocol()
    {
        return buffer.getInt(offset + VIP_PROTOCOL_OFFSET);
    }

    /**
     * @return the VIP the command names.
     * @throws io.sluice.forwarder.config.ConfigException if the port or protocol is out of range.
     */
    public VipKey vipKey()
    {
        final Protocol protocol = Protocol.ofIpProtocol(vipIpProtocol());
        if (protocol == null)
        {
            throw new io.sluice.forwarder.config.ConfigException("IP protocol " + vipIpProtocol() + " is neither tcp nor udp");
        }
        return new VipKey(vipAddress(), vipPort(), protocol);
    }

    public void vipKey(final VipKey key)
    {
        buffer.putLong(offset + VIP_ADDRESS_OFFSET, key.address().high());
        buffer.putLong(offset + VIP_ADDRESS_OFFSET + 8, key.address().low());
        buffer.putInt(offset + VIP_PORT_OFFSET, key.port());
        buffer.putInt(offset + VIP_PROTOCOL_OFFSET, key.protocol().ipProtocol());
    }
}
