package io.sluice.control.lab;

import io.sluice.control.SluiceCli;
import io.sluice.control.demo.EcmpRouter;
import io.sluice.control.demo.FailoverLoad;
import io.sluice.forwarder.conductor.ConfigFileStore;
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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20's lab scenario (d), the case no shared-nothing anchor solves: the set of reals changes
 * while flows move between forwarders. Two forwarders behind the BIRD router send a GUE VIP to
 * reals running `sluice decap`; 32 long-lived connections are open when one forwarder stops, a
 * real is added to the running one's VIP and to the stopped one's configuration, and the stopped
 * one comes back: the router rehashes half the connections onto it, it has no flow entry for
 * them, and its table sends those whose row moved to the new real. Without the second chance the
 * new real resets them; with it (`vip add --mode gue --second-chance`) the new real's decap finds
 * no socket for them and sends them on to the row's previous real, which still has the
 * connection. Every long-lived connection must survive with it; both counts are logged.
 */
class SecondChanceLabIT
{
    private static final String VIP = "198.18.1.1";
    private static final int PORT = 80;
    private static final String KEY = VIP + ":" + PORT + "/tcp";
    private static final int REALS = 3;
    private static final int LONG_LIVED = 32;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONVERGENCE_TIMEOUT = Duration.ofSeconds(20);
    /** Long enough for every moved connection to send a few requests (one each 100 ms) and see its answers or its reset. */
    private static final long AFTER_REJOIN_MS = 3_000;
    /** decap's counts of packets sent on, by XDP and by the kernel. */
    private static final Pattern SENT_ON = Pattern.compile("(\\d+) sent-on(?:-by-kernel)?,");

    private static Lab lab;
    private static EcmpRouter router;
    private static SluiceHome home;
    private static Path scratch;
    private static final List<LabForwarder> FORWARDERS = new ArrayList<>();

    @BeforeAll
    static void upWithRouterTwoForwardersAndThreeReals() throws IOException
    {
        Privileges.requireRootAndIp();
        home = SluiceHome.locate();
        home.requireJar();
        scratch = Files.createTempDirectory("sluice-second-chance-labit-");
        lab = Lab.upBehindRouter(Lab.named("sc"), REALS, List.of(VIP), 2);
        for (int k = 1; k <= REALS; k++)
        {
            final String real = Lab.realHost(k);
            lab.awaitOutput(lab.spawn(real, home.javaMain(HttpBackend.class.getName(), "--name", real, "--port", "" + PORT)),
                HttpBackend.READY, START_TIMEOUT);
            // bpf_fib_lookup places a packet to send on only for an interface that forwards.
            lab.exec(real, "sysctl", "-qw", "net.ipv4.conf.eth0.forwarding=1").orThrow();
        }
        router = EcmpRouter.start(lab, 2, scratch);
        for (int k = 1; k <= 2; k++)
        {
            final String host = Lab.forwarderHost(k);
            FORWARDERS.add(new LabForwarder(lab, host, home, scratch.resolve("state-" + host), LabFixture.IO,
                List.of("--bgp", EcmpRouter.writeBgpFile(lab, host, scratch).toString())));
        }
    }

    @AfterAll
    static void down()
    {
        LabForwarder.closeAll(FORWARDERS, lab, scratch);
    }

    @Test
    void everyLongLivedConnectionSurvivesARealAddedWhileAForwarderWasDownWithTheSecondChance() throws Exception
    {
        final Outcome without = addARealWhileAForwarderIsDown(false);
        final Outcome with = addARealWhileAForwarderIsDown(true);
        System.out.printf("SecondChanceLabIT (%s): a real added while a forwarder was down, %d long-lived connections: " +
            "without the second chance %d survived (the new real sent on %d packets), with it %d survived (%d packets sent " +
            "on); broken without: %s%n", LabFixture.IO, LONG_LIVED, without.survivors(), without.sentOn(), with.survivors(),
            with.sentOn(), without.failures());

        assertThat(with.failures()).as("long-lived connections broken with the second chance").isEmpty();
        assertThat(with.survivors()).isEqualTo(LONG_LIVED);
        assertThat(without.sentOn()).as("a VIP without the second chance names no hop").isZero();
    }

    /** What one run of scenario (d) left: the long-lived connections that survived, and what the new real sent on. */
    private record Outcome(int survivors, List<String> failures, long sentOn)
    {
    }

    private static Outcome addARealWhileAForwarderIsDown(final boolean secondChance) throws Exception
    {
        final List<Process> decaps = startDecap();
        final LabForwarder running = FORWARDERS.get(0);
        final LabForwarder stopped = FORWARDERS.get(1);
        try
        {
            for (final LabForwarder forwarder : FORWARDERS)
            {
                forwarder.wipeStateDir();
                forwarder.start();
                configure(forwarder, secondChance);
            }
            awaitNextHops(2, "both forwarders announce the VIP");
            try (FailoverLoad load = FailoverLoad.start(lab.namespace(Lab.CLIENT), VIP, PORT, 0, LONG_LIVED))
            {
                awaitLongLivedRequests(load, 10L * LONG_LIVED);
                stopped.stop();
                awaitNextHops(1, "the stopped forwarder withdraws");
                Lab.sleepMs(1_000);
                assertThat(load.longLivedFailures()).as("long-lived connections once one forwarder stopped").isEmpty();

                // The running forwarder keeps its flows on their reals; the stopped one restarts with the same configuration.
                LabFixture.assertSucceeded(running.cli().run("real", "add", KEY, Lab.realAddress(3)));
                copyConfiguration(running, stopped);
                stopped.start();
                awaitNextHops(2, "the restarted forwarder rejoins");
                Lab.sleepMs(AFTER_REJOIN_MS);
                final List<String> failures = load.longLivedFailures();
                return new Outcome(LONG_LIVED - failures.size(), failures, sentOn(lab, decaps.get(REALS - 1)));
            }
        }
        finally
        {
            FORWARDERS.forEach(LabForwarder::stop);
            decaps.forEach(lab::stop);
        }
    }

    /** `sluice decap` on every real, in generic XDP: XDP_TX on a veth in native mode needs XDP or GRO on its peer. */
    private static List<Process> startDecap()
    {
        final List<Process> decaps = new ArrayList<>();
        for (int k = 1; k <= REALS; k++)
        {
            final Process decap = lab.spawn(Lab.realHost(k), home.javaMain(SluiceCli.class.getName(), "decap", "--iface", "eth0",
                "--xdp-mode", "generic"));
            decaps.add(decap);
            lab.awaitOutput(decap, "stripping IP-in-IP", START_TIMEOUT);
        }
        return decaps;
    }

    /** Stops the decap and reads how many packets it sent on from the counts it prints. */
    private static long sentOn(final Lab lab, final Process decap)
    {
        lab.stop(decap);
        final String output = lab.output(decap);
        assertThat(output).as("decap's counts").contains("sluice decap: stopping");
        final Matcher counts = SENT_ON.matcher(output);
        long sent = 0;
        while (counts.find())
        {
            sent += Long.parseLong(counts.group(1));
        }
        return sent;
    }

    private static void configure(final LabForwarder forwarder, final boolean secondChance)
    {
        final List<String> vipAdd = new ArrayList<>(List.of("vip", "add", KEY, "--mode", "gue"));
        if (secondChance)
        {
            vipAdd.add("--second-chance");
        }
        LabFixture.assertSucceeded(forwarder.cli().run(vipAdd.toArray(String[]::new)));
        for (int real = 1; real < REALS; real++)
        {
            LabFixture.assertSucceeded(forwarder.cli().run("real", "add", KEY, Lab.realAddress(real)));
        }
    }

    /** The stopped forwarder gets the running one's configuration file: the same VIP and reals in the same order. */
    private static void copyConfiguration(final LabForwarder from, final LabForwarder to) throws IOException
    {
        final String file = ConfigFileStore.DEFAULT_FILE_NAME;
        Files.createDirectories(to.stateDir());
        Files.copy(from.stateDir().resolve(file), to.stateDir().resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void awaitLongLivedRequests(final FailoverLoad load, final long requests)
    {
        final long deadlineNs = System.nanoTime() + CONVERGENCE_TIMEOUT.toNanos();
        while (load.longLivedRequests() < requests)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("the long-lived connections answered " + load.longLivedRequests() + " requests within " +
                    CONVERGENCE_TIMEOUT.toSeconds() + " s: " + load.longLivedFailures());
            }
            Lab.sleepMs(50);
        }
        assertThat(load.longLivedFailures()).as("long-lived connections before anything changed").isEmpty();
    }

    /** Waits until the router's route to the VIP has {@code expected} next hops. */
    private static void awaitNextHops(final int expected, final String why)
    {
        final long deadlineNs = System.nanoTime() + CONVERGENCE_TIMEOUT.toNanos();
        List<String> hops = router.nextHops(VIP);
        while (hops.size() != expected)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError(why + ": expected " + expected + " next hop(s) for " + VIP + " within " +
                    CONVERGENCE_TIMEOUT.toSeconds() + " s, found " + hops + "; forwarders said: " +
                    FORWARDERS.stream().map(LabForwarder::output).toList());
            }
            Lab.sleepMs(5);
            hops = router.nextHops(VIP);
        }
    }
}
