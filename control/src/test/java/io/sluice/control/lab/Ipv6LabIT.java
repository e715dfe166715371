package io.sluice.control.lab;

import io.sluice.lab.ExecResult;
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
 * IPv6 VIPs end to end, one per mode, on the lab's IPv6 (client 2001:2::100, forwarder
 * 2001:2::2, reals 2001:2::11..13, VIPs in 2001:2:0:1::/64 on the reals' lo): DSR, IPv6-in-IPv6
 * tunnel to reals that strip it with {@code sluice decap}, and NAT with the reals routing their
 * replies back through the forwarder. Each answers every request from every real, the backends
 * see the client's own address, and the VIP answers ping. The forwarder finds the reals' MACs
 * by neighbour discovery.
 */
@ExtendWith(LabExtension.class)
class Ipv6LabIT
{
    private static final String DSR_VIP = LabFixture.VIPS6.get(0);
    private static final String TUNNEL_VIP = LabFixture.VIPS6.get(1);
    private static final String NAT_VIP = LabFixture.VIPS6.get(2);
    private static final int DSR_PORT = 8085;
    private static final int TUNNEL_PORT = 8086;
    private static final int NAT_VIP_PORT = 9092;
    private static final int NAT_REAL_PORT = 8087;
    private static final String ROUTE_TABLE = "188";
    private static final int REQUESTS = 60;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void directServerReturn(final LabFixture fixture) throws Exception
    {
        Privileges.requireRootAndIp();
        final Lab lab = fixture.lab();
        final List<Process> started = new ArrayList<>();
        try
        {
            startBackends(fixture, DSR_PORT, started);
            final String key = "[" + DSR_VIP + "]:" + DSR_PORT + "/tcp";
            addVip(fixture, key, "dsr", "");
            assertEveryRealAnswers(fixture, DSR_VIP, DSR_PORT);

            final ExecResult ping = lab.exec(Lab.CLIENT, "ping", "-6", "-c", "2", "-W", "2", DSR_VIP);
            assertThat(ping.exitCode()).as("ping -6 %s:%n%s", DSR_VIP, ping.stdout()).isZero();
            assertThat(ping.stdout()).as("answered from the VIP").contains("from " + DSR_VIP);
        }
        finally
        {
            started.forEach(lab::stop);
        }
    }

    @Test
    void tunnelThroughSluiceDecap(final LabFixture fixture) throws Exception
    {
        Privileges.requireRootAndIp();
        final Lab lab = fixture.lab();
        final List<Process> started = new ArrayList<>();
        try
        {
            startBackends(fixture, TUNNEL_PORT, started);
            final List<Process> decaps = new ArrayList<>();
            for (final String real : lab.realHosts())
            {
                decaps.add(TunnelLabIT.startDecap(fixture, real, started));
            }
            final String key = "[" + TUNNEL_VIP + "]:" + TUNNEL_PORT + "/tcp";
            addVip(fixture, key, "tunnel", "");
            assertEveryRealAnswers(fixture, TUNNEL_VIP, TUNNEL_PORT);

            for (int i = 0; i < decaps.size(); i++)
            {
                lab.stop(decaps.get(i));
                final Matcher counts = Pattern.compile("stopping; (\\d+) decapsulated").matcher(lab.output(decaps.get(i)));
                assertThat(counts.find()).as("decap's last line:%n%s", lab.output(decaps.get(i))).isTrue();
                assertThat(Long.parseLong(counts.group(1))).as("IPv6-in-IPv6 packets real%d stripped", i + 1).isPositive();
            }
        }
        finally
        {
            started.forEach(lab::stop);
        }
    }

    @Test
    void natWithRepliesBackThroughTheForwarder(final LabFixture fixture) throws Exception
    {
        Privileges.requireRootAndIp();
        final Lab lab = fixture.lab();
        final List<Process> started = new ArrayList<>();
        try
        {
            for (final String real : lab.realHosts())
            {
                lab.exec(real, "ip", "-6", "route", "replace", Lab.CLIENT_ADDRESS6 + "/128", "via", Lab.FORWARDER_ADDRESS6,
                    "dev", "eth0", "table", ROUTE_TABLE).orThrow();
                lab.exec(real, "ip", "-6", "rule", "add", "priority", ROUTE_TABLE, "ipproto", "tcp",
                    "sport", Integer.toString(NAT_REAL_PORT), "lookup", ROUTE_TABLE).orThrow();
            }
            startBackends(fixture, NAT_REAL_PORT, started);
            final String key = "[" + NAT_VIP + "]:" + NAT_VIP_PORT + "/tcp";
            // Health-checked: the checks' answers come from the reals' own address and port, as the
            // replies do, but go to the forwarder's own IPv6 address, so they must reach its kernel.
            addVip(fixture, key, "nat", ":" + NAT_REAL_PORT, "--health", "tcp,interval=200ms,timeout=150ms,rise=1,fall=2");
            assertEveryRealAnswers(fixture, NAT_VIP, NAT_VIP_PORT);
            final String reals = fixture.sluice("real", "list", key).stdout();
            for (int k = 1; k <= LabFixture.REALS; k++)
            {
                assertThat(reals).as("real list:%n%s", reals).containsPattern(
                    Pattern.quote("[" + Lab.realAddress6(k) + "]:" + NAT_REAL_PORT) + "\\s+\\d+\\s+up\\s+\\S+\\s+0\\n");
            }

            final ExecResult stats = fixture.sluice("stats");
            final Matcher replies = Pattern.compile("replies translated back to the VIP\\s+(\\d+)").matcher(stats.stdout());
            assertThat(replies.find()).as("stats:%n%s", stats.stdout()).isTrue();
            assertThat(Long.parseLong(replies.group(1))).as("replies translated").isGreaterThanOrEqualTo(REQUESTS);
        }
        finally
        {
            started.forEach(lab::stop);
            for (final String real : lab.realHosts())
            {
                lab.exec(real, "ip", "-6", "rule", "del", "priority", ROUTE_TABLE);
                lab.exec(real, "ip", "-6", "route", "flush", "table", ROUTE_TABLE);
            }
        }
    }

    /** An HTTP backend on every real, on every address (IPv6 included) at this port. */
    private static void startBackends(final LabFixture fixture, final int port, final List<Process> started)
    {
        for (final String real : fixture.lab().realHosts())
        {
            final Process backend = fixture.lab().spawn(real, fixture.home().javaMain(HttpBackend.class.getName(),
                "--name", real, "--port", Integer.toString(port), "--bind", "::"));
            started.add(backend);
            fixture.lab().awaitOutput(backend, HttpBackend.READY, START_TIMEOUT);
        }
    }

    /**
     * The VIP in this mode with every real at its IPv6 address ({@code portSuffix} ":PORT" for
     * NAT, else ""), with these further {@code vip add} options.
     */
    private static void addVip(final LabFixture fixture, final String key, final String mode, final String portSuffix,
        final String... options)
    {
        final List<String> command = new ArrayList<>(List.of("vip", "add", key, "--mode", mode));
        command.addAll(List.of(options));
        LabFixture.assertSucceeded(fixture.sluice(command.toArray(String[]::new)));
        for (int k = 1; k <= LabFixture.REALS; k++)
        {
            final String real = portSuffix.isEmpty() ? Lab.realAddress6(k) : "[" + Lab.realAddress6(k) + "]" + portSuffix;
            LabFixture.assertSucceeded(fixture.sluice("real", "add", key, real));
        }
    }

    private static void assertEveryRealAnswers(final LabFixture fixture, final String vip, final int port)
    {
        final LoadReport load = fixture.load("[" + vip + "]:" + port, REQUESTS);
        assertThat(load.failures()).as("failed requests").isEmpty();
        assertThat(load.ok()).isEqualTo(REQUESTS);
        assertThat(load.servedBy().keySet()).as("every real serves").containsExactlyInAnyOrder("real1", "real2", "real3");
        assertThat(load.clientAddresses().keySet()).as("the backends see the client").containsExactly(Lab.CLIENT_ADDRESS6);
    }
}
