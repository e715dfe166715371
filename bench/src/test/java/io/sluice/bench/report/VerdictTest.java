package io.sluice.bench.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VerdictTest
{
    @Test
    void aRatioIsZeroWithoutTheFigureItIsReadAgainst()
    {
        assertThat(Verdict.ratio(100, 0)).isZero();
        assertThat(Verdict.ratio(150, 100)).isEqualTo(1.5);
    }

    @Test
    void aRatioReachesItsTargetAtOrAboveIt()
    {
        assertThat(Verdict.ofRatio(1.0, 1.0)).isEqualTo("reached");
        assertThat(Verdict.ofRatio(4.2, 4.0)).isEqualTo("reached");
    }

    @Test
    void aRatioShortOfItsTargetSaysByHowManyPerCentOfTheTarget()
    {
        assertThat(Verdict.ofRatio(0.9, 1.0)).isEqualTo("not reached by 10%");
        assertThat(Verdict.ofRatio(3.0, 4.0)).isEqualTo("not reached by 25%");
    }

    @Test
    void aTargetOfZeroIsAFigureWithoutATarget()
    {
        assertThat(Verdict.ofRatio(0.5, 0)).isEqualTo("no target");
    }
}
