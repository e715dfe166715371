package io.sluice.forwarder.flow;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

final class FlowHashTest
{
    @Test
    void packsTheFiveTupleIntoTwoLongs()
    {
        assertThat(FlowHash.key0(0xC613_0001, 0xC612_0101)).isEqualTo(0xC613_0001_C612_0101L);
        assertThat(FlowHash.key1(40000, 443, 6)).isEqualTo(0x9C40_01BB_0006L);
        assertThat(FlowHash.key1(0xFFFF, 0xFFFF, 17)).as("high ports do not sign-extend").isEqualTo(0xFFFF_FFFF_0011L);
        assertThat(FlowHash.key0(0, 0xFFFF_FFFF)).isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void hashIsPinned()
    {
        // Forwarders behind one ECMP route must agree, across processes and releases: changing these
        // values moves established flows to other reals.
        assertThat(FlowHash.hash(0xC613_0001, 0xC612_0101, 40000, 80, 6)).isEqualTo(PINNED_TCP);
        assertThat(FlowHash.hash(0, 0, 0, 0, 0)).isEqualTo(PINNED_ZERO);
        assertThat(FlowHash.hash(FlowHash.key0(0xC613_0001, 0xC612_0101), FlowHash.key1(40000, 80, 6))).isEqualTo(PINNED_TCP);
    }

    private static final int PINNED_TCP = -784_153_414;
    private static final int PINNED_ZERO = 1_700_122_048;

    @Test
    void everyFieldChangesTheHash()
    {
        final int base = FlowHash.hash(0xC613_0001, 0xC612_0101, 40000, 80, 6);
        assertThat(FlowHash.hash(0xC613_0002, 0xC612_0101, 40000, 80, 6)).isNotEqualTo(base);
        assertThat(FlowHash.hash(0xC613_0001, 0xC612_0102, 40000, 80, 6)).isNotEqualTo(base);
        assertThat(FlowHash.hash(0xC613_0001, 0xC612_0101, 40001, 80, 6)).isNotEqualTo(base);
        assertThat(FlowHash.hash(0xC613_0001, 0xC612_0101, 40000, 81, 6)).isNotEqualTo(base);
        assertThat(FlowHash.hash(0xC613_0001, 0xC612_0101, 40000, 80, 17)).isNotEqualTo(base);
        assertThat(FlowHash.hash(0xC612_0101, 0xC613_0001, 80, 40000, 6)).as("direction matters").isNotEqualTo(base);
    }

    @Test
    void sequentialSourcePortsSpreadOverBucketsAndMaglevSlots()
    {
        // Clients open connections on consecutive ports; their low hash bits pick flow-table buckets.
        final int buckets = 1024;
        final int[] perBucket = new int[buckets];
        final Set<Integer> distinct = new HashSet<>();
        final int flows = 64 * buckets;
        for (int port = 0; port < flows; port++)
        {
            final int hash = FlowHash.hash(0xC613_0001, 0xC612_0101, port, 80, 6);
            perBucket[hash & (buckets - 1)]++;
            distinct.add(hash);
        }
        assertThat(distinct).as("no collisions among 65536 flows in 32 bits, nearly always").hasSizeGreaterThan(flows - 5);
        for (int bucket = 0; bucket < buckets; bucket++)
        {
            // Mean 64, standard deviation 8: 30..110 is beyond 4 sigma either side.
            assertThat(perBucket[bucket]).as("bucket %d", bucket).isBetween(30, 110);
        }
    }

    @Test
    void flippingOneInputBitFlipsAboutHalfTheOutputBits()
    {
        long flipped = 0;
        int trials = 0;
        for (int i = 0; i < 1000; i++)
        {
            final long key0 = FlowHash.mix64(i);
            final long key1 = FlowHash.mix64(i + 1_000_000) & 0xFFFF_FFFF_FFL;
            final int base = FlowHash.hash(key0, key1);
            for (int bit = 0; bit < 64; bit++)
            {
                flipped += Integer.bitCount(base ^ FlowHash.hash(key0 ^ (1L << bit), key1));
                trials++;
            }
            for (int bit = 0; bit < 40; bit++)
            {
                flipped += Integer.bitCount(base ^ FlowHash.hash(key0, key1 ^ (1L << bit)));
                trials++;
            }
        }
        assertThat((double)flipped / trials).isBetween(15.5, 16.5);
    }
}
