package io.sluice.forwarder.table;

import io.sluice.forwarder.config.ForwardingMode;
import org.agrona.collections.LongHashSet;

/**
 * Everything a worker needs to forward a packet, as one immutable snapshot. The conductor builds
 * a new one for every configuration change and publishes it with a single ordered write
 * ({@link ForwardingTablePublisher}); workers read the reference once per batch, so a batch
 * never sees half a change.
 *
 * <p>VIPs are found by (address, port, IP protocol) in an open-addressing table: no allocation,
 * no boxing, at most a few probes. The reals of NAT VIPs are found the same way by their address,
 * port and protocol, so their replies can be told from other traffic.
 */
public final class ForwardingTable
{
    private static final int IP_PROTOCOL_ICMP = 1;
    public static final ForwardingTable EMPTY = new ForwardingTable(new VipEntry[0], 0L);

    private final VipEntry[] vips;
    private final long[] keys;
    private final VipEntry[] values;
    private final int mask;
    /** Every VIP address, for ICMP. */
    private final LongHashSet addresses = new LongHashSet();
    /** Every NAT real's (address, port, protocol) key: where replies to translate come from. */
    private final LongHashSet natSources = new LongHashSet();
    private final long version;

    /** @param version increases with every table the conductor publishes. */
    public ForwardingTable(final VipEntry[] vips, final long version)
    {
        this.vips = vips;
        this.version = version;
        int slots = 8;
        while (slots < vips.length * 2)
        {
            slots <<= 1;
        }
        mask = slots - 1;
        keys = new long[slots];
        values = new VipEntry[slots];
        for (final VipEntry vip : vips)
        {
            final long key = key(vip.spec().key().address(), vip.spec().key().port(), vip.spec().key().protocol().ipProtocol());
            int slot = slot(key);
            while (values[slot] != null)
            {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            values[slot] = vip;
            addresses.add(vip.spec().key().address() & 0xFFFF_FFFFL);
            if (vip.spec().mode() == ForwardingMode.NAT)
            {
                for (final RealEntry real : vip.reals())
                {
                    natSources.add(key(real.address(), real.port(), vip.spec().key().protocol().ipProtocol()));
                    natSources.add(key(real.address(), 0, IP_PROTOCOL_ICMP)); // its ICMP errors to clients
                }
            }
        }
    }

    /**
     * @return whether a packet from this address and port is a reply from some NAT VIP's real,
     *         to be translated back to the VIP; port 0 and ICMP: whether the address is a NAT
     *         real's, whose ICMP errors to clients are translated too.
     */
    public boolean isNatSource(final int address, final int port, final int ipProtocol)
    {
        return natSources.contains(key(address, port, ipProtocol));
    }

    /** @return whether some VIP has this address (whatever its port and protocol). */
    public boolean hasAddress(final int address)
    {
        return addresses.contains(address & 0xFFFF_FFFFL);
    }

    /** @return the VIP for this destination, or null when it is not a VIP. */
    public VipEntry find(final int address, final int port, final int ipProtocol)
    {
        final long key = key(address, port, ipProtocol);
        int slot = slot(key);
        VipEntry value;
        while ((value = values[slot]) != null)
        {
            if (keys[slot] == key)
            {
                return value;
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    public VipEntry[] vips()
    {
        return vips;
    }

    public long version()
    {
        return version;
    }

    private static long key(final int address, final int port, final int ipProtocol)
    {
        return ((address & 0xFFFF_FFFFL) << 32) | ((long)(port & 0xFFFF) << 8) | (ipProtocol & 0xFF);
    }

    private int slot(final long key)
    {
        final long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int)(h >>> 40) & mask;
    }
}
