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

    /**
     * Told the VIPs the forwarder can serve whenever they change: those whose Maglev table has at
     * least one healthy real with a resolved next hop. What announces VIPs (BGP) listens to this,
     * through the {@link SelfTestGate}.
     *
     * @param servable in ascending {@link VipKey#ORDER}; an immutable list.
     */
    default void onServableVips(final List<VipKey> servable)
    {
    }

    /** @return a listener that tells this one, then {@code other}. */
    default VipSetListener andThen(final VipSetListener other)
    {
        final VipSetListener first = this;
        return new VipSetListener()
        {
            @Override
            public void onVips(final List<VipKey> vips)
            {
                first.onVips(vips);
                other.onVips(vips);
            }

            @Override
            public void onNatReals(final List<VipKey> natReals)
            {
                first.onNatReals(natReals);
                other.onNatReals(natReals);
            }

            @Override
            public void onServableVips(final List<VipKey> servable)
            {
                first.onServableVips(servable);
                other.onServableVips(servable);
            }
        };
    }
}
