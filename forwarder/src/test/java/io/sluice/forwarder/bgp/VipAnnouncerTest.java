package io.sluice.forwarder.bgp;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.counters.CounterTypes;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the announcer wants announced, and the counters it keeps for the CLI. */
class VipAnnouncerTest
{
    private static final BgpConfig CONFIG = new BgpConfig(65001, IpAddress.parse("198.18.0.2"),
        List.of(new BgpConfig.Neighbor(IpAddress.parse("198.18.0.1"), 65000, null)), 9, 3, null, List.of(),
        Set.of(IpAddress.parse("198.18.1.1"), IpAddress.parse("198.18.1.2")));

    @TempDir
    Path stateDir;

    private final CountersManager counters = new CountersManager(
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(64 * 512, 64)),
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(64 * 128, 64)));

    @Test
    void wantsAnAddressAnnouncedWhileOneOfItsVipsCanBeServedAndTheFileNamesIt()
    {
        final VipAnnouncer announcer = new VipAnnouncer(CONFIG, new BirdSupervisor(CONFIG, stateDir, (line) -> { }), counters);
        announcer.onVips(List.of(key("198.18.1.1:80/tcp"), key("198.18.1.1:443/tcp"), key("198.18.1.2:80/tcp"),
            key("198.18.1.3:80/tcp"), key("[2001:2:0:1::1]:80/tcp")));
        announcer.onServableVips(List.of(key("198.18.1.1:443/tcp"), key("198.18.1.3:80/tcp")));

        assertThat(announcer.wanted())
            .isEqualTo(Map.of(IpAddress.parse("198.18.1.1"), true, IpAddress.parse("198.18.1.2"), false));
        announcer.doWork();
        assertThat(labels(CounterTypes.BGP_VIP_ANNOUNCED)).containsExactlyInAnyOrder(
            "bgp vip 198.18.1.1 announced", "bgp vip 198.18.1.2 announced");
        assertThat(labels(CounterTypes.BGP_NEIGHBOR_STATE)).containsExactly("bgp neighbor 198.18.0.1 state");

        announcer.onVips(List.of(key("198.18.1.1:80/tcp")));
        announcer.onServableVips(List.of());
        assertThat(announcer.wanted()).isEqualTo(Map.of(IpAddress.parse("198.18.1.1"), false));
        announcer.doWork();
        assertThat(labels(CounterTypes.BGP_VIP_ANNOUNCED)).as("a deleted VIP's counter is freed")
            .containsExactly("bgp vip 198.18.1.1 announced");
        announcer.onClose();
    }

    @Test
    void keepsABfdCounterPerNeighbourOnlyWithBfdOn()
    {
        final BgpConfig withBfd = new BgpConfig(CONFIG.localAs(), CONFIG.routerId(), CONFIG.neighbors(), 9, 3,
            new BgpConfig.Bfd(100, 3), List.of(), CONFIG.announce());
        final VipAnnouncer announcer = new VipAnnouncer(withBfd, new BirdSupervisor(withBfd, stateDir, (line) -> { }), counters);
        announcer.doWork();
        assertThat(labels(CounterTypes.BGP_NEIGHBOR_BFD)).containsExactly("bgp neighbor 198.18.0.1 bfd");
        assertThat(counterValue("bgp neighbor 198.18.0.1 bfd")).as("no session before BIRD runs").isEqualTo(BfdState.NONE.code());
        announcer.onClose();
        assertThat(labels(CounterTypes.BGP_NEIGHBOR_BFD)).isEmpty();

        final VipAnnouncer withoutBfd = new VipAnnouncer(CONFIG, new BirdSupervisor(CONFIG, stateDir, (line) -> { }), counters);
        withoutBfd.doWork();
        assertThat(labels(CounterTypes.BGP_NEIGHBOR_BFD)).as("BFD off").isEmpty();
        withoutBfd.onClose();
    }

    @Test
    void newSettingsAreTakenWholeOrRefusedWithTheRunningOnesKept()
    {
        final VipAnnouncer announcer = new VipAnnouncer(CONFIG, new BirdSupervisor(CONFIG, stateDir, (line) -> { }), counters);
        announcer.onVips(List.of(key("198.18.1.1:80/tcp"), key("198.18.1.3:80/tcp")));
        announcer.doWork();
        final String running = announcer.text();

        assertThat(announcer.apply(running)).isEqualTo("BGP settings unchanged");
        assertThatThrownBy(() -> announcer.apply(running.replace("local_as 65001", "local_as 0")))
            .hasMessage("the BGP settings sent: local_as: '0' is not an AS number (1-4294967295)");
        assertThat(announcer.text()).isEqualTo(running);

        final String more = running.replace("announce 198.18.1.1 198.18.1.2", "announce all")
            .replace("neighbor 198.18.0.1 65000\n", "neighbor 198.18.0.1 65000\nneighbor 198.18.0.5 65002\n") + "bfd 100 3\n";
        assertThat(announcer.apply(more)).isEqualTo("BGP settings applied: AS 65001, 2 neighbours, BFD 100 ms x 3; " +
            "BIRD reconfigured, unchanged sessions kept");
        assertThat(announcer.wanted()).as("announce: all takes in 198.18.1.3")
            .isEqualTo(Map.of(IpAddress.parse("198.18.1.1"), false, IpAddress.parse("198.18.1.3"), false));
        announcer.doWork();
        assertThat(labels(CounterTypes.BGP_NEIGHBOR_STATE)).containsExactlyInAnyOrder("bgp neighbor 198.18.0.1 state",
            "bgp neighbor 198.18.0.5 state");
        assertThat(labels(CounterTypes.BGP_NEIGHBOR_BFD)).hasSize(2);
        announcer.onClose();
    }

    @Test
    void readsBirdsBfdStateNames()
    {
        assertThat(BfdState.ofBird("Up")).isEqualTo(BfdState.UP);
        assertThat(BfdState.ofBird("AdminDown")).isEqualTo(BfdState.ADMIN_DOWN);
        assertThat(BfdState.ofBird("Init")).isEqualTo(BfdState.INIT);
        assertThat(BfdState.ofBird("Down")).isEqualTo(BfdState.DOWN);
        assertThat(BfdState.ofBird("Sleeping")).isEqualTo(BfdState.NONE);
        assertThat(BfdState.ofCode(BfdState.UP.code()).label()).isEqualTo("up");
        assertThat(BfdState.ADMIN_DOWN.label()).isEqualTo("admin-down");
    }

    @Test
    void saysWhichPackageToInstallWhenBirdIsMissing()
    {
        assertThatThrownBy(() -> BirdSupervisor.find("bird", BirdSupervisor.BIRD_MISSING, List.of(stateDir.toString())))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("--bgp needs BIRD 2, which is not installed: install the Debian package bird2");
    }

    private List<String> labels(final int typeId)
    {
        final List<String> labels = new ArrayList<>();
        counters.forEach((counterId, type, key, label) ->
        {
            if (type == typeId)
            {
                labels.add(label);
            }
        });
        return labels;
    }

    private long counterValue(final String label)
    {
        final long[] value = {-1};
        counters.forEach((counterId, type, key, text) ->
        {
            if (text.equals(label))
            {
                value[0] = counters.getCounterValue(counterId);
            }
        });
        return value[0];
    }

    private static VipKey key(final String text)
    {
        return VipKey.parse(text);
    }
}
