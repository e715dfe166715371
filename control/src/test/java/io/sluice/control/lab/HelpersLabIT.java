package io.sluice.control.lab;

import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The lab and its helpers on their own, without a forwarder: the ground the other lab tests stand on. */
@ExtendWith(LabExtension.class)
class HelpersLabIT
{
    @Test
    void clientReachesEachRealDirectlyAndTheRealSeesTheClientAddress(final LabFixture fixture)
    {
        Privileges.requireRootAndIp();
        for (int k = 1; k <= LabFixture.REALS; k++)
        {
            final LoadReport report = fixture.load(Lab.realAddress(k), 20);

            assertThat(report.failures()).isEmpty();
            assertThat(report.servedBy()).isEqualTo(Map.of(Lab.realHost(k), 20L));
            assertThat(report.clientAddresses()).isEqualTo(Map.of(Lab.CLIENT_ADDRESS, 20L));
        }
    }

    @Test
    void realsCarryTheVipsOnLoopbackAndNeverAnswerArpForThem(final LabFixture fixture)
    {
        Privileges.requireRootAndIp();
        final Lab lab = fixture.lab();
        final String loopback = lab.exec(Lab.realHost(2), "ip", "-o", "-4", "addr", "show", "dev", "lo").orThrow().stdout();
        for (final String vip : LabFixture.VIPS)
        {
            assertThat(loopback).contains(" " + vip + "/32 ");
        }
        assertThat(lab.exec(Lab.realHost(2), "sysctl", "-n", "net.ipv4.conf.all.arp_ignore",
            "net.ipv4.conf.all.arp_announce", "net.ipv4.conf.all.rp_filter").orThrow().stdout().split("\\s+"))
            .containsExactly("1", "2", "0");
        assertThat(lab.exec(Lab.FORWARDER, "sysctl", "-n", "net.ipv4.ip_forward").orThrow().stdout().strip()).isEqualTo("0");
        assertThat(lab.exec(Lab.CLIENT, "ip", "route", "get", LabFixture.VIPS.getFirst()).orThrow().stdout())
            .contains("via " + Lab.FORWARDER_ADDRESS);
    }
}
