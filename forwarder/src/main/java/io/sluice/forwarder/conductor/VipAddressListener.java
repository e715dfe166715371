package io.sluice.forwarder.conductor;

/**
 * Told the set of VIP addresses whenever it changes, so the daemon can install a packet filter
 * that passes exactly those addresses to the workers. Called on the conductor's thread (or the
 * thread constructing the conductor, for the restored configuration), never on the data path.
 */
@FunctionalInterface
public interface VipAddressListener
{
    /**
     * @param addresses the distinct IPv4 addresses of all VIPs, ascending as unsigned ints; a
     *                  fresh array the listener may keep.
     */
    void onVipAddresses(int[] addresses);
}
