package io.sluice.control.lab;

import io.sluice.lab.ExecResult;
import io.sluice.lab.Lab;
import io.sluice.lab.LinkTraffic;
import io.sluice.lab.Processes;
import io.sluice.lab.SluiceHome;
import io.sluice.lab.http.LoadReport;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The lab and its helpers on their own, without a forwarder: the ground the other lab tests stand on. */
@ExtendWith(LabExtension.class)
class HelpersLabIT
{
    /**
     * A lab of its own for the IPv6 VIP tests (one per I/O path, as the shared lab), so they can
     * reroute its client and time its silence without touching the shared lab.
     */
    private static final String VIP6_LAB = LabFixture.named("hv6" + LabFixture.IO.charAt(0));
    /** Inside {@link Lab#VIP_SUBNET6}, which the client routes as a whole. */
    private static final String VIP6 = "2001:2:0:1::5";
    /** Elsewhere in 2001:2::/48, so it needs a host route of its own; given to the script in full form. */
    private static final String VIP6_ELSEWHERE = "2001:2:0:7:0:0:0:7";
    private static final String VIP6_ELSEWHERE_SHORT = "2001:2:0:7::7";
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);
    /** Long enough for the MLD reports Linux repeats up to 1 s apart by default (the lab makes them 1 ms). */
    private static final long SILENCE_MS = 2_000;
    private static final Duration NEIGHBOUR_FAILED_TIMEOUT = Duration.ofSeconds(5);

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

    /** Each reply comes from the host that has the address: its MAC is the one the client resolved. */
    @Test
    void clientPingsTheForwarderAndEachRealByIpv6(final LabFixture fixture)
    {
        Privileges.requireRootAndIp();
        final Lab lab = fixture.lab();
        final List<String> hosts = new ArrayList<>(List.of(Lab.FORWARDER));
        hosts.addAll(lab.realHosts());
        for (final String host : hosts)
        {
            final String address = lab.address6(host);

            final ExecResult ping = lab.exec(Lab.CLIENT, "ping", "-6", "-n", "-c", "1", "-W", "2", address);

            assertThat(ping.exitCode()).as("ping -6 %s (%s): %s%s", address, host, ping.stdout(), ping.stderr()).isZero();
            assertThat(ping.stdout()).contains("from " + address + ":");
            assertThat(lab.exec(Lab.CLIENT, "ip", "-6", "neigh", "show", address, "dev", "eth0").orThrow().stdout())
                .as("the client's neighbour entry for %s", address).contains("lladdr " + lab.mac(host));
        }
    }

    @Test
    void ipv6VipIsOnEveryRealsLoopbackAndTheClientRoutesItViaTheForwarder()
    {
        Privileges.requireRootAndIp();
        try (Lab lab = upWithIpv6Vips())
        {
            for (final String real : lab.realHosts())
            {
                assertThat(lab.exec(real, "ip", "-o", "-6", "addr", "show", "dev", "lo").orThrow().stdout())
                    .as("%s's lo", real).contains(" " + VIP6 + "/128 ").contains(" " + VIP6_ELSEWHERE_SHORT + "/128 ");
            }
            for (final String vip : List.of(VIP6, VIP6_ELSEWHERE_SHORT))
            {
                assertThat(lab.exec(Lab.CLIENT, "ip", "-6", "route", "get", vip).orThrow().stdout())
                    .as("the client's route to %s", vip).contains("via " + Lab.FORWARDER_ADDRESS6 + " dev eth0");
            }
            assertThat(lab.exec(Lab.CLIENT, "ip", "-6", "route", "show", Lab.VIP_SUBNET6).orThrow().stdout())
                .contains("via " + Lab.FORWARDER_ADDRESS6);
            // The forwarder's kernel drops its copy of VIP packets rather than routing them on.
            assertThat(lab.exec(Lab.FORWARDER, "sysctl", "-n", "net.ipv6.conf.all.forwarding", "net.ipv6.conf.eth0.forwarding")
                .orThrow().stdout().split("\\s+")).containsExactly("0", "0");
        }
    }

    /**
     * A real must not claim a VIP on its lo to the segment, neither for a solicitation sent to the
     * VIP's multicast group (as a client resolving it would) nor for one sent to the real itself
     * (as a neighbour entry being confirmed is): Linux answers only for the receiving interface's
     * own addresses, IPv6's arp_ignore=1. The client is pointed at the VIP on-link to ask.
     */
    @Test
    void realsNeverAnswerNeighbourSolicitationsForAnIpv6Vip()
    {
        Privileges.requireRootAndIp();
        try (Lab lab = upWithIpv6Vips())
        {
            final String real = Lab.realHost(1);
            lab.exec(Lab.CLIENT, "sysctl", "-q", "-w", "net.ipv6.neigh.eth0.retrans_time_ms=100",
                "net.ipv6.neigh.eth0.delay_first_probe_time=0").orThrow();
            lab.exec(Lab.CLIENT, "ip", "-6", "route", "replace", VIP6 + "/128", "dev", "eth0").orThrow();

            final ExecResult multicast = lab.exec(Lab.CLIENT, "ping", "-6", "-n", "-c", "1", "-W", "2", VIP6);

            assertThat(multicast.exitCode()).as("ping to the VIP on-link: %s", multicast.stdout()).isNotZero();
            assertThat(neighbourState(lab, VIP6)).isEqualTo("FAILED");

            // The real would solicit the client's MAC to reply, and the client then confirm the real's:
            // a permanent entry keeps those solicitations out of the real's counters.
            lab.exec(real, "ip", "-6", "neigh", "replace", Lab.CLIENT_ADDRESS6, "lladdr", lab.mac(Lab.CLIENT),
                "dev", "eth0", "nud", "permanent").orThrow();
            final long solicitationsBefore = icmp6Counter(lab, real, "Icmp6InNeighborSolicits");
            final long advertisementsBefore = icmp6Counter(lab, real, "Icmp6OutNeighborAdvertisements");
            lab.exec(Lab.CLIENT, "ip", "-6", "neigh", "replace", VIP6, "lladdr", lab.mac(real), "dev", "eth0", "nud", "stale")
                .orThrow();

            // The real takes the VIP's packets (the VIP is its own) and its reply confirms nothing,
            // so the client probes the entry with unicast solicitations until it fails.
            lab.exec(Lab.CLIENT, "ping", "-6", "-n", "-c", "1", "-W", "2", VIP6).orThrow();
            awaitNeighbourFailed(lab, VIP6);

            assertThat(icmp6Counter(lab, real, "Icmp6InNeighborSolicits") - solicitationsBefore)
                .as("solicitations for the VIP that reached %s", real).isPositive();
            assertThat(icmp6Counter(lab, real, "Icmp6OutNeighborAdvertisements") - advertisementsBefore)
                .as("advertisements %s sent", real).isZero();
        }
    }

    /**
     * IPv6 says all it has to say (MLD reports; no router solicitations, no duplicate address
     * detection) while the lab comes up, so tests comparing interface counters see none of it.
     */
    @Test
    void labIsSilentOnceUp()
    {
        Privileges.requireRootAndIp();
        try (Lab lab = upWithIpv6Vips())
        {
            final LinkTraffic before = LinkTraffic.read(lab);

            Lab.sleepMs(SILENCE_MS);

            assertThat(LinkTraffic.read(lab).since(before)).isEqualTo(new LinkTraffic(0, 0, 0, 0, 0, 0));
        }
    }

    @Test
    void scriptRefusesBadIpv6VipsWithOneLineAndBuildsNothing()
    {
        Privileges.requireRootAndIp();
        final String script = SluiceHome.locate().labScript().toString();
        final String name = LabFixture.named("hv6bad" + LabFixture.IO.charAt(0));
        final Map<String, String> reasons = Map.ofEntries(
            Map.entry("2001:2::5", "inside the hosts' subnet 2001:2::/64"),
            Map.entry("2001:2:0:0:ffff::1", "inside the hosts' subnet 2001:2::/64"),
            Map.entry("2001:2:1::1", "outside the lab's 2001:2::/48"),
            Map.entry("2001:db8::1", "outside the lab's 2001:2::/48"),
            Map.entry("::", "outside the lab's 2001:2::/48"),
            Map.entry("2001:2:0:1::1/128", "not an IPv6 address"),
            Map.entry("2001:2:0:1::g", "not an IPv6 address"),
            Map.entry("2001:2:0:1::12345", "not an IPv6 address"),
            Map.entry("2001:2::1::2", "not an IPv6 address"),
            Map.entry("2001:2:0:1:::1", "not an IPv6 address"),
            Map.entry("2001:2:0:1:1:1:1:1:1", "not an IPv6 address"),
            Map.entry("2001:2:0:1:1:1:1", "not an IPv6 address"),
            Map.entry("2001:2:0:1::1:", "not an IPv6 address"),
            Map.entry(":2001:2:0:1::1", "not an IPv6 address"),
            Map.entry("fe80::1%eth0", "not an IPv6 address"),
            Map.entry("::ffff:198.18.1.1", "not an IPv6 address"));
        try
        {
            reasons.forEach((vip, reason) ->
            {
                final ExecResult result = Processes.run(List.of(script, "up", name, "--reals", "1", "--vip", vip), SCRIPT_TIMEOUT);

                assertThat(result.exitCode()).as("up --vip '%s': %s", vip, result.stdout()).isEqualTo(2);
                assertThat(result.stderrLines()).as("up --vip '%s'", vip).singleElement().asString()
                    .contains("VIP '" + vip + "' is " + reason);
            });
            assertThat(Processes.run(List.of("ip", "netns", "list"), SCRIPT_TIMEOUT).orThrow().stdout())
                .as("namespaces of lab %s", name).doesNotContain("sluice-" + name + "-");
        }
        finally
        {
            // Whatever a script that accepted one built.
            Processes.run(List.of(script, "down", name), SCRIPT_TIMEOUT);
        }
    }

    /** Two reals carrying an IPv4 VIP and two IPv6 ones, one inside the IPv6 VIP subnet and one outside it. */
    private static Lab upWithIpv6Vips()
    {
        return Lab.up(VIP6_LAB, 2, List.of(Lab.DEFAULT_VIP, VIP6, VIP6_ELSEWHERE));
    }

    /** The client's neighbour state for an address (REACHABLE, STALE, FAILED, ...), or "" when it has none. */
    private static String neighbourState(final Lab lab, final String address)
    {
        final String entry = lab.exec(Lab.CLIENT, "ip", "-6", "neigh", "show", address, "dev", "eth0").orThrow().stdout().strip();
        return entry.isEmpty() ? "" : entry.substring(entry.lastIndexOf(' ') + 1);
    }

    private static void awaitNeighbourFailed(final Lab lab, final String address)
    {
        final long deadlineNs = System.nanoTime() + NEIGHBOUR_FAILED_TIMEOUT.toNanos();
        while (!neighbourState(lab, address).equals("FAILED") && System.nanoTime() - deadlineNs < 0)
        {
            Lab.sleepMs(50);
        }
        assertThat(neighbourState(lab, address)).as("the client's neighbour entry for %s", address).isEqualTo("FAILED");
    }

    /** One counter of a host's /proc/net/snmp6 (its namespace's own). */
    private static long icmp6Counter(final Lab lab, final String host, final String name)
    {
        return lab.exec(host, "cat", "/proc/net/snmp6").orThrow().stdout().lines()
            .map(line -> line.split("\\s+"))
            .filter(fields -> fields.length == 2 && fields[0].equals(name))
            .mapToLong(fields -> Long.parseLong(fields[1]))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no " + name + " in " + host + "'s /proc/net/snmp6"));
    }

}
