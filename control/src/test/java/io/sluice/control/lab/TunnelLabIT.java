package io.sluice.control.lab;

import io.sluice.control.SluiceCli;
import io.sluice.lab.Lab;
import io.sluice.lab.http.HttpBackend;
import io.sluice.lab.http.LoadReport;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tunnel-mode VIP end to end: the forwarder sends each request to its real inside IPv4-in-IPv4,
 * `sluice decap` on the real strips the outer header in XDP (the lab kernel has no ipip module,
 * so without it nothing would arrive), the real answers the client directly, and the backend
 * sees the client's own address. Backends of its own (port 8081) keep it apart from other tests.
 * A second test puts a real in another subnet, behind a router, as reals in another rack are.
 */
@ExtendWith(LabExtension.class)
class TunnelLabIT
{
    private static final String VIP = LabFixture.VIPS.get(2);
    private static final int PORT = 8081;
    private static final int REQUESTS = 90;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** The routed test's port, and the subnet its real lives in, reached through the switch acting as a router. */
    private static final int ROUTED_PORT = 8083;
    private static final String ROUTER = "198.18.0.254";
    private static final String ROUTED_SUBNET = "198.19.200.0/24";
    private static final String ROUTED_REAL = "198.19.200.11";
    private static final int ROUTED_REQUESTS = 30;

    @Test
    void requestsReachEveryRealThroughTheTunnelWithTheClientsAddress(final LabFixture fixture)
    {
        Privileges.requireRootAndIp();
        final Lab lab = fixture.lab();
        final List<Process> started = new ArrayList<>();
        final List<Process> decaps = new ArrayList<>();
        try
        {
            for (final String real : lab.realHosts())
            {
                decaps.add(startDecap(fixture, real, started));
                final Process backend = lab.spawn(real, fixture.home().javaMain(HttpBackend.class.getName(),
                    "--name", real, "--port", Integer.toString(PORT)));
                started.add(backend);
                lab.awaitOutput(backend, HttpBackend.READY, START_TIMEOUT);
            }
            final String key = VIP + ":" + PORT + "/tcp";
            LabFixture.assertSucceeded(fixture.sluice("vip", "add", key, "--mode", "tunnel"));
            for (int k = 1; k <= LabFixture.REALS; k++)
            {
                LabFixture.assertSucceeded(fixture.sluice("real", "add", key, Lab.realAddress(k)));
            }

            final LoadReport report = fixture.load(VIP + ":" + PORT, REQUESTS);

            assertThat(report.failures()).as("failed requests").isEmpty();
            assertThat(report.ok()).isEqualTo(REQUESTS);
            assertThat(report.servedBy().keySet()).containsExactlyInAnyOrderElementsOf(lab.realHosts());
            assertThat(report.clientAddresses().keySet()).as("the address the backends saw")
                .containsExactly(lab.address(Lab.CLIENT));

            // The requests really came through the tunnel: each real's decap stripped its share.
            long decapsulated = 0;
            for (final Process decap : decaps)
            {
                decapsulated += stopDecap(lab, decap);
            }
            assertThat(decapsulated).as("packets decapsulated on the reals").isGreaterThanOrEqualTo(3L * REQUESTS);
        }
        finally
        {
            for (final Process process : started)
            {
                lab.stop(process);
            }
        }
    }

    /**
     * The real's address is in a subnet the forwarder reaches only through a router (the lab's
     * switch namespace, made a router for the test): the tunnel's next hop is the route's
     * gateway, whose MAC the forwarder resolves, and the router forwards the encapsulated packet
     * by its outer destination. The router's forwarding counter shows the packets went that way.
     */
    @Test
    void aRealInAnotherSubnetIsReachedThroughTheRouteToIt(final LabFixture fixture)
    {
        Privileges.requireRootAndIp();
        final Lab lab = fixture.lab();
        final String real = lab.realHosts().getFirst();
        final List<Process> started = new ArrayList<>();
        try
        {
            lab.exec(Lab.SWITCH, "ip", "addr", "add", ROUTER + "/24", "dev", "br0").orThrow();
            // A router that forwards out of the port it received on would also send ICMP redirects, and
            // the forwarder's kernel would then route around it: none are sent.
            lab.exec(Lab.SWITCH, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=0",
                "net.ipv4.conf.br0.rp_filter=0", "net.ipv4.conf.all.send_redirects=0",
                "net.ipv4.conf.br0.send_redirects=0").orThrow();
            lab.exec(Lab.SWITCH, "ip", "route", "add", ROUTED_REAL + "/32", "via", Lab.realAddress(1)).orThrow();
            lab.exec(real, "ip", "addr", "add", ROUTED_REAL + "/32", "dev", "lo").orThrow();
            lab.exec(Lab.FORWARDER, "ip", "route", "add", ROUTED_SUBNET, "via", ROUTER, "dev", "eth0").orThrow();
            lab.exec(Lab.FORWARDER, "ping", "-c", "1", "-W", "2", ROUTER).orThrow(); // the router's MAC in the neighbour table

            final Process decap = startDecap(fixture, real, started);
            final Process backend = lab.spawn(real, fixture.home().javaMain(HttpBackend.class.getName(),
                "--name", real, "--port", Integer.toString(ROUTED_PORT)));
            started.add(backend);
            lab.awaitOutput(backend, HttpBackend.READY, START_TIMEOUT);
            final String key = VIP + ":" + ROUTED_PORT + "/tcp";
            LabFixture.assertSucceeded(fixture.sluice("vip", "add", key, "--mode", "tunnel"));
            LabFixture.assertSucceeded(fixture.sluice("real", "add", key, ROUTED_REAL));
            final long forwardedBefore = forwardedBy(lab);

            final LoadReport report = fixture.load(VIP + ":" + ROUTED_PORT, ROUTED_REQUESTS);

            assertThat(report.failures()).as("failed requests").isEmpty();
            assertThat(report.servedBy()).containsOnlyKeys(real);
            assertThat(report.clientAddresses().keySet()).containsExactly(lab.address(Lab.CLIENT));
            assertThat(forwardedBy(lab) - forwardedBefore).as("packets the router forwarded")
                .isGreaterThanOrEqualTo(3L * ROUTED_REQUESTS);
            assertThat(stopDecap(lab, decap)).isGreaterThanOrEqualTo(3L * ROUTED_REQUESTS);
        }
        finally
        {
            for (final Process process : started)
            {
                lab.stop(process);
            }
            lab.exec(Lab.FORWARDER, "ip", "route", "del", ROUTED_SUBNET);
            lab.exec(real, "ip", "addr", "del", ROUTED_REAL + "/32", "dev", "lo");
            lab.exec(Lab.SWITCH, "ip", "route", "del", ROUTED_REAL + "/32");
            lab.exec(Lab.SWITCH, "sysctl", "-q", "-w", "net.ipv4.ip_forward=0");
            lab.exec(Lab.SWITCH, "ip", "addr", "del", ROUTER + "/24", "dev", "br0");
        }
    }

    /** Starts `sluice decap --iface eth0` on a real, waits until it strips, and adds it to {@code started}. */
    static Process startDecap(final LabFixture fixture, final String real, final List<Process> started)
    {
        final Process decap = fixture.lab().spawn(real,
            fixture.home().javaMain(SluiceCli.class.getName(), "decap", "--iface", "eth0"));
        started.add(decap);
        fixture.lab().awaitOutput(decap, "stripping IP-in-IP", START_TIMEOUT);
        return decap;
    }

    /** Stops a decap. @return how many packets it says it decapsulated. */
    private static long stopDecap(final Lab lab, final Process decap)
    {
        lab.stop(decap);
        final Matcher counts = Pattern.compile("stopping; (\\d+) decapsulated").matcher(lab.output(decap));
        assertThat(counts.find()).as("decap's last line:%n%s", lab.output(decap)).isTrue();
        return Long.parseLong(counts.group(1));
    }

    /** The router's count of forwarded IPv4 datagrams (Ip: ForwDatagrams in /proc/net/snmp). */
    private static long forwardedBy(final Lab lab)
    {
        final List<String> lines = lab.exec(Lab.SWITCH, "cat", "/proc/net/snmp").orThrow().stdout().lines()
            .filter((line) -> line.startsWith("Ip:")).toList();
        final List<String> names = List.of(lines.get(0).split("\\s+"));
        final String[] values = lines.get(1).split("\\s+");
        return Long.parseLong(values[names.indexOf("ForwDatagrams")]);
    }
}
