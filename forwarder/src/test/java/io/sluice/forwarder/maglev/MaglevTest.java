package io.sluice.forwarder.maglev;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class MaglevTest
{
    private static final int M = MaglevTable.DEFAULT_SIZE;

    @Test
    void equalWeightsShareTheTableWithinOnePercentForOneToOneHundredReals()
    {
        for (int n = 1; n <= 100; n++)
        {
            final int[] counts = counts(MaglevTable.build(keys(n), equalWeights(n), M), n);
            final double ideal = (double)M / n;
            for (int i = 0; i < n; i++)
            {
                assertThat(Math.abs(counts[i] - ideal) / ideal)
                    .as("real %d of %d has %d entries, ideal %.1f", i, n, counts[i], ideal)
                    .isLessThanOrEqualTo(0.01);
            }
        }
    }

    @Test
    void everyEntryNamesAnEndpoint()
    {
        final int[] table = MaglevTable.build(keys(7), equalWeights(7), M);
        assertThat(table).hasSize(M);
        assertThat(Arrays.stream(table).allMatch(index -> index >= 0 && index < 7)).isTrue();
    }

    @Test
    void weightsOneTwoThreeGetOneTwoThreeSixthsWithinOnePercent()
    {
        final int[] counts = counts(MaglevTable.build(keys(3), new int[]{1, 2, 3}, M), 3);
        for (int i = 0; i < 3; i++)
        {
            final double ideal = M * (i + 1) / 6.0;
            assertThat(Math.abs(counts[i] - ideal) / ideal).as("endpoint %d: %d entries, ideal %.1f", i, counts[i], ideal)
                .isLessThanOrEqualTo(0.01);
        }
    }

    @Test
    void weightsFollowLargeAndUnevenRatios()
    {
        final int[] weights = {65535, 100, 1000, 5000, 100};
        final int[] counts = counts(MaglevTable.build(keys(5), weights, M), 5);
        final double total = Arrays.stream(weights).sum();
        for (int i = 0; i < weights.length; i++)
        {
            final double ideal = (double)M * weights[i] / total;
            assertThat(Math.abs(counts[i] - ideal)).as("endpoint %d: %d entries, ideal %.1f", i, counts[i], ideal)
                .isLessThanOrEqualTo(Math.max(1.0, ideal * 0.01));
        }
    }

    @Test
    void scalingAllWeightsChangesNothing()
    {
        assertThat(MaglevTable.build(keys(4), new int[]{1, 2, 3, 4}, M))
            .isEqualTo(MaglevTable.build(keys(4), new int[]{100, 200, 300, 400}, M));
    }

    @Test
    void weightZeroLeavesAnEndpointOut()
    {
        final int[] table = MaglevTable.build(keys(3), new int[]{5, 0, 5}, M);
        final int[] counts = counts(table, 3);
        assertThat(counts[1]).isZero();
        assertThat(counts[0] + counts[2]).isEqualTo(M);
        final int[] withoutIt = MaglevTable.build(new long[]{keys(3)[0], keys(3)[2]}, new int[]{5, 5}, M);
        assertThat(table).isEqualTo(remap(withoutIt, new int[]{0, 2}));
    }

    @Test
    void removingOneOfNRealsMovesItsEntriesAndLittleElse()
    {
        for (final int n : new int[]{2, 3, 5, 10, 20, 50, 100})
        {
            final long[] keys = keys(n);
            final int[] before = MaglevTable.build(keys, equalWeights(n), M);
            final int removed = n / 2;
            final long[] fewerKeys = new long[n - 1];
            final int[] survivors = new int[n - 1];
            for (int i = 0, k = 0; i < n; i++)
            {
                if (i != removed)
                {
                    fewerKeys[k] = keys[i];
                    survivors[k++] = i;
                }
            }
            final int[] after = remap(MaglevTable.build(fewerKeys, equalWeights(n - 1), M), survivors);

            int moved = 0;
            int survivorsMoved = 0;
            for (int slot = 0; slot < M; slot++)
            {
                if (before[slot] != after[slot])
                {
                    moved++;
                    survivorsMoved += before[slot] != removed ? 1 : 0;
                }
                if (before[slot] == removed)
                {
                    assertThat(after[slot]).as("n=%d slot %d of the removed real", n, slot).isNotEqualTo(removed);
                }
            }
            final double movedFraction = (double)moved / M;
            // The removed real's 1/N must move. Maglev moves a little more than that (as the paper's
            // consistent-hashing evaluation shows): with one real fewer, the others claim slots earlier in their permutations
            // and displace each other. Measured here at M = 65537 the extra is under 0.1% of the table
            // up to N = 10 and grows towards 1% at N = 100-500 (1.57/N at N = 100), so the bound is
            // 1/N plus 1% of the table, and 1.3/N while N is small against M.
            assertThat(movedFraction).as("n=%d moved %d entries (%d of surviving reals)", n, moved, survivorsMoved)
                .isGreaterThanOrEqualTo(1.0 / n * 0.99)
                .isLessThanOrEqualTo(1.0 / n + 0.01);
            if (n <= 50)
            {
                assertThat(movedFraction).as("n=%d moved %d entries", n, moved).isLessThanOrEqualTo(1.3 / n);
            }
            assertThat((double)survivorsMoved / M).as("n=%d entries moved between surviving reals", n).isLessThan(0.01);
        }
    }

    @Test
    void sameInputsInAnyOrderGiveTheSameTable()
    {
        final long[] keys = keys(10);
        final int[] weights = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        final int[] table = MaglevTable.build(keys, weights, M);

        final int[] permutation = {7, 2, 9, 0, 4, 1, 8, 3, 6, 5};
        final long[] shuffledKeys = new long[10];
        final int[] shuffledWeights = new int[10];
        for (int i = 0; i < 10; i++)
        {
            shuffledKeys[i] = keys[permutation[i]];
            shuffledWeights[i] = weights[permutation[i]];
        }
        final int[] shuffled = MaglevTable.build(shuffledKeys, shuffledWeights, M);
        assertThat(remap(shuffled, permutation)).isEqualTo(table);
    }

    @Test
    void tableIsPinnedAcrossVersionsAndProcesses()
    {
        // A fixed input and the first entries of its table: forwarders must agree with each other and
        // across upgrades, so a change here is a compatibility break, not a refactoring.
        final long[] keys = {
            MaglevTable.endpointKey(0xC612_000B, 80), MaglevTable.endpointKey(0xC612_000C, 80), MaglevTable.endpointKey(0xC612_000D, 80)
        };
        final int[] table = MaglevTable.build(keys, new int[]{1, 1, 1}, 13);
        assertThat(table).containsExactly(PINNED_13);
    }

    private static final int[] PINNED_13 = {0, 0, 1, 1, 0, 1, 2, 1, 2, 0, 2, 0, 2};

    @Test
    void endpointKeyPacksAddressAndPort()
    {
        assertThat(MaglevTable.endpointKey(0xC612_000B, 443)).isEqualTo(0xC612_000B_01BBL);
        assertThat(MaglevTable.endpointKey(0xFFFF_FFFF, 65535)).isEqualTo(0xFFFF_FFFF_FFFFL);
    }

    @Test
    void noEndpointsGiveAnEmptyTable()
    {
        assertThat(MaglevTable.build(new long[0], new int[0], M)).hasSize(M).containsOnly(MaglevTable.NO_ENDPOINT);
        assertThat(MaglevTable.build(keys(3), new int[]{0, 0, 0}, 13)).containsOnly(MaglevTable.NO_ENDPOINT);
    }

    @Test
    void smallestPrimeTablesWork()
    {
        assertThat(MaglevTable.build(keys(3), equalWeights(3), 2)).hasSize(2).doesNotContain(MaglevTable.NO_ENDPOINT);
        assertThat(counts(MaglevTable.build(keys(3), equalWeights(3), 3), 3)).containsExactly(1, 1, 1);
    }

    @Test
    void primeCheck()
    {
        assertThat(MaglevTable.isPrime(65537)).isTrue();
        assertThat(MaglevTable.isPrime(2)).isTrue();
        assertThat(MaglevTable.isPrime(251)).isTrue();
        assertThat(MaglevTable.isPrime(2_147_483_647)).isTrue();
        assertThat(MaglevTable.isPrime(65536)).isFalse();
        assertThat(MaglevTable.isPrime(65539 * 3)).isFalse();
        assertThat(MaglevTable.isPrime(1)).isFalse();
        assertThat(MaglevTable.isPrime(0)).isFalse();
        assertThat(MaglevTable.isPrime(-7)).isFalse();
        assertThat(MaglevTable.isPrime(46_349 * 46_349)).isFalse();
    }

    @Test
    void badInputIsRefusedWithAReason()
    {
        assertThatThrownBy(() -> MaglevTable.build(keys(2), equalWeights(2), 65536))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("maglev table size 65536 is not prime");
        assertThatThrownBy(() -> MaglevTable.build(keys(2), equalWeights(3), M))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("maglev: 2 endpoint keys but 3 weights");
        assertThatThrownBy(() -> MaglevTable.build(keys(2), new int[]{1, -1}, M))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("maglev: endpoint 1 has negative weight -1");
        assertThatThrownBy(() -> MaglevTable.build(new long[]{7, 7}, equalWeights(2), M))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("maglev: endpoint key 0x7 appears twice");
    }

    /** Keys of reals 198.18.0.11, .12, ... on port 80: realistic, and close together on purpose. */
    static long[] keys(final int n)
    {
        final long[] keys = new long[n];
        for (int i = 0; i < n; i++)
        {
            keys[i] = MaglevTable.endpointKey(0xC612_000B + i, 80);
        }
        return keys;
    }

    static int[] equalWeights(final int n)
    {
        final int[] weights = new int[n];
        Arrays.fill(weights, 1);
        return weights;
    }

    private static int[] counts(final int[] table, final int n)
    {
        final int[] counts = new int[n];
        for (final int index : table)
        {
            counts[index]++;
        }
        return counts;
    }

    /** Maps a table built from a subset or reordering back to the original indexes. */
    private static int[] remap(final int[] table, final int[] originalIndexOf)
    {
        final int[] mapped = new int[table.length];
        for (int i = 0; i < table.length; i++)
        {
            mapped[i] = table[i] < 0 ? table[i] : originalIndexOf[table[i]];
        }
        return mapped;
    }
}
