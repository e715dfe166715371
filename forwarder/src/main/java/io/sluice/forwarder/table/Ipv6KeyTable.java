package io.sluice.forwarder.table;

/**
 * A read-only open-addressing map from (IPv6 address, port, IP protocol) to a value, for the
 * data path: built once off it, then looked up with no allocation, no boxing and a few probes.
 * The IPv4 lookups pack their key into one long; an IPv6 key does not fit, so it is held as
 * three longs per slot.
 *
 * @param <T> the value type.
 */
final class Ipv6KeyTable<T>
{
    private final long[] keys;
    private final Object[] values;
    private final int mask;
    private int size;

    /** @param capacity the most entries it will hold. */
    Ipv6KeyTable(final int capacity)
    {
        int slots = 8;
        while (slots < capacity * 2)
        {
            slots <<= 1;
        }
        mask = slots - 1;
        keys = new long[slots * 3];
        values = new Object[slots];
    }

    /** Adds or replaces; only while the table is being built, before it is published. */
    void put(final long high, final long low, final int port, final int ipProtocol, final T value)
    {
        final long portProtocol = portProtocol(port, ipProtocol);
        int slot = slot(high, low, portProtocol);
        while (values[slot] != null && !matches(slot, high, low, portProtocol))
        {
            slot = (slot + 1) & mask;
        }
        if (values[slot] == null)
        {
            if (++size > (mask + 1) / 2)
            {
                throw new IllegalStateException("more than " + (mask + 1) / 2 + " IPv6 keys");
            }
        }
        keys[slot * 3] = high;
        keys[slot * 3 + 1] = low;
        keys[slot * 3 + 2] = portProtocol;
        values[slot] = value;
    }

    /** @return the value for this key, or null. */
    @SuppressWarnings("unchecked")
    T get(final long high, final long low, final int port, final int ipProtocol)
    {
        final long portProtocol = portProtocol(port, ipProtocol);
        int slot = slot(high, low, portProtocol);
        Object value;
        while ((value = values[slot]) != null)
        {
            if (matches(slot, high, low, portProtocol))
            {
                return (T)value;
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    private boolean matches(final int slot, final long high, final long low, final long portProtocol)
    {
        return keys[slot * 3] == high && keys[slot * 3 + 1] == low && keys[slot * 3 + 2] == portProtocol;
    }

    private static long portProtocol(final int port, final int ipProtocol)
    {
        return ((long)(port & 0xFFFF) << 8) | (ipProtocol & 0xFF);
    }

    private int slot(final long high, final long low, final long portProtocol)
    {
        final long h = (high * 0x9E37_79B9_7F4A_7C15L) ^ (low * 0xC2B2_AE3D_27D4_EB4FL) ^ (portProtocol * 0x1656_67B1_9E37_79F9L);
        return (int)(h >>> 40) & mask;
    }
}
