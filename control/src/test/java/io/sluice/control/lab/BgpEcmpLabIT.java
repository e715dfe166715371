package io.sluice.control.lab;

import io.sluice.control.demo.EcmpRouter;
import io.sluice.control.demo.FailoverLoad;
import io.sluice.lab.Lab;
import io.sluice.lab.LabForwarder;
import io.sluice.lab.SluiceHome;
import io.sluice.lab.http.HttpBackend;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale-out behind ECMP (issue 20, first step): a router running BIRD in front of two real
 * `sluice forwarder --bgp` processes with the same VIP configuration, two reals answering by DSR.
 * Each forwarder announces the VIP over BGP once it can serve it, the router installs two next
 * hops, and under load of new and long-lived connections: a forwarder stopped with SIGTERM
 * withdraws first and drains (no new connection fails, no long-lived one breaks); one killed with
 * SIGKILL takes its BIRD with it and the router drops its path when the session closes (at least
 * 99.9 % of new connections succeed); BIRD killed alone is restarted and counted while the
 * forwarder keeps forwarding. The router's next hops go 2 → 1 → 2 each time. Long-lived
 * connections survive moving between forwarders, whose identical Maglev tables send their packets
 * to the same real. Every BGP session runs BFD (100 ms x 3): a forwarder frozen by an nftables
 * drop-all in its namespace, with its BGP session still open as far as the hold timer (9 s) knows,
 * is dropped by the router within a second, and rejoins once thawed. Its own lab: the shared one
 * has no router.
 */
class BgpEcmpLabIT
{
    private static final String VIP = "198.18.1.1";
    private static final int PORT = 80;
    private static final String KEY = VIP + ":" + PORT + "/tcp";
    private static final int REALS = 2;
    private static final Duration CONVERGENCE_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** {@code sluice stats}: the neighbour's row, its session established and its BFD session up. */
    private static final Pattern BFD_UP = Pattern.compile("(?m)^" + Pattern.quote(Lab.ROUTER_ADDRESS) + "\\s+established\\s+up\\s");
    private static final int NEW_CONNECTION_THREADS = 3;
    private static final int LONG_LIVED = 16;
    private static final long WARM_UP_ANSWERS = 100;
    /** The nftables table that freezes a forwarder's namespace: every packet in and out of its kernel dropped. */
    private static final String FREEZE_TABLE = "sluice_freeze";
    private static final Duration FREEZE_CONVERGENCE_LIMIT = Duration.ofSeconds(1);
    private static final Duration REJOIN_LIMIT = Duration.ofSeconds(10);

    private static Lab lab;
    private static EcmpRouter router;
    private static SluiceHome home;
    private static Path scratch;
    private static final List<LabForwarder> FORWARDERS = new ArrayList<>();

    @BeforeAll
    static void upWithRouterAndTwoForwarders() throws IOException
    {
        Privileges.requireRootAndIp();
        home = SluiceHome.locate();
        home.requireJar();
        scratch = Files.createTempDirectory("sluice-bgp-labit-");
        lab = Lab.upBehindRouter(Lab.named("bgp"), REALS, List.of(VIP), 2);
        for (final String real : lab.realHosts())
        {
            lab.awaitOutput(lab.spawn(real, home.javaMain(HttpBackend.class.getName(), "--name", real, "--port", "" + PORT)),
                HttpBackend.READY, START_TIMEOUT);
        }
        router = EcmpRouter.start(lab, 2, scratch);
        for (int k = 1; k <= 2; k++)
        {
            final String host = Lab.forwarderHost(k);
            final Path bgpFile = EcmpRouter.writeBgpFile(lab, host, scratch);
            final LabForwarder forwarder = new LabForwarder(lab, host, home, scratch.resolve("state-" + host),
                LabFixture.IO, List.of("--bgp", bgpFile.toString()));
            FORWARDERS.add(forwarder);
            forwarder.start();
            // The same VIP and reals, in the same order, on both: the same Maglev table.
            LabFixture.assertSucceeded(forwarder.cli().run("vip", "add", KEY));
            for (int real = 1; real <= REALS; real++)
            {
                LabFixture.assertSucceeded(forwarder.cli().run("real", "add", KEY, Lab.realAddress(real)));
            }
        }
    }

    @AfterAll
    static void down()
    {
        FORWARDERS.forEach(LabForwarder::close);
        if (lab != null)
        {
            lab.close();
        }
        if (scratch != null)
        {
            LabForwarder.deleteTree(scratch);
        }
    }

    @Test
    void forwardersLeaveAndRejoinTheRoutersEcmpRouteWithoutBreakingConnections() throws Exception
    {
        awaitNextHops(2, "both forwarders announce the VIP once they can serve it");
        final LabForwarder first = FORWARDERS.get(0);
        final LabForwarder second = FORWARDERS.get(1);
        assertThat(first.cli().run("vip", "list").stdout()).as("vip list shows the announcement")
            .contains("BGP", "announced", "BGP neighbor " + Lab.ROUTER_ADDRESS + ": established");

        try (FailoverLoad load = FailoverLoad.start(lab.namespace(Lab.CLIENT), VIP, PORT, NEW_CONNECTION_THREADS, LONG_LIVED))
        {
            // A busy machine (two cores for everything here) may take a while over the first requests.
            load.awaitAnswered(WARM_UP_ANSWERS, CONVERGENCE_TIMEOUT);
            final FailoverLoad.Counts beforeSigterm = load.counts();
            assertThat(beforeSigterm.failed()).as("new connections failed before any failover: %s", load.failures()).isZero();

            // (a) SIGTERM: withdraw, keep forwarding a second, exit.
            final Thread stopping = Thread.ofPlatform().start(second::stop);
            awaitNextHops(1, "the stopping forwarder withdraws before it exits");
            stopping.join();
            assertThat(second.output()).contains("withdrew every VIP");
            Lab.sleepMs(500);
            final FailoverLoad.Counts sigterm = load.counts().minus(beforeSigterm);
            assertThat(sigterm.failed()).as("new connections failed across a SIGTERM: %s", load.failures()).isZero();
            assertThat(load.longLivedFailures()).as("long-lived connections across a SIGTERM").isEmpty();

            second.start();
            awaitNextHops(2, "the restarted forwarder rejoins");
            Lab.sleepMs(1_000);
            assertThat(load.longLivedFailures()).as("long-lived connections while a forwarder rejoins").isEmpty();

            // (b) SIGKILL: BIRD dies with the forwarder, the router drops the path when the session closes.
            final FailoverLoad.Counts beforeKill = load.counts();
            first.kill();
            awaitNextHops(1, "the router drops a killed forwarder's path");
            assertThat(router.birdIn(Lab.forwarderHost(1))).as("BIRD died with its forwarder (pdeathsig)").isEmpty();
            Lab.sleepMs(1_500);
            final FailoverLoad.Counts kill = load.counts().minus(beforeKill);
            assertThat(kill.successPercent()).as("new connections across a SIGKILL (%s): %s", kill, load.failures())
                .isGreaterThanOrEqualTo(99.9);

            first.start();
            awaitNextHops(2, "the forwarder restarted after SIGKILL rejoins");

            // BIRD dying alone: the forwarder forwards on, starts it again and counts it.
            final FailoverLoad.Counts beforeBirdDies = load.counts();
            for (final String pid : router.birdIn(Lab.forwarderHost(2)))
            {
                lab.exec(Lab.forwarderHost(2), "kill", "-KILL", pid).orThrow();
            }
            awaitNextHops(1, "the router drops the path of a forwarder whose BIRD died");
            awaitNextHops(2, "the forwarder starts BIRD again");
            assertThat(second.isRunning()).isTrue();
            assertThat(second.cli().run("stats", "--json").stdout()).contains("\"bird_restarts\":1");
            final FailoverLoad.Counts birdDied = load.counts().minus(beforeBirdDies);
            assertThat(birdDied.successPercent()).as("new connections while BIRD was restarted (%s): %s", birdDied,
                load.failures()).isGreaterThanOrEqualTo(99.9);
            assertThat(load.longLivedFailures()).as("long-lived connections through every failover").isEmpty();
            assertThat(load.longLivedRequests()).isPositive();
            System.out.printf("BgpEcmpLabIT (%s): new connections answered/failed: SIGTERM %d/%d, SIGKILL %d/%d, BIRD killed " +
                "%d/%d, in all %s; %d long-lived connections answered %d requests, none failed%n", LabFixture.IO, sigterm.ok(),
                sigterm.failed(), kill.ok(), kill.failed(), birdDied.ok(), birdDied.failed(), load.counts(), LONG_LIVED,
                load.longLivedRequests());
        }
    }

    @Test
    void aFrozenForwarderIsDroppedByBfdWithinASecondAndRejoinsOnceThawed() throws Exception
    {
        awaitNextHops(2, "both forwarders announce the VIP");
        awaitBfdUp();
        assertThat(FORWARDERS.get(0).cli().run("vip", "list").stdout()).as("vip list shows the BFD session")
            .contains("BGP neighbor " + Lab.ROUTER_ADDRESS + ": established, BFD up");
        assertThat(FORWARDERS.get(0).cli().run("stats", "--json").stdout()).contains("\"session\":\"established\",\"bfd\":\"up\"");
        final String frozen = Lab.forwarderHost(2);
        try (FailoverLoad load = FailoverLoad.start(lab.namespace(Lab.CLIENT), VIP, PORT, NEW_CONNECTION_THREADS, LONG_LIVED))
        {
            load.awaitAnswered(WARM_UP_ANSWERS, CONVERGENCE_TIMEOUT);
            final FailoverLoad.Counts beforeFreeze = load.counts();
            final long frozenAtNs = System.nanoTime();
            freeze(frozen);
            final long convergedAfterMs;
            try
            {
                convergedAfterMs = msUntilNextHops(1, frozenAtNs);
                Lab.sleepMs(1_500);
            }
            finally
            {
                thaw(frozen);
            }
            final FailoverLoad.Counts freeze = load.counts().minus(beforeFreeze);
            assertThat(convergedAfterMs).as("ms from the freeze until the router had one next hop (BFD %d ms x %d)",
                EcmpRouter.BFD_INTERVAL_MS, EcmpRouter.BFD_MULTIPLIER).isLessThan(FREEZE_CONVERGENCE_LIMIT.toMillis());
            assertThat(freeze.successPercent()).as("new connections across a freeze (%s): %s", freeze, load.failures())
                .isGreaterThanOrEqualTo(99.0);

            final long thawedAtNs = System.nanoTime();
            final long rejoinedAfterMs = msUntilNextHops(2, thawedAtNs);
            assertThat(rejoinedAfterMs).as("ms from the thaw until the router had two next hops again")
                .isLessThan(REJOIN_LIMIT.toMillis());
            awaitBfdUp();
            Lab.sleepMs(1_000);
            assertThat(load.longLivedFailures()).as("long-lived connections through a freeze and a thaw").isEmpty();
            assertThat(load.longLivedRequests()).isPositive();
            System.out.printf("BgpEcmpLabIT (%s): a frozen forwarder left the router's route after %d ms (BFD %d ms x %d) and " +
                "rejoined %d ms after the thaw; new connections answered/failed across the freeze %d/%d; %d long-lived " +
                "connections answered %d requests, none failed%n", LabFixture.IO, convergedAfterMs, EcmpRouter.BFD_INTERVAL_MS,
                EcmpRouter.BFD_MULTIPLIER, rejoinedAfterMs, freeze.ok(), freeze.failed(), LONG_LIVED, load.longLivedRequests());
        }
    }

    /** Drops every packet into and out of the host's kernel (its BGP and BFD), as a frozen host or a cut link would. */
    private static void freeze(final String host)
    {
        lab.exec(host, "nft", "add table inet " + FREEZE_TABLE + "; " +
            "add chain inet " + FREEZE_TABLE + " in { type filter hook input priority -300; policy drop; }; " +
            "add chain inet " + FREEZE_TABLE + " out { type filter hook output priority -300; policy drop; }").orThrow();
    }

    private static void thaw(final String host)
    {
        lab.exec(host, "nft", "delete table inet " + FREEZE_TABLE).orThrow();
    }

    private static long msUntilNextHops(final int expected, final long sinceNs)
    {
        return router.msUntilNextHops(VIP, expected, sinceNs, CONVERGENCE_TIMEOUT);
    }

    /** Waits until both forwarders report their BFD session to the router up ({@code sluice stats}). */
    private static void awaitBfdUp()
    {
        final long deadlineNs = System.nanoTime() + CONVERGENCE_TIMEOUT.toNanos();
        for (final LabForwarder forwarder : FORWARDERS)
        {
            String stats = forwarder.cli().run("stats").stdout();
            while (!BFD_UP.matcher(stats).find())
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    throw new AssertionError("no BFD session up within " + CONVERGENCE_TIMEOUT.toSeconds() + " s: " + stats);
                }
                Lab.sleepMs(100);
                stats = forwarder.cli().run("stats").stdout();
            }
        }
    }

    /** Waits until the router's route to the VIP has {@code expected} next hops (0: no route). */
    private static void awaitNextHops(final int expected, final String why)
    {
        final long deadlineNs = System.nanoTime() + CONVERGENCE_TIMEOUT.toNanos();
        List<String> hops = router.nextHops(VIP);
        while (hops.size() != expected)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError(why + ": expected " + expected + " next hop(s) for " + VIP + " at the router within " +
                    CONVERGENCE_TIMEOUT.toSeconds() + " s, found " + hops + "; forwarders said: " +
                    FORWARDERS.stream().map(LabForwarder::output).toList());
            }
            Lab.sleepMs(5);
            hops = router.nextHops(VIP);
        }
    }
}
