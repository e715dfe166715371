package io.sluice.bench.report;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PercentilesTest
{
    @Test
    void nearestRankOverTheAnsweredRequestsInMilliseconds()
    {
        final List<String> log = new ArrayList<>();
        for (int i = 100; i >= 1; i--)
        {
            log.add("1700000000\t200\t" + i * 1000);
        }
        log.add("1700000000\t-1\t999999");

        assertThat(Percentiles.of(log)).isEqualTo("50.000 90.000 99.000 100.000 100.000 100");
    }

    @Test
    void theRankIsRoundedUp()
    {
        assertThat(Percentiles.nearestRank(0.5, 3)).isEqualTo(2);
        assertThat(Percentiles.nearestRank(0.99, 10)).isEqualTo(10);
        assertThat(Percentiles.nearestRank(0.5, 1)).isEqualTo(1);
    }

    @Test
    void nothingAnsweredGivesZeros()
    {
        assertThat(Percentiles.of(List.of("1\t-1\t5"))).isEqualTo("0 0 0 0 0");
    }
}
