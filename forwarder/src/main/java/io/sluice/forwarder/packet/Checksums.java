package io.sluice.forwarder.packet;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the one's-complement of the one's-complement sum of 16-bit
 * big-endian words. A full computation for building or checking a header, and the RFC 1624
 * incremental update the data path uses when it changes a field in place, which costs a few
 * additions instead of a pass over the header.
 */
public final class Checksums
{
    private Checksums()
    {
    }

    /** Where an IPv4 header keeps its checksum, from the start of the header. */
    public static final int IPV4_CHECKSUM_OFFSET = 10;

    /**
     * Adds {@code length} bytes as big-endian 16-bit words to a running sum (an odd last byte is
     * padded with zero, as RFC 1071 says). The result is not folded.
     *
     * @param initial a running sum to continue, e.g. a pseudo-header's; 0 to start.
     */
    public static long sum(final DirectBuffer buffer, final int offset, final int length, final long initial)
    {
        // Eight bytes a read, added as two 32-bit halves: the one's-complement sum of 32-bit words
        // folds to the same 16 bits as that of 16-bit words (the fold adds the high halves back
        // in), in a quarter of the reads. An IPv6 pseudo-header's addresses are four reads.
        long sum = initial;
        int i = offset;
        final int longsEnd = offset + (length & ~7);
        for (; i < longsEnd; i += 8)
        {
            final long word = buffer.getLong(i, ByteOrder.BIG_ENDIAN);
            sum += (word >>> 32) + (word & 0xFFFF_FFFFL);
        }
        final int end = offset + (length & ~1);
        for (; i < end; i += 2)
        {
            sum += buffer.getShort(i, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        }
        if ((length & 1) != 0)
        {
            sum += (buffer.getByte(offset + length - 1) & 0xFF) << 8;
        }
        return sum;
    }

    /**
     * Folds a running sum into 16 bits with end-around carry. Without a loop: the four 16-bit
     * parts of any long add up to less than 2^18, which two more folds bring into 16 bits; a sum
     * that is already small folds to itself. Every data-path packet folds at least once.
     */
    public static int fold(final long sum)
    {
        long folded = (sum & 0xFFFF) + ((sum >>> 16) & 0xFFFF) + ((sum >>> 32) & 0xFFFF) + (sum >>> 48);
        folded = (folded & 0xFFFF) + (folded >>> 16);
        folded = (folded & 0xFFFF) + (folded >>> 16);
        return (int)folded;
    }

    /** @return the checksum of a running sum: the one's complement of its folded value. */
    public static int finish(final long sum)
    {
        return ~fold(sum) & 0xFFFF;
    }

    /**
     * Computes an IPv4 header checksum from scratch, as if the checksum field were zero, without
     * writing anything.
     */
    public static int ipv4HeaderChecksum(final DirectBuffer buffer, final int offset, final int headerLength)
    {
        final long withField = sum(buffer, offset, headerLength, 0);
        final int field = buffer.getShort(offset + IPV4_CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        return finish(withField - field);
    }

    /** @return true when the header, checksum field included, sums to all ones. */
    public static boolean ipv4HeaderChecksumValid(final DirectBuffer buffer, final int offset, final int headerLength)
    {
        return fold(sum(buffer, offset, headerLength, 0)) == 0xFFFF;
    }

    /**
     * RFC 1624 equation 3: the checksum after one 16-bit word of the covered data changed from
     * {@code oldWord} to {@code newWord}, HC' = ~(~HC + ~m + m'). Unlike equation 2 of RFC 1141
     * it never produces 0xFFFF for data that is not all zero, so the result is the same value a
     * full recomputation gives.
     */
    public static int update16(final int checksum, final int oldWord, final int newWord)
    {
        int sum = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        return ~sum & 0xFFFF;
    }

    /** {@link #update16} for a 32-bit field (an IPv4 address): both of its words changed. */
    public static int update32(final int checksum, final int oldValue, final int newValue)
    {
        int sum = (~checksum & 0xFFFF) +
            (~(oldValue >>> 16) & 0xFFFF) + (~oldValue & 0xFFFF) +
            ((newValue >>> 16) & 0xFFFF) + (newValue & 0xFFFF);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        return ~sum & 0xFFFF;
    }

    /**
     * {@link #update16} for a 128-bit field (an IPv6 address, two longs read big-endian): all
     * eight of its words changed, which is eight applications of equation 3 folded into one.
     */
    public static int update128(
        final int checksum, final long oldHigh, final long oldLow, final long newHigh, final long newLow)
    {
        long sum = ~checksum & 0xFFFF;
        for (int shift = 0; shift < 64; shift += 16)
        {
            sum += (~(oldHigh >>> shift) & 0xFFFF) + (~(oldLow >>> shift) & 0xFFFF) +
                ((newHigh >>> shift) & 0xFFFF) + ((newLow >>> shift) & 0xFFFF);
        }
        return ~fold(sum) & 0xFFFF;
    }
}
