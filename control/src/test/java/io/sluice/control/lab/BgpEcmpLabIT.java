package io.sluice.control.lab;

import io.sluice.control.demo.EcmpRouter;
import io.sluice.control.demo.FailoverLoad;
import io.sluice.lab.ExecResult;
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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale-out behind ECMP (issue 20): a router running BIRD in front of two real `sluice forwarder
 * --bgp` processes with the same VIP configuration, two reals answering by DSR, BFD (100 ms x 3)
 * on every session. Each forwarder announces the VIP once it can serve it and the router installs
 * two next hops. Under the load (100 new HTTP connections a second, open loop, each with a
 * 1 s timeout, plus 32 long-lived connections asking every 100 ms), one forwarder leaves at t =
 * 10 s and is brought back at t = 15 s, in three ways: (a) SIGTERM, which withdraws first and
 * drains (100 % of new connections succeed); (b) SIGKILL, which takes its BIRD with it so the
 * router drops its path when the session closes (at least 99.9 %, converged within 1 s); (c) an
 * nftables drop-all in its namespace, a frozen host, caught by BFD (at least 99 %, within 1 s).
 * In all three every long-lived connection survives, since identical Maglev tables send its
 * packets to the same real through either forwarder, and the forwarder rejoins within 10 s. Each
 * scenario prints its figures. The full 30 s profile runs on AF_XDP; AF_PACKET runs a 12 s one
 * (event at 4 s, back at 6 s) to keep the suite's time. BIRD killed alone is restarted and counted
 * while the forwarder keeps forwarding; a {@code bgp:} section applied to a running forwarder
 * reconfigures BIRD without restarting the sessions it did not change. Its own lab: the shared one
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
    /** {@code sluice stats}: how many times the session to the router came up. */
    private static final Pattern TIMES_UP = Pattern.compile("(?m)^" + Pattern.quote(Lab.ROUTER_ADDRESS) +
        "\\s+established\\s+\\S+\\s+(\\d+)\\s*$");
    /** The load. */
    private static final int NEW_PER_SECOND = 100;
    private static final int NEW_TIMEOUT_MS = 1_000;
    private static final int LONG_LIVED = 32;
    /** Answers a closed-loop load gets before the first scenario, so no forwarder meets the measured load cold. */
    private static final long WARM_UP_ANSWERS = 300;
    private static final Profile PROFILE = LabFixture.IO.equals("xdp") ? new Profile(30, 10, 15) : new Profile(12, 4, 6);
    /** The nftables table that freezes a forwarder's namespace: every packet in and out of its kernel dropped. */
    private static final String FREEZE_TABLE = "sluice_freeze";
    private static final long CONVERGENCE_LIMIT_MS = 1_000;
    private static final long REJOIN_LIMIT_MS = 10_000;
    /** A neighbour that never answers, added and removed by a bgp: section. */
    private static final String SILENT_NEIGHBOR = "198.18.0.250";

    private static Lab lab;
    private static EcmpRouter router;
    private static SluiceHome home;
    private static Path scratch;
    private static final List<LabForwarder> FORWARDERS = new ArrayList<>();

    /** Seconds from the load's start: how long it sends new connections, when a forwarder leaves and when it comes back. */
    private record Profile(int durationS, int eventAtS, int backAtS)
    {
    }

    /** What one scenario measured. */
    private record Outcome(String name, FailoverLoad.Counts counts, long convergenceMs, long rejoinMs, int survivors,
        long longLivedRequests, Map<String, Long> failures, List<String> longLivedFailures)
    {
        String line()
        {
            return String.format(Locale.ROOT, "BgpEcmpLabIT (%s, %d s, event at %d s): %s: %.2f %% of %d new connections " +
                    "answered, converged in %d ms, rejoined in %d ms, %d/%d long-lived connections survived (%d requests)%s",
                LabFixture.IO, PROFILE.durationS(), PROFILE.eventAtS(), name, counts.successPercent(),
                counts.ok() + counts.failed(), convergenceMs, rejoinMs, survivors, LONG_LIVED, longLivedRequests,
                failures.isEmpty() ? "" : "; failures " + failures);
        }
    }

    @BeforeAll
    static void upWithRouterAndTwoForwarders() throws IOException, InterruptedException
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
        awaitNextHops(2, "both forwarders announce the VIP once they can serve it");
        try (FailoverLoad warmUp = FailoverLoad.start(lab.namespace(Lab.CLIENT), VIP, PORT, 3, 1))
        {
            warmUp.awaitAnswered(WARM_UP_ANSWERS, CONVERGENCE_TIMEOUT);
        }
    }

    @AfterAll
    static void down()
    {
        LabForwarder.closeAll(FORWARDERS, lab, scratch);
    }

    @Test
    void aSigtermedForwarderWithdrawsFirstAndNoConnectionFails() throws Exception
    {
        awaitNextHops(2, "both forwarders announce the VIP once they can serve it");
        final LabForwarder second = FORWARDERS.get(1);
        assertThat(second.cli().run("vip", "list").stdout()).as("vip list shows the announcement")
            .contains("BGP", "announced", "BGP neighbor " + Lab.ROUTER_ADDRESS + ": established");
        final Thread[] stopping = new Thread[1];
        final Outcome sigterm = underLoad("(a) SIGTERM", () -> stopping[0] = Thread.ofPlatform().start(second::stop), () ->
        {
            stopping[0].join();
            assertThat(second.output()).contains("withdrew every VIP");
            second.start();
        });
        assertThat(sigterm.counts().failed()).as(sigterm.line() + bgpLines()).isZero();
        assertSurvivedAndRejoined(sigterm);
    }

    @Test
    void aKilledForwardersPathIsDroppedWithinASecond() throws Exception
    {
        awaitNextHops(2, "both forwarders announce the VIP");
        final LabForwarder first = FORWARDERS.get(0);
        final Outcome kill = underLoad("(b) SIGKILL", () ->
        {
            first.kill();
            assertThat(router.birdIn(Lab.forwarderHost(1))).as("BIRD died with its forwarder (pdeathsig)").isEmpty();
        }, first::start);
        assertThat(kill.counts().successPercent()).as(kill.line() + bgpLines()).isGreaterThanOrEqualTo(99.9);
        assertThat(kill.convergenceMs()).as(kill.line()).isLessThan(CONVERGENCE_LIMIT_MS);
        assertSurvivedAndRejoined(kill);
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
        final Outcome freeze;
        try
        {
            freeze = underLoad("(c) frozen", () -> freeze(frozen), () -> thaw(frozen));
        }
        finally
        {
            // Whatever failed: never leave the namespace frozen for the next test.
            lab.exec(frozen, "nft", "delete table inet " + FREEZE_TABLE);
        }
        assertThat(freeze.counts().successPercent()).as(freeze.line() + bgpLines()).isGreaterThanOrEqualTo(99.0);
        assertThat(freeze.convergenceMs()).as("%s (BFD %d ms x %d)", freeze.line(), EcmpRouter.BFD_INTERVAL_MS,
            EcmpRouter.BFD_MULTIPLIER).isLessThan(CONVERGENCE_LIMIT_MS);
        assertSurvivedAndRejoined(freeze);
        awaitBfdUp();
    }

    @Test
    void birdKilledAloneIsStartedAgainWhileTheForwarderForwards() throws Exception
    {
        awaitNextHops(2, "both forwarders announce the VIP");
        final LabForwarder second = FORWARDERS.get(1);
        final String before = second.cli().run("stats", "--json").stdout();
        final Matcher restarts = Pattern.compile("\"bird_restarts\":(\\d+)").matcher(before);
        assertThat(restarts.find()).as(before).isTrue();
        final long restartsBefore = Long.parseLong(restarts.group(1));
        final Outcome birdDied = underLoad("BIRD killed", () ->
        {
            for (final String pid : router.birdIn(Lab.forwarderHost(2)))
            {
                lab.exec(Lab.forwarderHost(2), "kill", "-KILL", pid).orThrow();
            }
        }, null);
        assertThat(second.isRunning()).isTrue();
        assertThat(second.cli().run("stats", "--json").stdout()).contains("\"bird_restarts\":" + (restartsBefore + 1));
        assertThat(birdDied.counts().successPercent()).as(birdDied.line() + bgpLines()).isGreaterThanOrEqualTo(99.9);
        assertThat(birdDied.survivors()).as(birdDied.line() + ": " + birdDied.longLivedFailures()).isEqualTo(LONG_LIVED);
    }

    @Test
    void aBgpSectionAppliedToARunningForwarderReconfiguresBirdWithoutRestartingUnchangedSessions() throws Exception
    {
        awaitNextHops(2, "both forwarders announce the VIP");
        final LabForwarder first = FORWARDERS.get(0);
        final String exported = first.cli().run("export").stdout();
        assertThat(exported).contains("bgp:\n", "  local_as: " + EcmpRouter.LOCAL_AS + "\n",
            "    - { address: " + Lab.ROUTER_ADDRESS + ", as: " + EcmpRouter.ROUTER_AS + " }\n");
        final long timesUp = timesUp(first);
        final String neighborLine = "    - { address: " + Lab.ROUTER_ADDRESS + ", as: " + EcmpRouter.ROUTER_AS + " }\n";
        final Path more = Files.writeString(scratch.resolve("more-neighbors.yaml"), exported.replace(neighborLine,
            neighborLine + "    - { address: " + SILENT_NEIGHBOR + ", as: " + EcmpRouter.ROUTER_AS + " }\n"));

        final ExecResult apply = first.cli().run("apply", more.toString());
        assertThat(apply.exitCode()).as(apply.stderr()).isZero();
        assertThat(apply.stdout()).contains("+ bgp neighbor " + SILENT_NEIGHBOR + " as " + EcmpRouter.ROUTER_AS,
            "BGP settings applied");
        Lab.sleepMs(2_000);
        assertThat(router.nextHops(VIP)).as("the route never lost the reconfigured forwarder").hasSize(2);
        assertThat(timesUp(first)).as("the session to the router was not restarted").isEqualTo(timesUp);
        assertThat(first.cli().run("vip", "list").stdout()).contains("BGP neighbor " + SILENT_NEIGHBOR + ": ");
        assertThat(first.cli().run("export").stdout()).contains(SILENT_NEIGHBOR);

        final Path bad = Files.writeString(scratch.resolve("bad-bgp.yaml"), exported.replace("  local_as: " + EcmpRouter.LOCAL_AS,
            "  local_as: 0"));
        final ExecResult refused = first.cli().run("apply", bad.toString());
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderrLines()).singleElement().asString()
            .endsWith("bgp: local_as: '0' is not an AS number (1-4294967295)");

        final ExecResult back = first.cli().run("apply", Files.writeString(scratch.resolve("back.yaml"), exported).toString());
        assertThat(back.stdout()).contains("- bgp neighbor " + SILENT_NEIGHBOR);
        Lab.sleepMs(1_000);
        assertThat(first.cli().run("export").stdout()).isEqualTo(exported);
        assertThat(timesUp(first)).as("the session to the router was not restarted").isEqualTo(timesUp);
        assertThat(router.nextHops(VIP)).hasSize(2);
    }

    /** Something the test does to a forwarder. */
    private interface Step
    {
        void run() throws Exception;
    }

    /**
     * Runs the profile's load; at its event time does {@code leave}, measures until the router has
     * one next hop, at its back time does {@code comeBack} and measures until it has two again (with
     * no {@code comeBack}, a forwarder that comes back by itself: from the event on), then waits for
     * the last new connection.
     */
    private static Outcome underLoad(final String name, final Step leave, final Step comeBack) throws Exception
    {
        try (FailoverLoad load = FailoverLoad.openLoop(lab.namespace(Lab.CLIENT), VIP, PORT, NEW_PER_SECOND,
            Duration.ofSeconds(PROFILE.durationS()), NEW_TIMEOUT_MS, LONG_LIVED))
        {
            final long startNs = System.nanoTime();
            sleepUntil(startNs, PROFILE.eventAtS());
            final long leftAtNs = System.nanoTime();
            leave.run();
            final long convergenceMs = msUntilNextHops(1, leftAtNs);
            final long rejoinMs;
            if (comeBack == null)
            {
                rejoinMs = msUntilNextHops(2, leftAtNs);
            }
            else
            {
                sleepUntil(startNs, PROFILE.backAtS());
                final long backAtNs = System.nanoTime();
                comeBack.run();
                rejoinMs = msUntilNextHops(2, backAtNs);
            }
            load.awaitNewConnectionsDone(Duration.ofSeconds(PROFILE.durationS()).plus(CONVERGENCE_TIMEOUT));
            final List<String> longLivedFailures = load.longLivedFailures();
            final Outcome outcome = new Outcome(name, load.counts(), convergenceMs, rejoinMs,
                LONG_LIVED - longLivedFailures.size(), load.longLivedRequests(), load.failures(), longLivedFailures);
            System.out.println(outcome.line());
            return outcome;
        }
    }

    private static void assertSurvivedAndRejoined(final Outcome outcome)
    {
        assertThat(outcome.survivors()).as(outcome.line() + ": " + outcome.longLivedFailures()).isEqualTo(LONG_LIVED);
        assertThat(outcome.longLivedRequests()).isPositive();
        assertThat(outcome.rejoinMs()).as(outcome.line()).isLessThan(REJOIN_LIMIT_MS);
    }

    private static void sleepUntil(final long startNs, final int seconds)
    {
        final long leftMs = TimeUnit.NANOSECONDS.toMillis(startNs + TimeUnit.SECONDS.toNanos(seconds) - System.nanoTime());
        if (leftMs > 0)
        {
            Lab.sleepMs(leftMs);
        }
    }

    /** What both forwarders said about BGP (sessions lost, BIRD restarted): why a path left when it should not have. */
    private static String bgpLines()
    {
        final StringBuilder lines = new StringBuilder();
        for (final LabForwarder forwarder : FORWARDERS)
        {
            forwarder.output().lines().filter((line) -> line.contains("BGP")).forEach((line) -> lines.append("\n  ").append(line));
        }
        return lines.toString();
    }

    /** How many times the forwarder's session to the router came up ({@code sluice stats}). */
    private static long timesUp(final LabForwarder forwarder)
    {
        final String stats = forwarder.cli().run("stats").stdout();
        final Matcher matcher = TIMES_UP.matcher(stats);
        assertThat(matcher.find()).as(stats).isTrue();
        return Long.parseLong(matcher.group(1));
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
