package io.sluice.forwarder.maglev;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.flow.FlowHash;

import java.util.Arrays;

/**
 * Builds Maglev lookup tables (Eisenbud et al., "Maglev: A Fast and Reliable Software Network
 * Load Balancer", NSDI 2016, section 3.4): a table of M entries, M prime, each naming the
 * endpoint that flows hashing to it go to.
 *
 * <p>Every endpoint has a permutation of the slots, {@code (offset + j * skip) mod M} with
 * {@code offset = h1(key) mod M} and {@code skip = h2(key) mod (M - 1) + 1}; since M is prime
 * every skip visits every slot. Endpoints take turns claiming the next slot of their permutation
 * that is still free until the table is full. The permutation entries are computed as they are
 * needed (a cursor per endpoint) rather than materialised as an M x N matrix.
 *
 * <p>Weights decide how often an endpoint takes a turn: each round every endpoint earns its
 * weight in credit, and takes a turn whenever its credit reaches the largest weight. The
 * heaviest endpoints take a turn every round, one with half that weight every other round, so
 * shares follow weights to within one entry; with equal weights this is exactly the paper's
 * round-robin. Scaling all weights by a common factor changes nothing.
 *
 * <p>Deterministic across processes and input orders: the hashes are fixed functions of the
 * key, and endpoints take turns in ascending key order. Forwarders given the same configuration
 * build the same table, which is what lets ECMP move a flow between them without moving it
 * between reals.
 */
public final class MaglevTable
{
    private MaglevTable()
    {
    }

    /** The table size of the paper's evaluation: prime, and large enough for about 650 reals at 1% balance. */
    public static final int DEFAULT_SIZE = 65537;
    /** What every entry holds when there is no endpoint with a positive weight. */
    public static final int NO_ENDPOINT = -1;

    private static final long OFFSET_SEED = 0x5851_F42D_4C95_7F2DL;
    private static final long SKIP_SEED = 0x1405_7B7E_F767_814FL;

    /**
     * The key an endpoint is hashed by: its IPv4 address in bits 47..16 and its port in bits
     * 15..0. The key, so the endpoint's permutation, depends only on what the endpoint is and
     * not on an id or its position in a list, so adding or removing other endpoints, or
     * restarting a forwarder, leaves it unchanged. Pass the port packets are actually sent to
     * (for DSR the VIP's port) consistently.
     */
    public static long endpointKey(final int ipv4, final int port)
    {
        return ((ipv4 & 0xFFFF_FFFFL) << 16) | (port & 0xFFFF);
    }

    /**
     * The key of an endpoint of either family: an IPv4 one's is {@link #endpointKey(int, int)},
     * so IPv4 tables do not move; an IPv6 one's is its 128 bits and port mixed to 64 (two IPv6
     * reals of one VIP colliding is a 2^-64 chance, and {@link #build} would refuse it).
     */
    public static long endpointKey(final IpAddress address, final int port)
    {
        if (address.isIpv4())
        {
            return endpointKey(address.ipv4(), port);
        }
        return FlowHash.mix64(FlowHash.mix64(address.high()) ^ address.low()) ^ (port & 0xFFFF);
    }

    /**
     * @param endpointKeys distinct keys, see {@link #endpointKey}.
     * @param weights      the weight of each endpoint, 0 to leave it out.
     * @param tableSize    M, a prime.
     * @return M entries, each an index into {@code endpointKeys}, or all {@link #NO_ENDPOINT}
     *         when no endpoint has a positive weight.
     * @throws IllegalArgumentException with a one-line reason for mismatched arrays, a negative
     *         weight, a repeated key or a table size that is not prime.
     */
    public static int[] build(final long[] endpointKeys, final int[] weights, final int tableSize)
    {
        if (endpointKeys.length != weights.length)
        {
            throw new IllegalArgumentException(
                "maglev: " + endpointKeys.length + " endpoint keys but " + weights.length + " weights");
        }
        if (!isPrime(tableSize))
        {
            throw new IllegalArgumentException("maglev table size " + tableSize + " is not prime");
        }
        final int[] order = ascendingKeyOrder(endpointKeys, weights);
        final int[] table = new int[tableSize];
        Arrays.fill(table, NO_ENDPOINT);
        final int count = order.length;
        if (count == 0)
        {
            return table;
        }

        final int[] next = new int[count];
        final int[] skip = new int[count];
        final int[] weight = new int[count];
        final long[] credit = new long[count];
        int maxWeight = 0;
        for (int k = 0; k < count; k++)
        {
            final long key = endpointKeys[order[k]];
            next[k] = (int)Long.remainderUnsigned(FlowHash.mix64(key ^ OFFSET_SEED), tableSize);
            skip[k] = (int)Long.remainderUnsigned(FlowHash.mix64(key ^ SKIP_SEED), tableSize - 1) + 1;
            weight[k] = weights[order[k]];
            maxWeight = Math.max(maxWeight, weight[k]);
        }

        // Which slots are taken, one bit each: 8 KiB for the default size, so the probing that
        // dominates the build (about M ln M probes in all) stays in L1 rather than walking the
        // 256 KiB table.
        final long[] taken = new long[(tableSize + 63) >>> 6];
        int filled = 0;
        while (true)
        {
            for (int k = 0; k < count; k++)
            {
                credit[k] += weight[k];
                if (credit[k] < maxWeight)
                {
                    continue;
                }
                credit[k] -= maxWeight;

                final int step = skip[k];
                int slot = next[k];
                while ((taken[slot >>> 6] & (1L << slot)) != 0)
                {
                    slot += step;
                    if (slot >= tableSize)
                    {
                        slot -= tableSize;
                    }
                }
                taken[slot >>> 6] |= 1L << slot;
                table[slot] = order[k];
                slot += step;
                next[k] = slot >= tableSize ? slot - tableSize : slot;
                if (++filled == tableSize)
                {
                    return table;
                }
            }
        }
    }

    /** Deterministic trial division: table sizes are built off the data path and fit in an int. */
    public static boolean isPrime(final int n)
    {
        if (n < 2)
        {
            return false;
        }
        if (n % 2 == 0)
        {
            return n == 2;
        }
        for (int d = 3; (long)d * d <= n; d += 2)
        {
            if (n % d == 0)
            {
                return false;
            }
        }
        return true;
    }

    /** @return the indexes of the endpoints with a positive weight, by ascending key. */
    private static int[] ascendingKeyOrder(final long[] endpointKeys, final int[] weights)
    {
        int count = 0;
        for (int i = 0; i < weights.length; i++)
        {
            if (weights[i] < 0)
            {
                throw new IllegalArgumentException("maglev: endpoint " + i + " has negative weight " + weights[i]);
            }
            count += weights[i] > 0 ? 1 : 0;
        }

        final long[] sorted = endpointKeys.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++)
        {
            if (sorted[i] == sorted[i - 1])
            {
                throw new IllegalArgumentException("maglev: endpoint key 0x" + Long.toHexString(sorted[i]) + " appears twice");
            }
        }

        final int[] byRank = new int[sorted.length];
        for (int i = 0; i < endpointKeys.length; i++)
        {
            byRank[Arrays.binarySearch(sorted, endpointKeys[i])] = i;
        }
        final int[] order = new int[count];
        int k = 0;
        for (final int index : byRank)
        {
            if (weights[index] > 0)
            {
                order[k++] = index;
            }
        }
        return order;
    }
}
