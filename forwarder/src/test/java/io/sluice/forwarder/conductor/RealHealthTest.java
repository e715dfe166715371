package io.sluice.forwarder.conductor;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.ForwarderConfig;
import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.HealthCheck;
import io.sluice.forwarder.config.RealSpec;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.config.VipSpec;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.golden.PacketBuilder;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.VipEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a real's health does to the tables: after {@code fall} failed checks it leaves its VIP's
 * Maglev table (only its own slots change hands) and its flows pick again while every other
 * flow stays; after {@code rise} good checks the table is the one it was.
 */
final class RealHealthTest
{
    private static final VipKey VIP = VipKey.parse("198.18.1.1:80/tcp");
    private static final IpAddress REAL1 = IpAddress.ipv4(0xC612_000B);
    private static final IpAddress REAL2 = IpAddress.ipv4(0xC612_000C);
    private static final IpAddress REAL3 = IpAddress.ipv4(0xC612_000D);
    private static final long LOCAL_MAC = 0x0200_0000_0001L;
    private static final int FLOWS = 600;

    private final CountersManager counters = new CountersManager(
        new UnsafeBuffer(ByteBuffer.allocateDirect(1024 * CountersReader.METADATA_LENGTH)),
        new UnsafeBuffer(ByteBuffer.allocateDirect(1024 * CountersReader.COUNTER_LENGTH)));
    private final ForwardingState state = new ForwardingState(counters, 1, (address) -> 0x0200_0000_0000L | (address.ipv4() & 0xFF), 65537);

    @Test
    void aRealThatFailsLeavesTheTableAndComesBackAfterItRises()
    {
        final HealthCheck check = HealthCheck.parse("tcp,rise=2,fall=3");
        configure(SchedulerKind.MAGLEV, check);
        final int[] healthy = vip(state.table(1)).maglev();

        assertThat(state.recordHealth(VIP, REAL2, 80, false, 1_000)).isFalse();
        assertThat(state.recordHealth(VIP, REAL2, 80, false, 2_000)).isFalse();
        assertThat(state.recordHealth(VIP, REAL2, 80, true, 3_000)).as("a good check resets the count").isFalse();
        for (int i = 0; i < 2; i++)
        {
            assertThat(state.recordHealth(VIP, REAL2, 80, false, 4_000 + i)).isFalse();
        }
        assertThat(state.recordHealth(VIP, REAL2, 80, false, 5_000)).as("the third failure in a row").isTrue();

        final VipEntry down = vip(state.table(2));
        assertThat(down.reals()[1].healthy()).isFalse();
        int moved = 0;
        for (int slot = 0; slot < healthy.length; slot++)
        {
            if (healthy[slot] == 1)
            {
                assertThat(down.maglev()[slot]).as("slot %d of the real that is down", slot).isIn(0, 2);
                moved++;
            }
            else
            {
                assertThat(down.maglev()[slot]).as("slot %d stays", slot).isEqualTo(healthy[slot]);
            }
        }
        assertThat(moved).isBetween(healthy.length / 3 - 1000, healthy.length / 3 + 1000);
        assertThat(counter("real 198.18.1.1:80/tcp 198.18.0.12 health")).isZero();
        assertThat(counter("real 198.18.1.1:80/tcp 198.18.0.12 health changed")).isEqualTo(5_000);
        assertThat(counter("real 198.18.1.1:80/tcp 198.18.0.12 health transitions")).isOne();
        assertThat(counter("real 198.18.1.1:80/tcp 198.18.0.11 health")).isOne();

        assertThat(state.recordHealth(VIP, REAL2, 80, true, 6_000)).isFalse();
        assertThat(state.recordHealth(VIP, REAL2, 80, true, 7_000)).as("the second success in a row").isTrue();
        assertThat(vip(state.table(3)).maglev()).as("back to the table it was").isEqualTo(healthy);
        assertThat(counter("real 198.18.1.1:80/tcp 198.18.0.12 health transitions")).isEqualTo(2);
    }

    @Test
    void flowsOfARealThatIsDownMoveAndTheOthersStay()
    {
        configure(SchedulerKind.MAGLEV, HealthCheck.parse("tcp,fall=1"));
        try (FlowTable flows = new FlowTable(4096); WorkerCounters workerCounters = new WorkerCounters(counters, 0))
        {
            final PacketProcessor processor = new PacketProcessor(0, flows, workerCounters);
            processor.localMac(LOCAL_MAC);
            final int[] before = sendAll(processor, state.table(1));
            assertThat(state.recordHealth(VIP, REAL2, 80, false, 1_000)).isTrue();
            final int[] after = sendAll(processor, state.table(2));
            int moved = 0;
            for (int i = 0; i < FLOWS; i++)
            {
                if (before[i] == (REAL2.ipv4() & 0xFF))
                {
                    assertThat(after[i]).as("flow %d left the real that is down", i).isNotEqualTo(REAL2.ipv4() & 0xFF);
                    moved++;
                }
                else
                {
                    assertThat(after[i]).as("flow %d on a live real stays", i).isEqualTo(before[i]);
                }
            }
            assertThat(moved).isPositive();
        }
    }

    @Test
    void roundRobinSkipsARealThatIsDown()
    {
        configure(SchedulerKind.ROUND_ROBIN, HealthCheck.parse("tcp,fall=1"));
        assertThat(state.recordHealth(VIP, REAL1, 80, false, 1_000)).isTrue();
        final VipEntry vip = vip(state.table(2));
        final int[] picks = new int[4];
        for (int i = 0; i < picks.length; i++)
        {
            picks[i] = vip.roundRobin().next(0);
        }
        assertThat(picks).containsExactly(1, 2, 1, 2);
    }

    private void configure(final SchedulerKind scheduler, final HealthCheck check)
    {
        ForwarderConfig config = ForwarderConfig.EMPTY.addVip(new VipSpec(VIP, ForwardingMode.DSR, scheduler, check));
        for (final IpAddress real : new IpAddress[]{ REAL1, REAL2, REAL3 })
        {
            config = config.addReal(VIP, new RealSpec(real, 0, 1));
        }
        state.commit(state.plan(config));
    }

    /** @return for each flow, the last byte of the real's MAC it went to (the resolver makes it the address's). */
    private static int[] sendAll(final PacketProcessor processor, final ForwardingTable table)
    {
        final int[] reals = new int[FLOWS];
        for (int i = 0; i < FLOWS; i++)
        {
            final UnsafeBuffer frame = new UnsafeBuffer(PacketBuilder.ethernet(LOCAL_MAC, 0x0200_0000_00FEL)
                .ipv4("198.19." + (i / 250) + "." + (1 + i % 250), "198.18.1.1").tcp(30000 + i, 80).build());
            assertThat(processor.process(frame, 0, frame.capacity(), table, 1_000_000_000L)).isEqualTo(PacketProcessor.FORWARD);
            reals[i] = frame.getByte(5) & 0xFF;
        }
        return reals;
    }

    private static VipEntry vip(final ForwardingTable table)
    {
        return table.vips()[0];
    }

    private long counter(final String label)
    {
        final long[] value = { Long.MIN_VALUE };
        counters.forEach((counterId, typeId, keyBuffer, text) ->
        {
            if (text.equals(label))
            {
                value[0] = counters.getCounterValue(counterId);
            }
        });
        return value[0];
    }
}
