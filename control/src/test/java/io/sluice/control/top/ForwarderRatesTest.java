package io.sluice.control.top;

import io.sluice.forwarder.counters.CounterTypes;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ForwarderRatesTest
{
    @Test
    void ratesAreTheCountersGrowthOverTheInterval()
    {
        final ForwarderRates rates = ForwarderRates.between(
            Samples.forwarder(1_000, 500, 10).at(0), Samples.forwarder(3_000, 2_000, 50).at(2 * Samples.SECOND_NS));

        assertThat(rates.seconds()).isEqualTo(2.0);
        assertThat(rates.vips()).hasSize(1);
        final ForwarderRates.VipRates vip = rates.vips().getFirst();
        assertThat(vip.name()).isEqualTo(Samples.VIP);
        assertThat(vip.packetsPerS()).isEqualTo(1_000.0);
        assertThat(vip.bytesPerS()).isEqualTo(100_000.0);
        assertThat(vip.reals()).extracting(ForwarderRates.RealRates::name).containsExactly("198.18.0.11", "198.18.0.12");
        final ForwarderRates.RealRates busy = vip.reals().get(0);
        final ForwarderRates.RealRates quiet = vip.reals().get(1);
        assertThat(busy.packetsPerS()).isEqualTo(750.0);
        assertThat(quiet.packetsPerS()).isEqualTo(250.0);
        assertThat(busy.sharePercent()).isEqualTo(75.0);
        assertThat(quiet.sharePercent()).isEqualTo(25.0);
        assertThat(busy.health()).isEqualTo("up");
        assertThat(quiet.health()).isEqualTo("down");
        assertThat(rates.newFlowsPerS()).isEqualTo(20.0);
    }

    @Test
    void workersCarryTheirLoadShareAndBatchFill()
    {
        final ForwarderRates rates = ForwarderRates.between(
            Samples.forwarder(0, 0, 0).at(0), Samples.forwarder(2_000, 1_000, 0).at(Samples.SECOND_NS));

        assertThat(rates.workers()).extracting(ForwarderRates.WorkerRates::index).containsExactly(0, 1);
        final ForwarderRates.WorkerRates first = rates.workers().get(0);
        final ForwarderRates.WorkerRates second = rates.workers().get(1);
        assertThat(first.rxPacketsPerS()).isEqualTo(1_000.0);
        assertThat(second.rxPacketsPerS()).isEqualTo(2_000.0);
        assertThat(first.loadPercent()).isCloseTo(33.3, within(0.1));
        assertThat(second.loadPercent()).isCloseTo(66.7, within(0.1));
        assertThat(first.batchesPerS()).isEqualTo(100.0);
        assertThat(first.packetsPerBatch()).isEqualTo(10.0);
    }

    @Test
    void socketsKeepTheirOwnRingCountersThoughTheirLabelsAreTheSame()
    {
        final ForwarderRates rates = ForwarderRates.between(
            Samples.forwarder(0, 0, 0).at(0), Samples.forwarder(10_000, 5_000, 0).at(Samples.SECOND_NS));

        assertThat(rates.sockets()).hasSize(2);
        assertThat(rates.sockets().get(0).perS())
            .containsExactly(Map.entry("rx-ring-full", 0.0), Map.entry("fill-ring-empty", 0.0));
        assertThat(rates.sockets().get(1).perS()).containsEntry("rx-ring-full", 100.0);
    }

    @Test
    void dropsShowEveryReasonThatEverDroppedWithItsTotal()
    {
        final ForwarderRates rates = ForwarderRates.between(
            Samples.forwarder(0, 0, 0).at(0), Samples.forwarder(0, 0, 0).at(Samples.SECOND_NS));

        assertThat(rates.drops()).containsExactly(new ForwarderRates.DropRates("no-vip", 0.0, 7));
    }

    @Test
    void aCounterThatIsNewCountsFromZeroAndOneThatWentBackCountsAsZero()
    {
        final CounterSample earlier = new Samples().add(CounterTypes.VIP_PACKETS, 0, "vip a packets", 500).at(0);
        final CounterSample later = new Samples()
            .add(CounterTypes.VIP_PACKETS, 0, "vip a packets", 100)
            .add(CounterTypes.VIP_PACKETS, 0, "vip b packets", 40)
            .at(Samples.SECOND_NS);

        final ForwarderRates rates = ForwarderRates.between(earlier, later);

        assertThat(rates.vips()).extracting(ForwarderRates.VipRates::packetsPerS).containsExactly(0.0, 40.0);
        assertThat(rates.vips().get(1).reals()).isEmpty();
    }

    @Test
    void aRealOfAVipWithoutHealthCheckHasNoHealthAndNoTrafficNoShare()
    {
        final CounterSample sample = new Samples().add(CounterTypes.REAL_PACKETS, 0, "real v 10.0.0.1 packets", 0).at(0);

        final ForwarderRates rates = ForwarderRates.between(sample, new CounterSample(sample.counters(), Samples.SECOND_NS));

        assertThat(rates.vips().getFirst().reals()).containsExactly(new ForwarderRates.RealRates("10.0.0.1", 0, 0, 0, "-"));
    }

    @Test
    void samplesOutOfOrderAreRefused()
    {
        final CounterSample sample = new Samples().at(Samples.SECOND_NS);

        assertThatThrownBy(() -> ForwarderRates.between(sample, sample)).isInstanceOf(IllegalArgumentException.class);
    }
}
