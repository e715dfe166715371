package io.sluice.bench.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SummaryTest
{
    @Test
    void anOddCountHasTheMiddleValueAsItsMedian()
    {
        assertThat(Summary.of(List.of(30.0, 10.0, 20.0))).isEqualTo(new Summary(20, 10, 30, 3));
    }

    @Test
    void anEvenCountHasTheMeanOfTheMiddleTwo()
    {
        assertThat(Summary.of(List.of(40.0, 10.0, 30.0, 20.0))).isEqualTo(new Summary(25, 10, 40, 4));
    }

    @Test
    void noRunsGiveZerosThatReadAsNotMeasured()
    {
        assertThat(Summary.of(List.of())).isEqualTo(Summary.NONE);
        assertThat(Summary.NONE.measured()).isFalse();
    }
}
