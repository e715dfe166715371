package io.sluice.forwarder.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a forwarder is configured to do: its VIPs, each with its reals, in the order they were
 * added. Immutable: every change returns a new configuration or throws a {@link ConfigException}
 * whose message is one line for the user, so a refused change leaves the old value untouched.
 *
 * <p>The same rules hold for the CLI, the conductor and the persisted file, because all three
 * go through these methods.
 */
public final class ForwarderConfig
{
    /** VIPs one forwarder holds; bounds the forwarding table and the counters each VIP needs. */
    public static final int MAX_VIPS = 1024;
    /** Reals one VIP holds; well below the Maglev table size so every real keeps a fair share. */
    public static final int MAX_REALS_PER_VIP = 4096;
    /** Reals over all VIPs; every real costs two counters per worker in the control file. */
    public static final int MAX_REALS_TOTAL = 16384;

    public static final ForwarderConfig EMPTY = new ForwarderConfig(List.of(), 0);

    private final List<VipConfig> vips;
    private final int realCount;

    private ForwarderConfig(final List<VipConfig> vips, final int realCount)
    {
        this.vips = vips;
        this.realCount = realCount;
    }

    /** The VIPs in the order they were added; unmodifiable. */
    public List<VipConfig> vips()
    {
        return vips;
    }

    /** Number of reals over all VIPs. */
    public int realCount()
    {
        return realCount;
    }

    /** @return the VIP with this key, or null. */
    public VipConfig find(final VipKey key)
    {
        final int index = indexOf(key);
        return index < 0 ? null : vips.get(index);
    }

    /** @throws ConfigException if the VIP exists already or the VIP limit is reached. */
    public ForwarderConfig addVip(final VipSpec spec)
    {
        if (indexOf(spec.key()) >= 0)
        {
            throw new ConfigException("VIP " + spec.key() + " already exists");
        }
        if (vips.size() >= MAX_VIPS)
        {
            throw new ConfigException("cannot add VIP " + spec.key() + ": the limit of " + MAX_VIPS + " VIPs is reached");
        }
        final List<VipConfig> next = new ArrayList<>(vips);
        next.add(new VipConfig(spec, List.of()));
        return new ForwarderConfig(Collections.unmodifiableList(next), realCount);
    }

    /** Removes a VIP and all its reals. @throws ConfigException if there is no such VIP. */
    public ForwarderConfig removeVip(final VipKey key)
    {
        final int index = requireVip(key);
        final List<VipConfig> next = new ArrayList<>(vips);
        final VipConfig removed = next.remove(index);
        return new ForwarderConfig(Collections.unmodifiableList(next), realCount - removed.reals().size());
    }

    /**
     * A real whose port is the VIP's port is stored with port 0, its canonical spelling.
     *
     * @throws ConfigException if the VIP does not exist, the real is already there (same address
     *                         and effective port), its IP version is not the VIP's, a DSR real
     *                         names a port other than the VIP's,
     *                         or a limit is reached.
     */
    public ForwarderConfig addReal(final VipKey key, final RealSpec real)
    {
        final int index = requireVip(key);
        final VipConfig vip = vips.get(index);
        final String name = real.endpoint();
        if (real.address().isIpv4() != key.isIpv4())
        {
            throw new ConfigException("real " + name + " is " + real.address().family() + " but VIP " + key + " is " +
                key.address().family() + ": a VIP's reals have its IP version");
        }
        if (vip.spec().mode() != ForwardingMode.NAT && real.port() != 0 && real.port() != key.port())
        {
            final ForwardingMode mode = vip.spec().mode();
            throw new ConfigException("real " + name + " for VIP " + key + ": " +
                (mode == ForwardingMode.DSR ? "DSR" : mode.label() + " mode") + " cannot change ports " +
                "(the real must listen on " + key.port() + ")");
        }
        if (vip.indexOfReal(real.address(), real.port()) >= 0)
        {
            throw new ConfigException("real " + name + " already exists in VIP " + key);
        }
        if (vip.reals().size() >= MAX_REALS_PER_VIP)
        {
            throw new ConfigException("cannot add real " + name + " to VIP " + key + ": the limit of " +
                MAX_REALS_PER_VIP + " reals per VIP is reached");
        }
        if (realCount >= MAX_REALS_TOTAL)
        {
            throw new ConfigException("cannot add real " + name + " to VIP " + key + ": the limit of " +
                MAX_REALS_TOTAL + " reals in all is reached");
        }
        final List<RealSpec> reals = new ArrayList<>(vip.reals());
        // The VIP's own port is stored as 0 ("the VIP's port") so that one real has one spelling.
        reals.add(real.port() == key.port() ? new RealSpec(real.address(), 0, real.weight()) : real);
        return replace(index, new VipConfig(vip.spec(), reals), realCount + 1);
    }

    /**
     * Removes the real at this address and port (0 = the VIP's port).
     *
     * @throws ConfigException if the VIP or the real does not exist.
     */
    public ForwarderConfig removeReal(final VipKey key, final IpAddress address, final int port)
    {
        final int index = requireVip(key);
        final VipConfig vip = vips.get(index);
        final List<RealSpec> reals = new ArrayList<>(vip.reals());
        reals.remove(requireReal(vip, address, port));
        return replace(index, new VipConfig(vip.spec(), reals), realCount - 1);
    }

    /**
     * Gives the real at this address and port (0 = the VIP's port) a new weight; it keeps its place.
     *
     * @throws ConfigException if the VIP or the real does not exist.
     */
    public ForwarderConfig changeRealWeight(final VipKey key, final IpAddress address, final int port, final int weight)
    {
        final int index = requireVip(key);
        final VipConfig vip = vips.get(index);
        final int realIndex = requireReal(vip, address, port);
        final List<RealSpec> reals = new ArrayList<>(vip.reals());
        reals.set(realIndex, new RealSpec(address, reals.get(realIndex).port(), weight));
        return replace(index, new VipConfig(vip.spec(), reals), realCount);
    }

    private static int requireReal(final VipConfig vip, final IpAddress address, final int port)
    {
        final int realIndex = vip.indexOfReal(address, port);
        if (realIndex < 0)
        {
            throw new ConfigException("no real " + new RealSpec(address, port, RealSpec.DEFAULT_WEIGHT).endpoint() +
                " in VIP " + vip.key());
        }
        return realIndex;
    }

    private ForwarderConfig replace(final int index, final VipConfig vip, final int newRealCount)
    {
        final List<VipConfig> next = new ArrayList<>(vips);
        next.set(index, vip);
        return new ForwarderConfig(Collections.unmodifiableList(next), newRealCount);
    }

    private int requireVip(final VipKey key)
    {
        final int index = indexOf(key);
        if (index < 0)
        {
            throw new ConfigException("no VIP " + key);
        }
        return index;
    }

    private int indexOf(final VipKey key)
    {
        for (int i = 0; i < vips.size(); i++)
        {
            if (vips.get(i).key().equals(key))
            {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof ForwarderConfig that && vips.equals(that.vips);
    }

    @Override
    public int hashCode()
    {
        return vips.hashCode();
    }

    @Override
    public String toString()
    {
        return ConfigText.format(this);
    }
}
