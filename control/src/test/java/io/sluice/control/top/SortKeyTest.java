package io.sluice.control.top;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SortKeyTest
{
    private static final List<ForwarderRates.RealRates> REALS = List.of(
        new ForwarderRates.RealRates("10.0.0.2", 10, 9_000, 10, "-"),
        new ForwarderRates.RealRates("10.0.0.1", 50, 1_000, 50, "-"),
        new ForwarderRates.RealRates("10.0.0.4", 0, 0, 0, "-"),
        new ForwarderRates.RealRates("10.0.0.3", 0, 0, 0, "-"));

    /** Rates descending (idle rows by name, so they keep still between refreshes), or names alone. */
    @ParameterizedTest
    @CsvSource({
        "PACKETS, 10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4",
        "BYTES,   10.0.0.2 10.0.0.1 10.0.0.3 10.0.0.4",
        "NAME,    10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4"})
    void eachKeyHasItsOrder(final SortKey sort, final String names)
    {
        assertThat(sort.sorted(REALS)).extracting(ForwarderRates.RealRates::name).containsExactly(names.split(" "));
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
