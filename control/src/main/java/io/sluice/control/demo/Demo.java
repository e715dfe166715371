package io.sluice.control.demo;

import io.sluice.control.lab.ExecResult;
import io.sluice.control.lab.HttpBackend;
import io.sluice.control.lab.HttpLoad;
import io.sluice.control.lab.Lab;
import io.sluice.control.lab.LabForwarder;
import io.sluice.control.lab.LinkTraffic;
import io.sluice.control.lab.LoadReport;
import io.sluice.control.lab.ReplyCapture;
import io.sluice.control.lab.SluiceHome;
import io.sluice.control.lab.SluiceRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sudo ./sluice demo}: builds a lab of network namespaces, starts three HTTP backends and
 * a forwarder, configures a VIP through the real command line (echoing each command like a
 * tutorial), sends a few hundred connections through it and shows where they went, what the
 * forwarder counted, and the evidence that replies went straight from the reals to the client.
 * Everything it made is removed when it ends, fails or is interrupted.
 */
public final class Demo
{
    static final String LAB_NAME = "demo";
    static final int REALS = 3;
    static final String VIP = Lab.DEFAULT_VIP;
    static final int PORT = 80;
    static final int REQUESTS = 300;
    static final int CONCURRENCY = 4;
    static final Path STATE_DIR = Path.of("/run/sluice-demo");

    private static final Duration BACKEND_START_TIMEOUT = Duration.ofSeconds(20);
    /** Covers one SYN retransmission (1 s): the first packets wait for the forwarder to resolve a real's MAC. */
    private static final int LOAD_TIMEOUT_MS = 3_000;
    /** When nothing gets through, say so after a few seconds rather than after every request timed out. */
    private static final int LOAD_MAX_FAILURES = 20;

    private final DemoOutput out;

    private Demo(final DemoOutput out)
    {
        this.out = out;
    }

    /**
     * Runs the demo.
     *
     * @param json print one JSON object at the end instead of the tutorial text.
     * @return 0 when traffic was balanced over every real and replies bypassed the forwarder,
     * 1 when the demo ran but something did not work, 2 when it could not run here.
     */
    public static int run(final boolean json)
    {
        final DemoOutput out = new DemoOutput(json);
        final String cannotRun = cannotRunBecause();
        if (cannotRun != null)
        {
            out.error(cannotRun);
            out.finish();
            return 2;
        }
        int exitCode;
        try
        {
            exitCode = new Demo(out).runInLab();
        }
        catch (final RuntimeException ex)
        {
            out.error("demo failed: " + ex.getMessage());
            exitCode = 1;
        }
        out.finish();
        return exitCode;
    }

    private int runInLab()
    {
        final SluiceHome home = SluiceHome.locate();
        home.requireJar();
        // A state directory left by an interrupted run would restore its old VIP into this one.
        LabForwarder.deleteTree(STATE_DIR);
        out.title("sluice demo: an L4 load balancer in network namespaces on this machine");
        try (Lab lab = Lab.up(LAB_NAME, REALS))
        {
            showLab(lab);

            out.section("Start an HTTP backend in each real");
            for (final String real : lab.realHosts())
            {
                out.command(real, "HttpBackend --name " + real + " --port " + PORT);
                final Process backend = lab.spawn(real, home.javaMain(HttpBackend.class.getName(),
                    "--name", real, "--port", Integer.toString(PORT)));
                lab.awaitOutput(backend, HttpBackend.READY, BACKEND_START_TIMEOUT);
            }

            out.section("Start the forwarder");
            final LabForwarder forwarder = new LabForwarder(lab, home, STATE_DIR);
            out.command(Lab.FORWARDER, "sluice forwarder --iface eth0 --queues " + LabForwarder.WORKERS + " --state-dir " + STATE_DIR);
            forwarder.start();
            forwarder.output().lines().filter((line) -> line.startsWith("sluice forwarder:")).findFirst()
                .ifPresent((line) -> out.line("  " + line));
            out.line("  the forwarder answers on its control file in " + STATE_DIR);

            out.section("Configure a VIP and its reals through the command line");
            final SluiceRunner cli = forwarder.cli();
            final String vip = VIP + ":" + PORT + "/tcp";
            runCli(cli, "vip", "add", vip);
            for (int k = 1; k <= REALS; k++)
            {
                runCli(cli, "real", "add", vip, Lab.realAddress(k));
            }
            runCli(cli, "vip", "list");

            out.section("Send " + REQUESTS + " HTTP requests to the VIP, one TCP connection each");
            final String url = "http://" + VIP + "/";
            out.command(Lab.CLIENT, "HttpLoad --url " + url + " --requests " + REQUESTS + " --concurrency " + CONCURRENCY);
            final LinkTraffic before = LinkTraffic.read(lab);
            final ReplyCapture capture = ReplyCapture.available() ? ReplyCapture.start(lab, VIP, PORT) : null;
            final LoadReport load = runLoad(lab, home, url);
            final Map<String, Long> replyMacs = capture == null ? Map.of() : capture.stopAndCountBySourceMac();
            final LinkTraffic traffic = LinkTraffic.read(lab).since(before);
            showLoad(lab, load);

            out.section("The forwarder's counters");
            runCli(cli, "stats");

            out.section("Replies went straight from the reals to the client (DSR)");
            final boolean bypassed = showTraffic(traffic);
            final boolean macsFromReals = showReplyMacs(lab, replyMacs, capture != null);

            final boolean balanced = load.failed() == 0 && load.requests() == REQUESTS && everyRealServed(lab, load);
            final boolean passed = balanced && bypassed && macsFromReals;
            out.section("Result");
            out.line(passed ?
                "  PASS: every real served requests, and replies bypassed the forwarder" :
                "  FAIL: " + (balanced ? "" : "not every request was balanced onto a real; ") +
                    (bypassed && macsFromReals ? "" : "replies did not bypass the forwarder"));
            out.json("result", passed ? "pass" : "fail");
            forwarder.stop();
            out.section("Clean up");
            out.line("  stopping the forwarder and backends, removing namespaces sluice-" + LAB_NAME + "-* and " + STATE_DIR);
            return passed ? 0 : 1;
        }
        finally
        {
            LabForwarder.deleteTree(STATE_DIR);
        }
    }

    private void showLab(final Lab lab)
    {
        out.section("The lab: one L2 segment (a bridge in namespace sluice-" + LAB_NAME + "-sw)");
        out.line(String.format("  %-7s %-20s %-14s %-18s %s", "host", "namespace", "address", "mac", "role"));
        showHost(lab, Lab.CLIENT, "sends requests to VIP " + VIP + " via the forwarder");
        showHost(lab, Lab.FORWARDER, "sluice forwarder on eth0 (Maglev, DSR)");
        for (final String real : lab.realHosts())
        {
            showHost(lab, real, "HTTP backend, VIP " + VIP + " on lo");
        }
        out.line("  below, [host]$ runs a command inside that host's namespace (ip netns exec " +
            lab.namespace(Lab.CLIENT).replace("-" + Lab.CLIENT, "-HOST") + " ...), $ runs it here");
    }

    private void showHost(final Lab lab, final String host, final String role)
    {
        final String mac = lab.mac(host);
        out.line(String.format("  %-7s %-20s %-14s %-18s %s", host, lab.namespace(host), lab.address(host), mac, role));
        out.jsonHost(host, lab.namespace(host), lab.address(host), mac);
    }

    private void runCli(final SluiceRunner cli, final String... args)
    {
        out.command(null, cli.display(args));
        final ExecResult result = cli.run(args);
        out.output(result.stdout());
        out.output(result.stderr());
        out.jsonCommand(cli.display(args), result);
        if (!result.ok())
        {
            throw new IllegalStateException("'" + cli.display(args) + "' exited " + result.exitCode() + ": " +
                String.join(" ", result.stderrLines()));
        }
    }

    private static LoadReport runLoad(final Lab lab, final SluiceHome home, final String url)
    {
        final ExecResult result = lab.exec(Lab.CLIENT, home.javaMain(HttpLoad.class.getName(),
            "--url", url, "--requests", Integer.toString(REQUESTS), "--concurrency", Integer.toString(CONCURRENCY),
            "--timeout-ms", Integer.toString(LOAD_TIMEOUT_MS), "--max-failures", Integer.toString(LOAD_MAX_FAILURES),
            "--json").toArray(String[]::new));
        if (result.exitCode() > 1)
        {
            result.orThrow();
        }
        return LoadReport.fromJson(result.stdout());
    }

    private void showLoad(final Lab lab, final LoadReport load)
    {
        out.line(String.format("  %-7s %-14s %8s %7s", "real", "address", "requests", "share"));
        for (int k = 1; k <= lab.realCount(); k++)
        {
            final String real = Lab.realHost(k);
            final long served = load.servedBy(real);
            out.line(String.format("  %-7s %-14s %8d %6.1f%%", real, Lab.realAddress(k), served, load.percent(served)));
        }
        out.line(String.format("  %-7s %-14s %8d", "total", "", load.ok()));
        if (load.failed() > 0)
        {
            out.line("  failed: " + load.failed() + (load.requests() < REQUESTS ?
                " (stopped after " + LOAD_MAX_FAILURES + " failures; " + (REQUESTS - load.requests()) + " requests not sent)" : ""));
            for (final Map.Entry<String, Long> failure : load.failures().entrySet())
            {
                out.line(String.format("    %6d  %s", failure.getValue(), failure.getKey()));
            }
        }
        for (final Map.Entry<String, Long> client : load.clientAddresses().entrySet())
        {
            out.line("  the backends saw the client's own address " + client.getKey() + " on " + client.getValue() +
                " requests (DSR keeps the source address)");
        }
        out.jsonRaw("load", load.toJson());
    }

    private boolean showTraffic(final LinkTraffic traffic)
    {
        out.line("  packets on each eth0 while the load ran (kernel interface counters):");
        out.line(String.format("    %-32s %8d", "client sent (requests, to the VIP)", traffic.clientTx()));
        out.line(String.format("    %-32s %8d", "forwarder received", traffic.forwarderRx()));
        out.line(String.format("    %-32s %8d", "forwarder sent on to reals", traffic.forwarderTx()));
        out.line(String.format("    %-32s %8d", "reals sent (replies)", traffic.realsTx()));
        out.line(String.format("    %-32s %8d", "client received (replies)", traffic.clientRx()));
        final boolean bypassed = traffic.repliesBypassedForwarder();
        out.line(bypassed ?
            "  the forwarder received about what the client sent, not the " + traffic.clientRx() +
                " replies as well: replies did not pass through it" :
            "  the forwarder received more than the client sent: replies may have passed through it");
        out.jsonRaw("traffic", String.format(
            "{\"clientTx\":%d,\"clientRx\":%d,\"forwarderRx\":%d,\"forwarderTx\":%d,\"realsRx\":%d,\"realsTx\":%d,\"repliesBypassedForwarder\":%b}",
            traffic.clientTx(), traffic.clientRx(), traffic.forwarderRx(), traffic.forwarderTx(),
            traffic.realsRx(), traffic.realsTx(), bypassed));
        return bypassed;
    }

    private boolean showReplyMacs(final Lab lab, final Map<String, Long> replyMacs, final boolean captured)
    {
        if (!captured)
        {
            out.line("  (install tcpdump to also see the source MACs of the replies at the client)");
            return true;
        }
        final Map<String, String> hostByMac = new LinkedHashMap<>();
        for (final String host : List.of(Lab.FORWARDER, Lab.CLIENT))
        {
            hostByMac.put(lab.mac(host), host);
        }
        for (final String real : lab.realHosts())
        {
            hostByMac.put(lab.mac(real), real);
        }
        out.line("  source MACs of packets from the VIP seen by the client (tcpdump -e on the client's eth0):");
        boolean fromRealsOnly = !replyMacs.isEmpty();
        final StringBuilder json = new StringBuilder("{");
        for (final Map.Entry<String, Long> entry : replyMacs.entrySet())
        {
            final String host = hostByMac.getOrDefault(entry.getKey(), "unknown");
            fromRealsOnly &= host.startsWith("real");
            out.line(String.format("    %-18s %-8s %8d packets", entry.getKey(), host, entry.getValue()));
            json.append(json.length() > 1 ? "," : "").append('"').append(entry.getKey()).append("\":\"").append(host).append('"');
        }
        out.line(fromRealsOnly ?
            "  every reply came from a real's MAC, none from the forwarder's (" + lab.mac(Lab.FORWARDER) + ")" :
            "  some replies did not come from a real's MAC");
        out.jsonRaw("replySourceMacs", json.append('}').toString());
        return fromRealsOnly;
    }

    private static boolean everyRealServed(final Lab lab, final LoadReport load)
    {
        for (final String real : lab.realHosts())
        {
            if (load.servedBy(real) == 0)
            {
                return false;
            }
        }
        return true;
    }

    /** @return why the demo cannot run here, or null when it can. */
    private static String cannotRunBecause()
    {
        if (!isRoot())
        {
            return "the demo makes network namespaces and needs root: run sudo ./sluice demo";
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip")) &&
            !Files.isExecutable(Path.of("/usr/bin/ip")))
        {
            return "the demo needs the ip command (Debian package iproute2)";
        }
        return null;
    }

    private static boolean isRoot()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("Uid:"))
                {
                    return "0".equals(line.split("\\s+")[1]);
                }
            }
        }
        catch (final IOException ignored)
        {
            // no /proc: not Linux, so no namespaces either
        }
        return false;
    }
}
