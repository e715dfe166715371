package io.sluice.forwarder.maglev;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

final class MaglevSecondariesTest
{
    private static final int M = MaglevTable.DEFAULT_SIZE;

    @Test
    void afterARealIsAddedEveryRowThatMovedToItNamesItsOldOwner()
    {
        final long[] before = keys(4);
        final long[] after = Arrays.copyOf(before, 5);
        after[4] = MaglevTable.endpointKey(0xC612_0063, 80); // 198.18.0.99, the newcomer
        final int[] oldTable = MaglevTable.build(before, weights(4, 100), M);
        final int[] newTable = MaglevTable.build(after, weights(5, 100), M);

        final int[] secondaries = MaglevSecondaries.build(newTable, after, weights(5, 100));

        int moved = 0;
        for (int row = 0; row < M; row++)
        {
            if (newTable[row] == 4)
            {
                moved++;
                assertThat(secondaries[row]).as("row %d", row).isEqualTo(oldTable[row]);
            }
            else
            {
                assertThat(secondaries[row]).as("row %d", row).isNotEqualTo(newTable[row]).isBetween(0, 4);
            }
        }
        assertThat(moved).as("about a fifth of the rows moved").isBetween(M / 6, M / 4);
    }

    @Test
    void eachRowsSecondaryIsItsOwnerInTheTableWithoutItsPrimary()
    {
        final long[] keys = keys(3);
        final int[] weights = { 100, 200, 300 };
        final int[] table = MaglevTable.build(keys, weights, M);

        final int[] secondaries = MaglevSecondaries.build(table, keys, weights);

        for (int excluded = 0; excluded < 3; excluded++)
        {
            final int[] without = weights.clone();
            without[excluded] = 0;
            final int[] other = MaglevTable.build(keys, without, M);
            for (int row = 0; row < M; row++)
            {
                if (table[row] == excluded)
                {
                    assertThat(secondaries[row]).isEqualTo(other[row]);
                }
            }
        }
    }

    @Test
    void oneRealHasNoSecondary()
    {
        final int[] table = MaglevTable.build(keys(1), weights(1, 100), M);

        assertThat(MaglevSecondaries.build(table, keys(1), weights(1, 100))).containsOnly(MaglevTable.NO_ENDPOINT);
    }

    @Test
    void aRealWithoutWeightIsNobodysSecondaryAndAnEmptyRowHasNone()
    {
        final int[] table = MaglevTable.build(keys(3), weights(3, 100), M);
        final int[] weights = { 100, 100, 0 }; // the third drained (or down) since the table was built
        table[0] = MaglevTable.NO_ENDPOINT;

        final int[] secondaries = MaglevSecondaries.build(table, keys(3), weights);

        assertThat(secondaries[0]).isEqualTo(MaglevTable.NO_ENDPOINT);
        assertThat(Arrays.stream(secondaries).noneMatch((secondary) -> secondary == 2)).isTrue();
    }

    private static long[] keys(final int n)
    {
        final long[] keys = new long[n];
        for (int i = 0; i < n; i++)
        {
            keys[i] = MaglevTable.endpointKey(0xC612_000B + i, 80); // 198.18.0.11 and on
        }
        return keys;
    }

    private static int[] weights(final int n, final int weight)
    {
        final int[] weights = new int[n];
        Arrays.fill(weights, weight);
        return weights;
    }
}
