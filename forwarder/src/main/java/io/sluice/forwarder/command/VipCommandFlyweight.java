package io.sluice.forwarder.command;

import io.sluice.forwarder.config.Protocol;
import io.sluice.forwarder.config.VipKey;

/**
 * Base of the commands that name a VIP. Layout (native byte order):
 * <pre>
 *   0: long correlation id
 *   8: int  VIP IPv4 address
 *  12: int  VIP port
 *  16: int  VIP IP protocol number (6 tcp, 17 udp)
 *  20: the command's own fields
 * </pre>
 */
public abstract class VipCommandFlyweight extends CommandFlyweight
{
    public static final int VIP_ADDRESS_OFFSET = 8;
    public static final int VIP_PORT_OFFSET = 12;
    public static final int VIP_PROTOCOL_OFFSET = 16;
    public static final int VIP_FIELDS_END = 20;

    /** @param fixedLength see {@link CommandFlyweight#CommandFlyweight(int)}. */
    protected VipCommandFlyweight(final int fixedLength)
    {
        super(fixedLength);
    }

    public int vipAddress()
    {
        return buffer.getInt(offset + VIP_ADDRESS_OFFSET);
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
        buffer.putInt(offset + VIP_ADDRESS_OFFSET, key.address());
        buffer.putInt(offset + VIP_PORT_OFFSET, key.port());
        buffer.putInt(offset + VIP_PROTOCOL_OFFSET, key.protocol().ipProtocol());
    }
}
