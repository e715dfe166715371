package io.sluice.bench.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeadroomTest
{
    @Test
    void directAtTwiceTheBestProxyAllowsAVerdict()
    {
        final Headroom headroom = Headroom.of(200_000, "haproxy", 100_000);

        assertThat(headroom.state()).isEqualTo(Headroom.State.OK);
        assertThat(headroom.ratio()).isEqualTo(2.0);
        assertThat(headroom.verdict(true)).isEqualTo("met");
        assertThat(headroom.verdict(false)).isEqualTo("not met");
    }

    @Test
    void directBelowTwiceTheBestProxyIsGeneratorBoundAndGivesNoVerdict()
    {
        final Headroom headroom = Headroom.of(199_999, "sluice-l7", 100_000);

        assertThat(headroom.state()).isEqualTo(Headroom.State.GENERATOR_BOUND);
        assertThat(headroom.state().text()).isEqualTo("generator-bound");
        assertThat(headroom.ratio()).isEqualTo(2.0);
        assertThat(headroom.verdict(true)).isEqualTo("no verdict");
        assertThat(headroom.verdict(false)).isEqualTo("no verdict");
    }

    @Test
    void withoutDirectTheHeadroomIsUnknownAndGivesNoVerdict()
    {
        final Headroom headroom = Headroom.of(0, "haproxy", 100_000);

        assertThat(headroom.state()).isEqualTo(Headroom.State.UNKNOWN);
        assertThat(headroom.verdict(true)).isEqualTo("no verdict");
    }

    @Test
    void withoutAnyProxyMeasuredThereIsNoVerdict()
    {
        assertThat(Headroom.of(300_000, "", 0).state()).isEqualTo(Headroom.State.NO_PEER_MEASURED);
        assertThat(Headroom.of(300_000, "", 0).verdict(true)).isEqualTo("no verdict");
    }
}
