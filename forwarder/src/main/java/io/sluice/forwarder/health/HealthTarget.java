package io.sluice.forwarder.health;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.HealthCheck;
import io.sluice.forwarder.config.VipKey;

/**
 * One real of one VIP to check, and how. The same real in two VIPs is two targets: each VIP
 * says how its reals are checked, and a real can be up for one service and down for another.
 *
 * @param port the port checked: the real's own port, or the VIP's when the real has none.
 */
public record HealthTarget(VipKey vip, IpAddress address, int port, HealthCheck check)
{
    /** "198.18.0.11:80", for messages. */
    public String endpoint()
    {
        return address.withPort(port);
    }
}
