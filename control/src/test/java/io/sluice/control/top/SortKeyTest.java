package io.sluice.control.top;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SortKeyTest
{
    private static final List<ForwarderRates.RealRates> REALS = List.of(
        new ForwarderRates.RealRates("10.0.0.2", 10, 9_000, 10, "-"),
        new ForwarderRates.RealRates("10.0.0.1", 50, 1_000, 50, "-"),
        new ForwarderRates.RealRates("10.0.0.4", 0, 0, 0, "-"),
        new ForwarderRates.RealRates("10.0.0.3", 0, 0, 0, "-"));

    @Test
    void packetsPutTheBusiestFirstAndIdleRowsByName()
    {
        assertThat(SortKey.PACKETS.sorted(REALS)).extracting(ForwarderRates.RealRates::name)
            .containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4");
    }

    @Test
    void bytesPutTheMostBytesFirst()
    {
        assertThat(SortKey.BYTES.sorted(REALS)).extracting(ForwarderRates.RealRates::name)
            .containsExactly("10.0.0.2", "10.0.0.1", "10.0.0.3", "10.0.0.4");
    }

    @Test
    void nameSortsByNameAlone()
    {
        assertThat(SortKey.NAME.sorted(REALS)).extracting(ForwarderRates.RealRates::name)
            .containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4");
    }

    @Test
    void keysSelectTheirOrderAndOthersNone()
    {
        assertThat(SortKey.ofKey('p')).isEqualTo(SortKey.PACKETS);
        assertThat(SortKey.ofKey('b')).isEqualTo(SortKey.BYTES);
        assertThat(SortKey.ofKey('n')).isEqualTo(SortKey.NAME);
        assertThat(SortKey.ofKey('x')).isNull();
        assertThat(SortKey.ofKey(-1)).isNull();
    }
}
