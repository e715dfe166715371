package io.sluice.control.lab;

import io.sluice.lab.ExecResult;
import io.sluice.lab.Lab;
import io.sluice.lab.LabForwarder;
import io.sluice.lab.SluiceHome;
import io.sluice.lab.http.HttpBackend;
import io.sluice.lab.http.HttpLoad;
import io.sluice.lab.http.LoadReport;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An IPv6 VIP announced over BGP sessions that run over IPv6, with BFD: a router running BIRD in
 * front of two `sluice forwarder --bgp` processes whose only neighbour is the router's IPv6
 * address (their router ids stay IPv4), two reals answering by DSR. Each forwarder announces the
 * VIP's /128 once its self-test passed, the router installs it with two next hops, and the
 * client's requests to the VIP go through the router to both forwarders and reach every real. A
 * forwarder stopped with SIGTERM withdraws first: the route keeps one next hop and no request
 * fails. Its own lab and router configuration, beside {@link BgpEcmpLabIT}'s IPv4 one.
 */
class BgpIpv6LabIT
{
    private static final String VIP = "2001:2:0:1::1";
    private static final int PORT = 80;
    private static final String KEY = "[" + VIP + "]:" + PORT + "/tcp";
    private static final int REALS = 2;
    private static final int FORWARDERS = 2;
    private static final long LOCAL_AS = 65001;
    private static final long ROUTER_AS = 65000;
    private static final int REQUESTS = 200;
    private static final Duration CONVERGENCE_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern NEXT_HOP = Pattern.compile("via ([0-9a-f:]+) dev");

    private static Lab lab;
    private static SluiceHome home;
    private static Path scratch;
    private static final List<LabForwarder> RUNNING = new ArrayList<>();

    @BeforeAll
    static void upWithRouterAndTwoForwarders() throws IOException
    {
        Privileges.requireRootAndIp();
        home = SluiceHome.locate();
        home.requireJar();
        scratch = Files.createTempDirectory("sluice-bgp6-labit-");
        lab = Lab.upBehindRouter(Lab.named("bgp6"), REALS, List.of(VIP), FORWARDERS);
        for (final String real : lab.realHosts())
        {
            lab.awaitOutput(lab.spawn(real, home.javaMain(HttpBackend.class.getName(), "--name", real, "--port", "" + PORT,
                "--bind", "::")), HttpBackend.READY, START_TIMEOUT);
        }
        final Path routerConfig = Files.writeString(scratch.resolve("router-bird.conf"), routerBirdConfig());
        lab.spawn(Lab.ROUTER, "bird", "-f", "-c", routerConfig.toString(), "-s", scratch.resolve("router-bird.ctl").toString());
        for (int k = 1; k <= FORWARDERS; k++)
        {
            final String host = Lab.forwarderHost(k);
            final Path bgpFile = Files.writeString(scratch.resolve("bgp-" + host + ".yaml"),
                "local_as: " + LOCAL_AS + "\n" +
                "router_id: " + lab.address(host) + "\n" +
                "neighbors:\n" +
                "  - { address: " + lab.address6(Lab.ROUTER) + ", as: " + ROUTER_AS + " }\n" +
                "bfd: { interval: 100ms, multiplier: 3 }\n");
            final LabForwarder forwarder = new LabForwarder(lab, host, home, scratch.resolve("state-" + host),
                LabFixture.IO, List.of("--bgp", bgpFile.toString()));
            RUNNING.add(forwarder);
            forwarder.start();
            LabFixture.assertSucceeded(forwarder.cli().run("vip", "add", KEY));
            for (int real = 1; real <= REALS; real++)
            {
                LabFixture.assertSucceeded(forwarder.cli().run("real", "add", KEY, Lab.realAddress6(real)));
            }
        }
    }

    @AfterAll
    static void down()
    {
        LabForwarder.closeAll(RUNNING, lab, scratch);
    }

    @Test
    void anIpv6VipIsAnnouncedOverIpv6SessionsAndServedThroughTheRouter()
    {
        awaitNextHops(2, "both forwarders announce the IPv6 VIP once its self-test passed");
        final String neighbor = lab.address6(Lab.ROUTER);
        awaitOutput(RUNNING.getFirst(), List.of("vip", "list"), "BGP neighbor " + neighbor + ": established, BFD up");
        final String list = RUNNING.getFirst().cli().run("vip", "list").stdout();
        assertThat(list).as("vip list").contains(KEY, "announced, self-test passed");
        assertThat(RUNNING.getFirst().cli().run("stats", "--json").stdout()).as("stats --json")
            .contains("\"neighbor\":\"" + neighbor + "\",\"session\":\"established\",\"bfd\":\"up\"",
                "{\"vip\":\"" + KEY + "\",\"state\":\"passed\"}");

        final LoadReport through = load();
        assertThat(through.failures()).as("requests to the IPv6 VIP through the router").isEmpty();
        assertThat(through.servedBy().keySet()).as("every real serves").containsExactlyInAnyOrder("real1", "real2");
        assertThat(through.clientAddresses().keySet()).as("the backends see the client").containsExactly(Lab.CLIENT_ADDRESS6);

        final LabForwarder second = RUNNING.get(1);
        second.stop();
        assertThat(second.output()).contains("withdrew every VIP");
        awaitNextHops(1, "the stopped forwarder withdrew the IPv6 VIP");
        final LoadReport oneLeft = load();
        assertThat(oneLeft.failures()).as("requests with one forwarder left").isEmpty();
        System.out.printf("BgpIpv6LabIT (%s): %s announced over IPv6 to %s by two forwarders, %d of %d requests answered; " +
            "one stopped: %d of %d answered%n", LabFixture.IO, VIP, neighbor, through.ok(), REQUESTS, oneLeft.ok(), REQUESTS);
    }

    private static LoadReport load()
    {
        final ExecResult result = lab.exec(Lab.CLIENT, home.javaMain(HttpLoad.class.getName(),
            "--url", "http://[" + VIP + "]:" + PORT + "/", "--requests", Integer.toString(REQUESTS),
            "--concurrency", "4", "--timeout-ms", "2000", "--max-failures", "10", "--json").toArray(String[]::new));
        assertThat(result.exitCode()).as("HttpLoad exit code (0 all answered, 1 some failed): %s", result.stderr()).isIn(0, 1);
        return LoadReport.fromJson(result.stdout());
    }

    /** Runs a CLI command on the forwarder until its output contains {@code expected}. */
    private static void awaitOutput(final LabForwarder forwarder, final List<String> command, final String expected)
    {
        final long deadlineNs = System.nanoTime() + CONVERGENCE_TIMEOUT.toNanos();
        String output = forwarder.cli().run(command.toArray(String[]::new)).stdout();
        while (!output.contains(expected))
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("no '" + expected + "' within " + CONVERGENCE_TIMEOUT.toSeconds() + " s: " + output);
            }
            Lab.sleepMs(100);
            output = forwarder.cli().run(command.toArray(String[]::new)).stdout();
        }
    }

    /** Waits until the router's IPv6 route to the VIP has {@code expected} next hops. */
    private static void awaitNextHops(final int expected, final String why)
    {
        final long deadlineNs = System.nanoTime() + CONVERGENCE_TIMEOUT.toNanos();
        Set<String> hops = nextHops();
        while (hops.size() != expected)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError(why + ": expected " + expected + " next hop(s) for " + VIP + " at the router within " +
                    CONVERGENCE_TIMEOUT.toSeconds() + " s, found " + hops + "; forwarders said: " +
                    RUNNING.stream().map(LabForwarder::output).toList());
            }
            Lab.sleepMs(20);
            hops = nextHops();
        }
    }

    private static Set<String> nextHops()
    {
        final Matcher matcher = NEXT_HOP.matcher(lab.exec(Lab.ROUTER, "ip", "-6", "route", "show", VIP).orThrow().stdout());
        final Set<String> hops = new LinkedHashSet<>();
        while (matcher.find())
        {
            hops.add(matcher.group(1));
        }
        return hops;
    }

    /**
     * BGP over IPv6 with each forwarder (an ipv6 channel only), with BFD, the routes into the
     * kernel with equal paths merged into one ECMP route.
     */
    private static String routerBirdConfig()
    {
        final StringBuilder config = new StringBuilder()
            .append("router id ").append(lab.address(Lab.ROUTER)).append(";\n")
            .append("log stderr { info, remote, warning, error, auth, fatal, bug };\n")
            .append("protocol device { }\n")
            .append("protocol kernel { ipv6 { import none; export all; }; merge paths on; }\n")
            .append("protocol bfd { interface \"*\" { interval 100 ms; multiplier 3; }; }\n");
        for (int k = 1; k <= FORWARDERS; k++)
        {
            config.append("protocol bgp fwd").append(k).append(" {\n")
                .append("  local ").append(lab.address6(Lab.ROUTER)).append(" as ").append(ROUTER_AS).append(";\n")
                .append("  neighbor ").append(lab.address6(Lab.forwarderHost(k))).append(" as ").append(LOCAL_AS).append(";\n")
                .append("  hold time 9; connect delay time 1; connect retry time 2; error wait time 1, 2;\n")
                .append("  bfd on;\n")
                .append("  ipv6 { import all; export none; };\n}\n");
        }
        return config.toString();
    }
}
