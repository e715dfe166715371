package io.sluice.control.lab;

import io.sluice.lab.Lab;
import io.sluice.lab.LabForwarder;
import io.sluice.lab.http.HttpBackend;
import io.sluice.lab.http.LoadReport;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --egress-iface}: a forwarder with a second interface on the reals' side (here a second
 * port on the lab's switch, the reals routed by it) sends packets to reals by that interface and
 * takes NAT replies from it, while clients' packets come and go by the first. Interface counters
 * prove which way packets went. A forwarder of its own (the lab run's I/O path, its own VIP
 * address) runs in place of the lab's on AF_XDP (one XDP program per interface), beside it on
 * AF_PACKET. On AF_XDP the two interfaces' sockets share one UMEM, so frames change interface
 * without a copy.
 */
@ExtendWith(LabExtension.class)
class EgressLabIT
{
    private static final String VIP = "198.18.1.9";
    private static final String EGRESS_ADDRESS = "198.18.0.3";
    private static final String SWITCH_PORT = "fwd-eth1";
    private static final int NAT_VIP_PORT = 9091;
    private static final int NAT_REAL_PORT = 8084;
    private static final String ROUTE_TABLE = "184";
    private static final int REQUESTS = 60;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void packetsToRealsLeaveByTheEgressInterfaceAndNatRepliesComeBackByIt(final LabFixture fixture)
    {
        Privileges.requireRootAndIp();
        final Lab lab = fixture.lab();
        final List<Process> backends = new ArrayList<>();
        LabForwarder forwarder = null;
        try
        {
            if (LabFixture.IO.equals("xdp"))
            {
                fixture.forwarder().stop(); // its XDP program holds eth0; the next test that needs it starts it again
            }
            addEgressInterface(lab);
            for (final String real : lab.realHosts())
            {
                lab.exec(real, "ip", "addr", "add", VIP + "/32", "dev", "lo").orThrow();
                lab.exec(real, "ip", "route", "replace", lab.address(Lab.CLIENT) + "/32", "via", EGRESS_ADDRESS,
                    "dev", "eth0", "table", ROUTE_TABLE).orThrow();
                lab.exec(real, "ip", "rule", "add", "priority", ROUTE_TABLE, "ipproto", "tcp", "sport",
                    Integer.toString(NAT_REAL_PORT), "lookup", ROUTE_TABLE).orThrow();
                final Process backend = lab.spawn(real, fixture.home().javaMain(HttpBackend.class.getName(),
                    "--name", real, "--port", Integer.toString(NAT_REAL_PORT)));
                backends.add(backend);
                lab.awaitOutput(backend, HttpBackend.READY, START_TIMEOUT);
            }
            forwarder = new LabForwarder(lab, fixture.home(), fixture.scratchDir("egress-state"), LabFixture.IO,
                List.of("--egress-iface", "eth1"));
            forwarder.start();
            assertThat(forwarder.output()).as("the forwarder's start-up line").contains(", to reals by eth1")
                .contains(LabFixture.IO.equals("xdp") ? "one UMEM for both interfaces" : "AF_PACKET");
            final String dsr = VIP + ":" + LabFixture.PORT + "/tcp";
            final String nat = VIP + ":" + NAT_VIP_PORT + "/tcp";
            LabFixture.assertSucceeded(forwarder.cli().run("vip", "add", dsr));
            LabFixture.assertSucceeded(forwarder.cli().run("vip", "add", nat, "--mode", "nat"));
            for (int k = 1; k <= LabFixture.REALS; k++)
            {
                LabFixture.assertSucceeded(forwarder.cli().run("real", "add", dsr, Lab.realAddress(k)));
                LabFixture.assertSucceeded(forwarder.cli().run("real", "add", nat, Lab.realAddress(k) + ":" + NAT_REAL_PORT));
            }

            final long egressSentBefore = counter(lab, "eth1", "tx_packets");
            final LoadReport direct = fixture.load(VIP, REQUESTS);
            assertThat(direct.failures()).as("failed DSR requests").isEmpty();
            assertThat(direct.servedBy().keySet()).containsExactlyInAnyOrderElementsOf(lab.realHosts());
            assertThat(direct.clientAddresses().keySet()).containsExactly(lab.address(Lab.CLIENT));
            assertThat(counter(lab, "eth1", "tx_packets") - egressSentBefore).as("packets sent to reals by eth1")
                .isGreaterThanOrEqualTo(3L * REQUESTS);

            final long egressReceivedBefore = counter(lab, "eth1", "rx_packets");
            final long ingressSentBefore = counter(lab, "eth0", "tx_packets");
            final LoadReport translated = fixture.load(VIP + ":" + NAT_VIP_PORT, REQUESTS);
            assertThat(translated.failures()).as("failed NAT requests").isEmpty();
            assertThat(translated.servedBy().keySet()).containsExactlyInAnyOrderElementsOf(lab.realHosts());
            assertThat(counter(lab, "eth1", "rx_packets") - egressReceivedBefore).as("NAT replies received by eth1")
                .isGreaterThanOrEqualTo(3L * REQUESTS);
            assertThat(counter(lab, "eth0", "tx_packets") - ingressSentBefore).as("NAT replies sent to the client by eth0")
                .isGreaterThanOrEqualTo(3L * REQUESTS);
        }
        finally
        {
            if (forwarder != null)
            {
                forwarder.close();
            }
            for (final Process backend : backends)
            {
                lab.stop(backend);
            }
            for (final String real : lab.realHosts())
            {
                lab.exec(real, "ip", "addr", "del", VIP + "/32", "dev", "lo");
                lab.exec(real, "ip", "rule", "del", "priority", ROUTE_TABLE);
                lab.exec(real, "ip", "route", "flush", "table", ROUTE_TABLE);
            }
            lab.exec(Lab.SWITCH, "ip", "link", "del", SWITCH_PORT);
            lab.exec(Lab.FORWARDER, "sysctl", "-q", "-w", "net.ipv4.conf.all.arp_ignore=0");
        }
    }

    /**
     * eth1 in the forwarder's namespace, its peer a port of the lab's switch; the reals are
     * routed by it. arp_ignore keeps each interface answering ARP for its own address only, so
     * clients keep reaching the forwarder by eth0.
     */
    private static void addEgressInterface(final Lab lab)
    {
        final String queues = Integer.toString(LabForwarder.WORKERS); // a queue per worker, for AF_XDP
        lab.exec(Lab.SWITCH, "ip", "link", "add", SWITCH_PORT, "numtxqueues", queues, "numrxqueues", queues, "type", "veth",
            "peer", "name", "eth1", "netns", lab.namespace(Lab.FORWARDER), "numtxqueues", queues, "numrxqueues", queues).orThrow();
        lab.exec(Lab.SWITCH, "ip", "link", "set", SWITCH_PORT, "master", "br0", "up").orThrow();
        lab.exec(Lab.FORWARDER, "sysctl", "-q", "-w", "net.ipv4.conf.all.arp_ignore=1").orThrow();
        lab.exec(Lab.FORWARDER, "ip", "addr", "add", EGRESS_ADDRESS + "/24", "dev", "eth1").orThrow();
        lab.exec(Lab.FORWARDER, "ip", "link", "set", "eth1", "up").orThrow();
        for (int k = 1; k <= LabFixture.REALS; k++)
        {
            lab.exec(Lab.FORWARDER, "ip", "route", "add", Lab.realAddress(k) + "/32", "dev", "eth1", "src", EGRESS_ADDRESS)
                .orThrow();
        }
    }

    /** One of an interface's counters in the forwarder's namespace (sysfs statistics). */
    private static long counter(final Lab lab, final String iface, final String name)
    {
        return Long.parseLong(lab.exec(Lab.FORWARDER, "cat", "/sys/class/net/" + iface + "/statistics/" + name)
            .orThrow().stdout().strip());
    }
}
