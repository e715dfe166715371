package io.sluice.control.lab;

import io.sluice.control.demo.KeepAliveConnection;
import io.sluice.lab.ExecResult;
import io.sluice.lab.Lab;
import io.sluice.lab.http.HttpBackend;
import io.sluice.lab.http.HttpReply;
import io.sluice.lab.http.LoadReport;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A NAT-mode VIP end to end: the forwarder sends each connection to its real's own address and
 * another port (VIP port 9090, reals listening on 8082), the reals route their replies back
 * through the forwarder, which gives them the VIP's address and port again. Long-lived
 * connections keep working, each on its real, while other reals are added and removed; new
 * connections spread over the reals there are; the backends see the client's own address; the
 * reals' health checks pass all along.
 *
 * <p>The reals send only the replies of port 8082 to the forwarder (a policy route by source
 * port), so the DSR tests sharing the lab keep answering the client directly.
 */
@ExtendWith(LabExtension.class)
class NatLabIT
{
    private static final String VIP = LabFixture.VIPS.get(4);
    private static final int VIP_PORT = 9090;
    private static final int REAL_PORT = 8082;
    private static final String ROUTE_TABLE = "182";
    private static final int CONNECTIONS = 12;
    private static final int ROUNDS = 3;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final String LATE_ADDRESS = "198.18.0.5";
    /** The forwarder reads its addresses again every 2 s; a little more to be sure it has. */
    private static final long LOCAL_ADDRESS_REREAD_MS = 3_000;

    @Test
    void longLivedConnectionsSurviveOtherRealsComingAndGoingAndRepliesComeBackFromTheVip(final LabFixture fixture)
        throws Exception
    {
        Privileges.requireRootAndIp();
        final Lab lab = fixture.lab();
        final List<Process> backends = new ArrayList<>();
        final List<KeepAliveConnection> connections = new ArrayList<>();
        try
        {
            for (final String real : lab.realHosts())
            {
                routeRepliesThroughTheForwarder(lab, real);
                final Process backend = lab.spawn(real, fixture.home().javaMain(HttpBackend.class.getName(),
                    "--name", real, "--port", Integer.toString(REAL_PORT)));
                backends.add(backend);
                lab.awaitOutput(backend, HttpBackend.READY, START_TIMEOUT);
            }
            final String key = VIP + ":" + VIP_PORT + "/tcp";
            // Health-checked: the checks' answers come from the NAT reals' own address and port, like
            // the replies, but are the forwarder's own; they must reach its kernel, not the workers.
            LabFixture.assertSucceeded(fixture.sluice("vip", "add", key, "--mode", "nat",
                "--health", "tcp,interval=200ms,timeout=150ms,rise=1,fall=2"));
            LabFixture.assertSucceeded(fixture.sluice("real", "add", key, Lab.realAddress(1) + ":" + REAL_PORT));
            LabFixture.assertSucceeded(fixture.sluice("real", "add", key, Lab.realAddress(2) + ":" + REAL_PORT));

            connections.addAll(KeepAliveConnection.inNamespace(lab.namespace(Lab.CLIENT), () ->
            {
                final List<KeepAliveConnection> opened = new ArrayList<>();
                for (int i = 0; i < CONNECTIONS; i++)
                {
                    opened.add(KeepAliveConnection.open(VIP, VIP_PORT));
                }
                return opened;
            }));
            final List<String> servedBy = new ArrayList<>();
            for (final KeepAliveConnection connection : connections)
            {
                final HttpReply reply = connection.get();
                assertThat(reply.clientAddr()).as("the address the backend saw").isEqualTo(lab.address(Lab.CLIENT));
                servedBy.add(reply.servedBy());
            }
            assertThat(servedBy).as("the first two reals").allMatch((real) -> real.equals("real1") || real.equals("real2"));
            final String kept = servedBy.getFirst();
            final String other = kept.equals("real1") ? "real2" : "real1";

            // A real joins: established connections stay where they are.
            LabFixture.assertSucceeded(fixture.sluice("real", "add", key, Lab.realAddress(3) + ":" + REAL_PORT));
            assertStillServedBy(connections, servedBy, Set.of());
            // Another leaves: connections on the others live on, over several rounds.
            LabFixture.assertSucceeded(fixture.sluice("real", "del", key, realAddressOf(other) + ":" + REAL_PORT));
            for (int round = 0; round < ROUNDS; round++)
            {
                assertStillServedBy(connections, servedBy, Set.of(other));
            }

            final LoadReport load = fixture.load(VIP + ":" + VIP_PORT, 60);
            assertThat(load.failures()).as("failed requests").isEmpty();
            assertThat(load.servedBy().keySet()).as("new connections go to the reals there are")
                .containsExactlyInAnyOrder(kept, "real3");
            assertThat(load.clientAddresses().keySet()).containsExactly(lab.address(Lab.CLIENT));

            final String reals = fixture.sluice("real", "list", key).stdout();
            for (final String real : List.of(realAddressOf(kept), Lab.realAddress(3)))
            {
                assertThat(reals).as("real list:%n%s", reals)
                    .containsPattern(Pattern.quote(real + ":" + REAL_PORT) + "\\s+\\d+\\s+up\\s+\\S+\\s+0\\n");
            }

            // An address added to the forwarder while it runs is its own too, once seen (every 2 s): a
            // NAT real's answer to it (a ping here) reaches the forwarder's kernel, not a worker.
            lab.exec(Lab.FORWARDER, "ip", "addr", "add", LATE_ADDRESS + "/24", "dev", "eth0").orThrow();
            Thread.sleep(LOCAL_ADDRESS_REREAD_MS);
            final ExecResult ping = lab.exec(Lab.FORWARDER, "ping", "-c", "1", "-W", "2", "-I", LATE_ADDRESS, realAddressOf(kept));
            assertThat(ping.exitCode()).as("ping from an address added later:%n%s", ping.stdout()).isZero();

            final ExecResult stats = fixture.sluice("stats");
            LabFixture.assertSucceeded(stats);
            final Matcher replies = Pattern.compile("replies translated back to the VIP\\s+(\\d+)").matcher(stats.stdout());
            assertThat(replies.find()).as("stats:%n%s", stats.stdout()).isTrue();
            assertThat(Long.parseLong(replies.group(1))).as("replies the forwarder translated").isGreaterThanOrEqualTo(60L);
        }
        finally
        {
            for (final KeepAliveConnection connection : connections)
            {
                connection.close();
            }
            for (final Process backend : backends)
            {
                lab.stop(backend);
            }
            lab.exec(Lab.FORWARDER, "ip", "addr", "del", LATE_ADDRESS + "/24", "dev", "eth0");
            for (final String real : lab.realHosts())
            {
                lab.exec(real, "ip", "rule", "del", "priority", ROUTE_TABLE);
                lab.exec(real, "ip", "route", "flush", "table", ROUTE_TABLE);
            }
        }
    }

    /** Each connection not on a removed real answers again, from the real it started on. */
    private static void assertStillServedBy(
        final List<KeepAliveConnection> connections, final List<String> servedBy, final Set<String> removed) throws Exception
    {
        final Set<String> checked = new HashSet<>();
        for (int i = 0; i < connections.size(); i++)
        {
            if (!removed.contains(servedBy.get(i)))
            {
                assertThat(connections.get(i).get().servedBy()).as("connection %d", i).isEqualTo(servedBy.get(i));
                checked.add(servedBy.get(i));
            }
        }
        assertThat(checked).as("connections checked").isNotEmpty();
    }

    /** Replies from the NAT port go to the client through the forwarder; everything else as before. */
    private static void routeRepliesThroughTheForwarder(final Lab lab, final String real)
    {
        lab.exec(real, "ip", "route", "replace", lab.address(Lab.CLIENT) + "/32", "via", Lab.FORWARDER_ADDRESS,
            "dev", "eth0", "table", ROUTE_TABLE).orThrow();
        lab.exec(real, "ip", "rule", "add", "priority", ROUTE_TABLE, "ipproto", "tcp", "sport", Integer.toString(REAL_PORT),
            "lookup", ROUTE_TABLE).orThrow();
    }

    private static String realAddressOf(final String real)
    {
        return Lab.realAddress(Integer.parseInt(real.substring("real".length())));
    }
}
