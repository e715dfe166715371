package io.sluice.forwarder.table;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class RoundRobinTest
{
    @Test
    void equalWeightsTakeStrictTurns()
    {
        final RoundRobin rotation = new RoundRobin(new int[]{ 1, 1, 1 }, 1);
        final int[] picks = new int[9];
        for (int i = 0; i < picks.length; i++)
        {
            picks[i] = rotation.next(0);
        }
        assertThat(picks).containsExactly(0, 1, 2, 0, 1, 2, 0, 1, 2);
    }

    @Test
    void weightsAreInterleavedNotBunched()
    {
        final RoundRobin rotation = new RoundRobin(new int[]{ 5, 1, 1 }, 1);
        final int[] picks = new int[14];
        for (int i = 0; i < picks.length; i++)
        {
            picks[i] = rotation.next(0);
        }
        // Smooth weighted round-robin: the heavy real's turns are spread around the light ones.
        assertThat(picks).containsExactly(0, 0, 1, 0, 2, 0, 0, 0, 0, 1, 0, 2, 0, 0);
    }

    @Test
    void everyWorkerHasItsOwnRotationWithExactShares()
    {
        final RoundRobin rotation = new RoundRobin(new int[]{ 3, 1 }, 2);
        final int[][] counts = new int[2][2];
        for (int i = 0; i < 400; i++)
        {
            counts[0][rotation.next(0)]++;
            if (i % 2 == 0)
            {
                counts[1][rotation.next(1)]++;
            }
        }
        assertThat(counts[0]).containsExactly(300, 100);
        assertThat(counts[1]).containsExactly(150, 50);
    }

    @Test
    void aRealOfWeightZeroIsLeftOutAndNoWeightMeansNoPick()
    {
        final RoundRobin rotation = new RoundRobin(new int[]{ 1, 0, 1 }, 1);
        assertThat(new int[]{ rotation.next(0), rotation.next(0), rotation.next(0), rotation.next(0) }).containsExactly(0, 2, 0, 2);
        assertThat(new RoundRobin(new int[0], 1).next(0)).isEqualTo(-1);
        assertThat(new RoundRobin(new int[]{ 0, 0 }, 1).next(0)).isEqualTo(-1);
        assertThatThrownBy(() -> new RoundRobin(new int[]{ 1, -1 }, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
