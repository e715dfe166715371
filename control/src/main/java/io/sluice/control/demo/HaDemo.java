package io.sluice.control.demo;

import io.sluice.lab.Lab;
import io.sluice.lab.LabForwarder;
import io.sluice.lab.SluiceHome;
import io.sluice.lab.http.HttpBackend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code sudo ./sluice demo --ha}: two forwarders behind a router that runs BIRD (BGP with BFD,
 * ECMP over both), each a real {@code sluice forwarder --bgp} with the same VIP and reals, two
 * reals answering by DSR. Under a load of new HTTP connections and a few long-lived ones, with a
 * status line every second, it stops forwarder 2 with SIGTERM (it withdraws the VIP, drains and
 * exits: no connection fails), restarts it, kills forwarder 1 with SIGKILL (its BIRD dies with it
 * and the router drops the path when the session closes) and restarts it; then it sums up against
 * issue 20's targets. The lab's log directory holds the forwarders' state and the BGP files, so
 * closing the lab (or its shutdown hook, on Ctrl-C) removes everything.
 */
final class HaDemo
{
    /** With SLUICE_LAB_SUFFIX set, its own lab, as every lab of a checkout has. */
    static final String LAB_NAME = Lab.named("ha");
    static final String SIGTERM_LINE = "SIGTERM of fwd2:";
    static final String KILL_LINE = "kill -9 of fwd:";
    static final String LONG_LIVED_LINE = "long-lived connections:";

    private static final String VIP = Lab.DEFAULT_VIP;
    private static final int PORT = 80;
    private static final String KEY = VIP + ":" + PORT + "/tcp";
    private static final int REALS = 2;
    private static final int FORWARDERS = 2;
    /** Two threads each pausing 20 ms after a connection: about the 100 new connections a second. */
    private static final int NEW_CONNECTION_THREADS = 2;
    private static final long NEW_CONNECTION_PAUSE_MS = 20;
    private static final int LONG_LIVED = 8;
    private static final long WARM_UP_ANSWERS = 100;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONVERGENCE_TIMEOUT = Duration.ofSeconds(20);
    /** How long the load runs between events, so each shows in a few status lines. */
    private static final long STEADY_MS = 3_000;
    /** After a path left the route: connections that were on their way to it still count for its event. */
    private static final long SETTLE_MS = 2_000;
    private static final double KILL_TARGET_PERCENT = 99.9;
    private static final long KILL_CONVERGENCE_LIMIT_MS = 1_000;

    private final DemoOutput out;
    private final Lab lab;
    private final EcmpRouter router;
    private final List<LabForwarder> forwarders = new ArrayList<>();

    private HaDemo(final DemoOutput out, final Lab lab, final EcmpRouter router)
    {
        this.out = out;
        this.lab = lab;
        this.router = router;
    }

    /** @return 0 when every figure met its target, 1 when one did not. */
    static int run(final DemoOutput out) throws IOException, InterruptedException
    {
        final SluiceHome home = SluiceHome.locate();
        home.requireJar();
        out.title("sluice demo --ha: two forwarders behind a BGP router (ECMP), one stopped and one killed under load");
        try (Lab lab = Lab.upBehindRouter(LAB_NAME, REALS, List.of(VIP), FORWARDERS))
        {
            showLab(out, lab);
            out.section("Start an HTTP backend on each real (they hold VIP " + VIP +
                " on lo and answer the client directly: DSR)");
            for (final String real : lab.realHosts())
            {
                out.command(real, "HttpBackend --name " + real + " --port " + PORT);
                lab.awaitOutput(lab.spawn(real, home.javaMain(HttpBackend.class.getName(), "--name", real, "--port", "" + PORT)),
                    HttpBackend.READY, START_TIMEOUT);
            }
            // The lab removes its log directory last, after every process in it stopped: the demo's files go with it.
            final Path files = Files.createDirectories(lab.logDir().resolve("demo-ha"));
            out.section("Start BIRD on the router: a BGP session with BFD (" + EcmpRouter.BFD_INTERVAL_MS + " ms x " +
                EcmpRouter.BFD_MULTIPLIER + ") to each forwarder, equal paths merged into one ECMP route");
            final EcmpRouter router = EcmpRouter.start(lab, FORWARDERS, files);
            out.command(Lab.ROUTER, "bird -f -c " + files.resolve("router-bird.conf"));
            out.line("  the router hashes each flow on its addresses and ports (fib_multipath_hash_policy=1) over the next hops");
            return new HaDemo(out, lab, router).failOverUnderLoad(home, files);
        }
    }

    private int failOverUnderLoad(final SluiceHome home, final Path files) throws IOException, InterruptedException
    {
        out.section("Start sluice forwarder --bgp on fwd and fwd2, with the same VIP and reals in the same order " +
            "(the same Maglev table)");
        for (int k = 1; k <= FORWARDERS; k++)
        {
            final String host = Lab.forwarderHost(k);
            final Path bgpFile = EcmpRouter.writeBgpFile(lab, host, files);
            if (k == 1)
            {
                out.line("  " + bgpFile + ":");
                out.output(Files.readString(bgpFile));
            }
            final Path stateDir = files.resolve("state-" + host);
            final LabForwarder forwarder = new LabForwarder(lab, host, home, stateDir, null,
                List.of("--bgp", bgpFile.toString()));
            forwarders.add(forwarder);
            out.command(host, "sluice forwarder --iface eth0 --state-dir " + stateDir + " --bgp " + bgpFile);
            forwarder.start();
            Demo.runCli(out, forwarder.cli(), "vip", "add", KEY);
            for (int real = 1; real <= REALS; real++)
            {
                Demo.runCli(out, forwarder.cli(), "real", "add", KEY, Lab.realAddress(real));
            }
        }

        out.section("Both BGP sessions come up; each forwarder announces the VIP once it can serve it");
        msUntilNextHops(2, System.nanoTime());
        for (final LabForwarder forwarder : forwarders)
        {
            Demo.runCli(out, forwarder.cli(), "vip", "list");
        }
        out.command(Lab.ROUTER, "ip route show " + VIP);
        out.output(lab.exec(Lab.ROUTER, "ip", "-4", "route", "show", VIP).orThrow().stdout());

        out.section("Load: about " + NEW_CONNECTION_THREADS * 1_000 / NEW_CONNECTION_PAUSE_MS +
            " new HTTP connections a second, plus " + LONG_LIVED + " long-lived connections asking every " +
            FailoverLoad.LONG_LIVED_INTERVAL_MS + " ms");
        out.line("  each second: new connections so far, long-lived ones alive, the router's next hops, and each forwarder's " +
            "share of the packets");
        try (FailoverLoad load = FailoverLoad.start(lab.namespace(Lab.CLIENT), VIP, PORT, NEW_CONNECTION_THREADS, LONG_LIVED,
            NEW_CONNECTION_PAUSE_MS);
             HaStatus status = HaStatus.start(out, lab, router, VIP, load, LONG_LIVED, FORWARDERS))
        {
            load.awaitAnswered(WARM_UP_ANSWERS, CONVERGENCE_TIMEOUT);
            Lab.sleepMs(STEADY_MS);
            final FailoverLoad.Counts beforeSigterm = load.counts();
            final long sigtermWithdrawMs = sigterm(forwarders.get(1));
            final FailoverLoad.Counts sigterm = load.counts().minus(beforeSigterm);
            final long fwd2RejoinMs = restart(forwarders.get(1));

            final FailoverLoad.Counts beforeKill = load.counts();
            final long killConvergenceMs = kill(forwarders.get(0));
            final FailoverLoad.Counts kill = load.counts().minus(beforeKill);
            final long fwdRejoinMs = restart(forwarders.get(0));

            final HaSummary summary = new HaSummary(load.counts(), sigterm, kill, LONG_LIVED - load.longLivedFailures().size(),
                LONG_LIVED, load.longLivedRequests(), sigtermWithdrawMs, killConvergenceMs, fwd2RejoinMs, fwdRejoinMs);
            status.close();
            return summarize(summary, load.failures(), load.longLivedFailures());
        }
    }

    /**
     * SIGTERM, as systemd stops a service: the forwarder withdraws the VIP, forwards on a second, exits.
     *
     * @return ms until the router had one next hop.
     */
    private long sigterm(final LabForwarder forwarder) throws InterruptedException
    {
        event("stop fwd2 with SIGTERM (as systemd would): it withdraws the VIP over BGP, drains, then exits");
        final long startNs = System.nanoTime();
        final Thread stopping = Thread.ofPlatform().start(forwarder::stop);
        final long withdrawMs = msUntilNextHops(1, startNs);
        event("the router has one next hop, " + withdrawMs + " ms after the SIGTERM");
        stopping.join();
        event("fwd2 exited " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs) + " ms after the SIGTERM; it said: " +
            forwarder.output().lines().filter(line -> line.contains("withdrew")).findFirst()
                .orElse("(nothing about withdrawing)"));
        Lab.sleepMs(SETTLE_MS);
        return withdrawMs;
    }

    /**
     * SIGKILL, as a crash would: BIRD dies with it, the router drops the path when the session closes.
     *
     * @return ms until the router had one next hop.
     */
    private long kill(final LabForwarder forwarder)
    {
        event("kill fwd with SIGKILL (a crash): its BIRD dies with it (pdeathsig) and the BGP session closes");
        final long startNs = System.nanoTime();
        forwarder.kill();
        final long convergenceMs = msUntilNextHops(1, startNs);
        event("the router has one next hop, " + convergenceMs + " ms after the kill; BIRD processes left on fwd: " +
            router.birdIn(Lab.FORWARDER).size());
        Lab.sleepMs(SETTLE_MS);
        return convergenceMs;
    }

    /** Starts a stopped forwarder again (its VIP comes back from its state directory). @return ms to 2 next hops. */
    private long restart(final LabForwarder forwarder)
    {
        final String host = Lab.forwarderHost(forwarders.indexOf(forwarder) + 1);
        event("start the forwarder on " + host + " again");
        final long startNs = System.nanoTime();
        forwarder.start();
        final long rejoinMs = msUntilNextHops(2, startNs);
        event(host + " announced the VIP and the router has two next hops again, " + rejoinMs + " ms after the start " +
            "(most of it the JVM starting)");
        Lab.sleepMs(STEADY_MS);
        return rejoinMs;
    }

    private int summarize(final HaSummary summary, final Map<String, Long> failures, final List<String> longLivedFailures)
    {
        out.section("Summary");
        summary.lines(KILL_TARGET_PERCENT, KILL_CONVERGENCE_LIMIT_MS).forEach(out::line);
        failures.forEach((reason, count) -> out.line(String.format("  failed %6d  %s", count, reason)));
        longLivedFailures.forEach(failure -> out.line("  long-lived " + failure));
        final boolean passed = summary.meetsTargets(KILL_TARGET_PERCENT, KILL_CONVERGENCE_LIMIT_MS);
        out.line(passed ? "  PASS: every figure met issue 20's targets" : "  FAIL: a figure missed issue 20's targets");
        out.jsonRaw("ha", summary.toJson());
        out.json("result", passed ? "pass" : "fail");
        out.section("Clean up");
        out.line("  stopping the forwarders, BIRD and the backends, removing namespaces sluice-" + LAB_NAME + "-*");
        return passed ? 0 : 1;
    }

    private void event(final String what)
    {
        out.line("  >> " + what);
    }

    private long msUntilNextHops(final int expected, final long sinceNs)
    {
        return router.msUntilNextHops(VIP, expected, sinceNs, CONVERGENCE_TIMEOUT);
    }

    private static void showLab(final DemoOutput out, final Lab lab)
    {
        out.section("The lab: client -> router -> fwd, fwd2 -> real1, real2 (namespaces sluice-" + LAB_NAME + "-*)");
        out.line(String.format("  %-7s %-14s %s", "host", "address", "role"));
        out.line(String.format("  %-7s %-14s %s", Lab.CLIENT, lab.address(Lab.CLIENT), "sends requests to VIP " + VIP +
            " via the router"));
        out.line(String.format("  %-7s %-14s %s", Lab.ROUTER, lab.address(Lab.ROUTER),
            "BIRD: BGP + BFD, ECMP over the forwarders"));
        for (int k = 1; k <= FORWARDERS; k++)
        {
            final String host = Lab.forwarderHost(k);
            out.line(String.format("  %-7s %-14s %s", host, lab.address(host), "sluice forwarder --bgp (L4: Maglev, DSR)"));
        }
        for (final String real : lab.realHosts())
        {
            out.line(String.format("  %-7s %-14s %s", real, lab.address(real), "HTTP backend, VIP " + VIP + " on lo"));
        }
    }
}
