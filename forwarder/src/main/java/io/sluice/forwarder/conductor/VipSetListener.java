package io.sluice.forwarder.conductor;

import io.sluice.forwarder.config.VipKey;

import java.util.List;

/**
 * Told the set of VIPs whenever it changes, so the daemon can keep what steers packets to the
 * workers in step with the configuration: the AF_PACKET socket filter (by address) or the XDP
 * program's VIP map (by address, port and protocol), and the same for the replies of NAT VIPs'
 * reals. Called on the conductor's thread (or the
 * thread constructing the conductor, for the restored configuration), never on the data path.
 */
@FunctionalInterface
public interface VipSetListener
{
    /**
     * @param vips every configured VIP, in ascending {@link VipKey#ORDER}; an immutable list the
     *             listener may keep.
     */
    void onVips(List<VipKey> vips);

    /**
     * Told the endpoints (address, port, protocol) of every NAT VIP's reals whenever they change,
     * so that their replies are steered to the workers as well, to be translated back.
     *
     * @param natReals distinct, in ascending {@link VipKey#ORDER}; an immutable list.
     */
    default void onNatReals(final List<VipKey> natReals)
    {
    }
}
