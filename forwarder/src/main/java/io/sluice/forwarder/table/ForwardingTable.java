package io.sluice.forwarder.table;

import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.IpAddress;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.LongHashSet;

import java.util.Arrays;

/**
 * Everything a worker needs to forward a packet, as one immutable snapshot. The conductor builds
 * a new one for every configuration change and publishes it with a single ordered write
 * ({@link ForwardingTablePublisher}); workers read the reference once per batch, so a batch
 * never sees half a change.
 *
 * <p>VIPs are found by (address, port, IP protocol) in an open-addressing table: no allocation,
 * no boxing, at most a few probes. The reals of NAT VIPs are found the same way by their address,
 * port and protocol, so their replies can be told from other traffic. IPv4 and IPv6 keys are
 * held apart: an IPv4 key packs into one long, an IPv6 one is an {@link Ipv6KeyTable}'s.
 */
public final class ForwardingTable
{
    private static final int IP_PROTOCOL_ICMP = 1;
    private static final int IP_PROTOCOL_ICMPV6 = 58;
    public static final ForwardingTable EMPTY = new ForwardingTable(new VipEntry[0], 0L);

    private final VipEntry[] vips;
    /** The VIPs whose scheduler is least-connection: what a worker's flow census counts for. */
    private final VipEntry[] leastConnectionVips;
    private final long[] keys;
    private final VipEntry[] values;
    private final int mask;
    /** Every VIP address, for ICMP. */
    private final LongHashSet addresses = new LongHashSet();
    /** Every NAT real's (address, port, protocol) key: where replies to translate come from. */
    private final LongHashSet natSources = new LongHashSet();
    private final long version;
    private final Ipv6KeyTable<VipEntry> vips6;
    private final Ipv6KeyTable<Boolean> addresses6;
    private final Ipv6KeyTable<Boolean> natSources6;
    /** Every VIP by its id: a NAT reply to an IPv6 client finds its VIP's address through it. */
    private final Int2ObjectHashMap<VipEntry> byId = new Int2ObjectHashMap<>();

    /** @param version increases with every table the conductor publishes. */
    public ForwardingTable(final VipEntry[] vips, final long version)
    {
        this.vips = vips;
        this.version = version;
        this.leastConnectionVips = Arrays.stream(vips)
            .filter((vip) -> vip.leastConnection() != null).toArray(VipEntry[]::new);
        int slots = 8;
        while (slots < vips.length * 2)
        {
            slots <<= 1;
        }
        mask = slots - 1;
        keys = new long[slots];
        values = new VipEntry[slots];
        int natReals6 = 0;
        for (final VipEntry vip : vips)
        {
            natReals6 += vip.spec().key().isIpv4() || vip.spec().mode() != ForwardingMode.NAT ? 0 : vip.reals().length * 2;
        }
        vips6 = new Ipv6KeyTable<>(vips.length);
        addresses6 = new Ipv6KeyTable<>(vips.length);
        natSources6 = new Ipv6KeyTable<>(natReals6);
        for (final VipEntry vip : vips)
        {
            if (vip.id() >= 0)
            {
                byId.put(vip.id(), vip);
            }
            if (!vip.spec().key().isIpv4())
            {
                addIpv6(vip);
                continue;
            }
            final int address = vip.spec().key().address().ipv4();
            final long key = key(address, vip.spec().key().port(), vip.spec().key().protocol().ipProtocol());
            int slot = slot(key);
            while (values[slot] != null)
            {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            values[slot] = vip;
            addresses.add(address & 0xFFFF_FFFFL);
            if (vip.spec().mode() == ForwardingMode.NAT)
            {
                for (final RealEntry real : vip.reals())
                {
                    natSources.add(key(real.ipv4(), real.port(), vip.spec().key().protocol().ipProtocol()));
                    natSources.add(key(real.ipv4(), 0, IP_PROTOCOL_ICMP)); // its ICMP errors to clients
                }
            }
        }
    }

    private void addIpv6(final VipEntry vip)
    {
        final IpAddress address = vip.spec().key().address();
        vips6.put(address.high(), address.low(), vip.spec().key().port(), vip.spec().key().protocol().ipProtocol(), vip);
        addresses6.put(address.high(), address.low(), 0, 0, Boolean.TRUE);
        if (vip.spec().mode() == ForwardingMode.NAT)
        {
            for (final RealEntry real : vip.reals())
            {
                final IpAddress source = real.address();
                natSources6.put(source.high(), source.low(), real.port(), vip.spec().key().protocol().ipProtocol(), Boolean.TRUE);
                natSources6.put(source.high(), source.low(), 0, IP_PROTOCOL_ICMPV6, Boolean.TRUE);
            }
        }
    }

    /** {@link #isNatSource} for IPv6 (ICMPv6 with port 0). */
    public boolean isNatSource6(final long high, final long low, final int port, final int ipProtocol)
    {
        return natSources6.get(high, low, port, ipProtocol) != null;
    }

    /** {@link #hasAddress} for IPv6. */
    public boolean hasAddress6(final long high, final long low)
    {
        return addresses6.get(high, low, 0, 0) != null;
    }

    /** {@link #find} for IPv6. */
    public VipEntry find6(final long high, final long low, final int port, final int ipProtocol)
    {
        return vips6.get(high, low, port, ipProtocol);
    }

    /** @return the VIP with this {@link VipEntry#id()}, or null when it is not in this table. */
    public VipEntry vipById(final int id)
    {
        return byId.get(id);
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

    /** The VIPs whose scheduler is least-connection, in table order; an empty array when there are none. */
    public VipEntry[] leastConnectionVips()
    {
        return leastConnectionVips;
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
