package io.sluice.forwarder.table;

/**
 * Everything a worker needs to forward a packet, as one immutable snapshot. The conductor builds
 * a new one for every configuration change and publishes it with a single ordered write
 * ({@link ForwardingTablePublisher}); workers read the reference once per batch, so a batch
 * never sees half a change.
 *
 * <p>VIPs are found by (address, port, IP protocol) in an open-addressing table: no allocation,
 * no boxing, at most a few probes.
 */
public final class ForwardingTable
{
    public static final ForwardingTable EMPTY = new ForwardingTable(new VipEntry[0], 0L);

    private final VipEntry[] vips;
    private final long[] keys;
    private final VipEntry[] values;
    private final int mask;
    /** Every VIP address, for ICMP: open addressing over {@link #mask}'s slots, 0 is empty (0.0.0.0 is never a VIP). */
    private final int[] addresses;
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
        addresses = new int[slots];
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
            addAddress(vip.spec().key().address());
        }
    }

    private void addAddress(final int address)
    {
        int slot = addressSlot(address);
        while (addresses[slot] != 0)
        {
            if (addresses[slot] == address)
            {
                return;
            }
            slot = (slot + 1) & mask;
        }
        addresses[slot] = address;
    }

    /** @return whether some VIP has this address (whatever its port and protocol). */
    public boolean hasAddress(final int address)
    {
        int slot = addressSlot(address);
        int value;
        while ((value = addresses[slot]) != 0)
        {
            if (value == address)
            {
                return true;
            }
            slot = (slot + 1) & mask;
        }
        return false;
    }

    private int addressSlot(final int address)
    {
        return slot(address & 0xFFFF_FFFFL);
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
