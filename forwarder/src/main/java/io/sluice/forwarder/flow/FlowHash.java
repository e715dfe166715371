package io.sluice.forwarder.flow;

/**
 * The hash of a flow's 5-tuple, and the two longs the 5-tuple is packed into as a flow-table key.
 *
 * <p>Deterministic by design: no seed drawn at start, no identity hash. Every forwarder behind
 * the same ECMP route computes the same hash for a flow and so, with the same Maglev table,
 * picks the same real; a flow that ECMP moves to another forwarder keeps its real.
 *
 * <p>Key layout: {@code key0 = source << 32 | destination}, {@code key1 = sourcePort << 32 |
 * destinationPort << 16 | protocol}. An IPv6 flow's 256 bits of addresses do not fit one long:
 * its key0 is them folded to 64 bits ({@link #key0Ipv6}), and its key1 carries {@link #IPV6}, so
 * it never equals an IPv4 flow's key. Two IPv6 flows with equal ports and protocol share a key
 * only if their addresses fold alike, a 2^-64 chance between any two; the flows would then share
 * a real, which for DSR and tunnel mode harms neither. The hash is two rounds of a 64-bit finaliser (the MurmurHash3
 * fmix64 constants): the first mixes key0, the second mixes that with key1, so every input bit
 * reaches every output bit; the 64-bit result is folded to 32 bits.
 */
public final class FlowHash
{
    private FlowHash()
    {
    }

    /** Keeps a 5-tuple of zeros from hashing through the first round unchanged. */
    private static final long SEED = 0x9E37_79B9_7F4A_7C15L;

    public static long key0(final int sourceAddress, final int destinationAddress)
    {
        return ((long)sourceAddress << 32) | (destinationAddress & 0xFFFF_FFFFL);
    }

    /** Set in an IPv6 flow's key1 (bits 8-15 of key1 are otherwise always zero). */
    public static final long IPV6 = 1L << 8;

    /** An IPv6 flow's key0: its source and destination addresses (each as two longs) folded to 64 bits. */
    public static long key0Ipv6(final long sourceHigh, final long sourceLow, final long destinationHigh, final long destinationLow)
    {
        return mix64(mix64(mix64(sourceHigh ^ SEED) ^ sourceLow) ^ destinationHigh) ^ destinationLow;
    }

    /** {@link #sourceHash} of an IPv6 client address. */
    public static int sourceHash6(final long sourceHigh, final long sourceLow)
    {
        final long h = mix64(mix64(sourceHigh ^ SEED) ^ sourceLow);
        return (int)(h ^ (h >>> 32));
    }

    public static long key1(final int sourcePort, final int destinationPort, final int ipProtocol)
    {
        return ((long)(sourcePort & 0xFFFF) << 32) | ((long)(destinationPort & 0xFFFF) << 16) | (ipProtocol & 0xFF);
    }

    /** @return the 32-bit hash of a key packed by {@link #key0} and {@link #key1}. */
    public static int hash(final long key0, final long key1)
    {
        final long h = mix64(mix64(key0 ^ SEED) ^ key1);
        return (int)(h ^ (h >>> 32));
    }

    public static int hash(
        final int sourceAddress, final int destinationAddress, final int sourcePort, final int destinationPort, final int ipProtocol)
    {
        return hash(key0(sourceAddress, destinationAddress), key1(sourcePort, destinationPort, ipProtocol));
    }

    /**
     * The hash of the client address alone (the source-hash scheduler's key: every flow of one
     * client picks the same real). Deterministic, like {@link #hash(long, long)}.
     */
    public static int sourceHash(final int sourceAddress)
    {
        final long h = mix64((sourceAddress & 0xFFFF_FFFFL) ^ SEED);
        return (int)(h ^ (h >>> 32));
    }

    /** A 64-bit bijective finaliser with full avalanche; also the base of the Maglev permutations. */
    public static long mix64(final long value)
    {
        long z = value;
        z = (z ^ (z >>> 33)) * 0xFF51_AFD7_ED55_8CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CE_B9FE_1A85_EC53L;
        return z ^ (z >>> 33);
    }
}
