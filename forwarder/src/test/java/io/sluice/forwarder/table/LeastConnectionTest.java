package io.sluice.forwarder.table;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Weighted least-connection picks: fewest live flows per weight, over every worker's counts. */
class LeastConnectionTest
{
    @Test
    void newFlowsFollowTheWeightsAsCountsGrow()
    {
        final LeastConnection reals = new LeastConnection(new int[]{ 1, 2 }, 2);
        final int[] picks = new int[2];
        for (int i = 0; i < 6; i++)
        {
            picks[reals.next(i % 2)]++;
        }
        assertThat(picks).containsExactly(2, 4);
        assertThat(reals.active(0)).isEqualTo(2);
        assertThat(reals.active(1)).isEqualTo(4);
    }

    @Test
    void realsWithoutWeightTakeNoFlowsAndNoneLeftIsMinusOne()
    {
        final LeastConnection reals = new LeastConnection(new int[]{ 0, 5, 0 }, 1);
        for (int i = 0; i < 5; i++)
        {
            assertThat(reals.next(0)).isEqualTo(1);
        }
        assertThat(new LeastConnection(new int[]{ 0, 0 }, 1).next(0)).isEqualTo(-1);
        assertThatThrownBy(() -> new LeastConnection(new int[]{ -1 }, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWorkersCensusReplacesItsCountsAndOtherWorkersSeeThem()
    {
        final LeastConnection reals = new LeastConnection(new int[]{ 1, 1 }, 2);
        reals.next(0);
        reals.startCount(1);
        for (int i = 0; i < 10; i++)
        {
            reals.count(1, 0);
        }
        assertThat(reals.active(0)).as("a census in progress counts for nothing yet").isEqualTo(1);
        reals.publish(1);
        assertThat(reals.active(0)).isEqualTo(11);
        assertThat(reals.next(0)).as("worker 0 sees worker 1's flows").isEqualTo(1);

        reals.startCount(0);
        reals.publish(0);
        assertThat(reals.active(0)).as("worker 0's flows idled out").isEqualTo(10);
        assertThat(reals.active(1)).isZero();
    }

    @Test
    void otherWeightsOverTheSameRealsKeepTheCounts()
    {
        final LeastConnection reals = new LeastConnection(new int[]{ 1, 1 }, 1);
        reals.next(0);
        final LeastConnection drained = reals.withWeights(new int[]{ 0, 1 });
        assertThat(drained.active(0)).isEqualTo(1);
        assertThat(drained.next(0)).isEqualTo(1);
        assertThat(reals.active(1)).as("one set of counts").isEqualTo(1);
        assertThatThrownBy(() -> reals.withWeights(new int[]{ 1 })).isInstanceOf(IllegalArgumentException.class);
    }
}
