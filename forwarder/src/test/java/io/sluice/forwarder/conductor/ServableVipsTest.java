package io.sluice.forwarder.conductor;

import io.sluice.forwarder.config.Ipv4;
import io.sluice.forwarder.config.VipKey;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the conductor tells its listener it can serve (what BGP announces): a VIP with at least
 * one healthy real whose next hop is resolved, told only when that changes.
 */
class ServableVipsTest
{
    private static final String WEB = "198.18.1.1:80/tcp";
    private static final String API = "198.18.1.2:80/tcp";

    private final ConductorHarness harness = new ConductorHarness();

    @Test
    void aVipIsServableOnceARealsNextHopIsKnownAndNoLongerWhenItsLastRealGoes()
    {
        final ConductorAgent conductor = harness.newConductor(null);
        assertThat(harness.servableCalls).as("at construction, the restored (empty) configuration").containsExactly(List.of());

        harness.vipAdd(conductor, WEB);
        harness.vipAdd(conductor, API);
        harness.realAdd(conductor, WEB, "198.18.0.11", 100);
        assertThat(harness.servableCalls).as("no real with a known next hop yet: nothing new to tell").hasSize(1);

        harness.resolver.macs.put(Ipv4.parse("198.18.0.11"), 0x02_00_c6_12_00_0bL);
        harness.nanoClock.advance(ConductorAgent.MAC_REFRESH_INTERVAL_NS);
        conductor.doWork();
        assertThat(harness.servableCalls.getLast()).containsExactly(VipKey.parse(WEB));

        harness.realAdd(conductor, API, "198.18.0.11", 100);
        assertThat(harness.servableCalls.getLast()).containsExactly(VipKey.parse(WEB), VipKey.parse(API));

        final int calls = harness.servableCalls.size();
        harness.resolver.macs.put(Ipv4.parse("198.18.0.12"), 0x02_00_c6_12_00_0cL);
        harness.realAdd(conductor, WEB, "198.18.0.12", 100);
        assertThat(harness.servableCalls).as("a second real, resolved at once, changes nothing that is served").hasSize(calls);

        harness.realDel(conductor, API, "198.18.0.11");
        assertThat(harness.servableCalls.getLast()).containsExactly(VipKey.parse(WEB));
        harness.vipDel(conductor, WEB);
        assertThat(harness.servableCalls.getLast()).isEmpty();
    }

    @Test
    void aRealStillBeingResolvedHoldsItsVipBackForAFewRefreshesOnly()
    {
        final ConductorAgent conductor = harness.newConductor(null);
        harness.resolver.macs.put(Ipv4.parse("198.18.0.11"), 0x02_00_c6_12_00_0bL);
        harness.vipAdd(conductor, WEB);
        harness.realAdd(conductor, WEB, "198.18.0.11", 100);
        assertThat(harness.servableCalls.getLast()).containsExactly(VipKey.parse(WEB));

        harness.realAdd(conductor, WEB, "198.18.0.13", 100);
        assertThat(harness.servableCalls.getLast()).as("withdrawn while a share of its flows has no next hop").isEmpty();

        for (int refresh = 1; refresh < ForwardingState.MAC_PATIENCE_REFRESHES; refresh++)
        {
            harness.nanoClock.advance(ConductorAgent.MAC_REFRESH_INTERVAL_NS);
            conductor.doWork();
            assertThat(harness.servableCalls.getLast()).as("refresh %d", refresh).isEmpty();
        }
        harness.nanoClock.advance(ConductorAgent.MAC_REFRESH_INTERVAL_NS);
        conductor.doWork();
        assertThat(harness.servableCalls.getLast()).as("a real that never resolves no longer holds the VIP back")
            .containsExactly(VipKey.parse(WEB));
    }
}
