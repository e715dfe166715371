package io.sluice.control.demo;

import io.sluice.control.SluiceCli;
import io.sluice.control.json.Json;
import io.sluice.lab.ExecResult;
import io.sluice.lab.Lab;
import io.sluice.lab.LabForwarder;
import io.sluice.lab.LinkTraffic;
import io.sluice.lab.ReplyCapture;
import io.sluice.lab.SluiceHome;
import io.sluice.lab.SluiceRunner;
import io.sluice.lab.TwoTierConfig;
import io.sluice.lab.http.HttpBackend;
import io.sluice.lab.http.HttpLoad;
import io.sluice.lab.http.LoadReport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sudo ./sluice demo}: builds a lab of network namespaces, starts four HTTP backends, two
 * L7 proxies and a forwarder, configures the VIP through the real command line (echoing each
 * command like a tutorial), sends a few hundred connections through it and shows where they
 * went, what the forwarder counted, and the evidence that replies went straight from the
 * proxies to the client; then the same VIP over HTTPS ({@link HttpsVip}): either proxy
 * terminates TLS, and resumes the sessions the other issued; then a global rate limit both
 * proxies count in one redis-server ({@link SharedRateLimit}). Everything it made is removed
 * when it ends, fails or is interrupted. With {@code --ha}, {@link HaDemo} instead.
 */
public final class Demo
{
    /** With SLUICE_LAB_SUFFIX set, its own lab and state directory, as every lab of a checkout has. */
    static final String LAB_NAME = Lab.named("demo");
    /** real1 and real2 run the L7 proxies, real3 and real4 the backends. */
    static final int REALS = 4;
    static final int PROXIES = 2;
    static final int FIRST_BACKEND_PORT = 8081;
    static final String VIP = Lab.DEFAULT_VIP;
    static final int PORT = 80;
    static final int REQUESTS = 200;
    static final int CONCURRENCY = 4;
    static final Path STATE_DIR = Path.of("/run/sluice-" + LAB_NAME);

    private static final String WARM_UP_S = "2";
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
     * @param ha     run {@link HaDemo} (two forwarders behind a BGP router, a failover live) instead.
     * @return 0 when traffic was balanced over every real and replies bypassed the forwarder (with
     * {@code ha}: when the failovers met their targets), 1 when the demo ran but something did not
     * work, 2 when it could not run here.
     */
    public static int run(final boolean json, final boolean ha)
    {
        final DemoOutput out = new DemoOutput(json);
        final String cannotRun = cannotRunBecause(ha);
        if (cannotRun != null)
        {
            out.error(cannotRun);
            out.finish();
            return 2;
        }
        int exitCode;
        try
        {
            exitCode = ha ? HaDemo.run(out) : new Demo(out).runInLab();
        }
        catch (final RuntimeException | IOException ex)
        {
            out.error("demo failed: " + ex.getMessage());
            exitCode = 1;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            out.error("demo interrupted");
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
        out.title("sluice demo: the two-tier load balancer, L4 forwarder and L7 proxies, in network namespaces on this machine");
        final List<Process> started = new ArrayList<>();
        try (Lab lab = Lab.up(LAB_NAME, REALS))
        {
            showLab(lab);

            out.section("Start four HTTP backends: two for /api/ on real3, two for /static/ on real4");
            final String[] api = startBackends(lab, home, 3, TwoTierConfig.API1, TwoTierConfig.API2, started);
            final String[] statics = startBackends(lab, home, 4, TwoTierConfig.STATIC1, TwoTierConfig.STATIC2, started);

            final HttpsVip https = HttpsVip.prepare(lab, out, STATE_DIR.resolve("tls"), VIP, proxies());
            final SharedRateLimit limit = SharedRateLimit.start(lab, out, STATE_DIR.resolve("redis"), proxies(), started);

            out.section("Start an L7 proxy (sluice l7) on real1 and real2, listening on the VIP they hold on lo, " +
                "port " + PORT + " and " + HttpsVip.PORT + " (TLS)");
            final Path configs = Files.createDirectories(STATE_DIR.resolve("l7"));
            for (int k = 1; k <= PROXIES; k++)
            {
                final String proxy = Lab.realHost(k);
                final Path config = configs.resolve(proxy + ".yaml");
                Files.writeString(config, TwoTierConfig.yaml(VIP, PORT, https.listener(), limit.limit(), proxyName(k), api,
                    statics));
                // A short warm-up (the default is 8 s): the demo shows the path, not the proxy's top speed.
                out.command(proxy, "sluice l7 --config " + config + " --warm-up " + WARM_UP_S);
                final Process l7 = lab.spawn(proxy, home.javaMain(SluiceCli.class.getName(), "l7", "--config", config.toString(),
                    "--threads", "1", "--warm-up", WARM_UP_S));
                started.add(l7);
                // The engine's line follows the listening one: once it is there, the proxy serves both ports.
                lab.awaitOutput(l7, "sluice l7: TLS by", BACKEND_START_TIMEOUT);
                lab.output(l7).lines().filter((line) -> line.startsWith("sluice l7:")).forEach((line) -> out.line("  " + line));
            }
            out.line("  each sends /api/* to api1/api2 (round-robin) and /static/* to static1/static2 (sticky cookie " +
                TwoTierConfig.STICKY_COOKIE + "), over HTTP and HTTPS alike; the configuration is in " + configs);
            out.line("  and " + limit.describe());

            out.section("Start the forwarder");
            final LabForwarder forwarder = new LabForwarder(lab, home, STATE_DIR);
            out.command(Lab.FORWARDER, "sluice forwarder --iface eth0 --queues " + LabForwarder.WORKERS + " --state-dir " + STATE_DIR);
            forwarder.start();
            forwarder.output().lines().filter((line) -> line.startsWith("sluice forwarder:")).findFirst()
                .ifPresent((line) -> out.line("  " + line));
            out.line("  the forwarder answers on its control file in " + STATE_DIR);

            out.section("Configure the VIP, ports " + PORT + " and " + HttpsVip.PORT +
                ", with the two L7 proxies as its reals, through the command line");
            final SluiceRunner cli = forwarder.cli();
            for (final int port : new int[]{ PORT, HttpsVip.PORT })
            {
                final String vip = VIP + ":" + port + "/tcp";
                runCli(out, cli, "vip", "add", vip);
                for (int k = 1; k <= PROXIES; k++)
                {
                    runCli(out, cli, "real", "add", vip, Lab.realAddress(k));
                }
            }
            runCli(out, cli, "vip", "list");

            out.section("Send " + REQUESTS + " requests to http://" + VIP + "/api/ and " + REQUESTS + " to /static/, one TCP connection each");
            final LinkTraffic before = LinkTraffic.read(lab);
            final ReplyCapture capture = ReplyCapture.available() ? ReplyCapture.start(lab, VIP, PORT) : null;
            out.command(Lab.CLIENT, "HttpLoad --url http://" + VIP + "/api/items --requests " + REQUESTS + " --concurrency " + CONCURRENCY);
            final LoadReport apiLoad = runLoad(lab, home, "http://" + VIP + "/api/items");
            out.command(Lab.CLIENT, "HttpLoad --url http://" + VIP + "/static/app.js --requests " + REQUESTS + " --concurrency " + CONCURRENCY);
            final LoadReport staticLoad = runLoad(lab, home, "http://" + VIP + "/static/app.js");
            final Map<String, Long> replyMacs = capture == null ? Map.of() : capture.stopAndCountBySourceMac();
            final LinkTraffic traffic = LinkTraffic.read(lab).since(before);
            showLoad(lab, apiLoad, staticLoad);

            out.section("A client that keeps its cookie keeps its static server (curl with a cookie jar)");
            final boolean sticky = showStickiness(lab, configs.resolve("cookies"));

            final List<String> httpsFailures = new ArrayList<>();
            for (final String failure : new String[]{ https.checkRequests(), https.checkResumption() })
            {
                if (failure != null)
                {
                    httpsFailures.add(failure);
                }
            }
            out.jsonRaw("https", https.toJson());
            final String limitFailure = limit.check(VIP);
            out.jsonRaw("globalRateLimit", limit.toJson());

            out.section("The forwarder's counters");
            runCli(out, cli, "stats");

            out.section("Replies went straight from the L7 proxies to the client (DSR)");
            final boolean bypassed = showTraffic(traffic);
            final boolean macsFromReals = showReplyMacs(lab, replyMacs, capture != null);

            final boolean balanced = apiLoad.failed() == 0 && staticLoad.failed() == 0 && everyTierServed(apiLoad, staticLoad);
            final List<String> failures = new ArrayList<>();
            if (!balanced)
            {
                failures.add("not every proxy and backend served, or requests failed");
            }
            if (!sticky)
            {
                failures.add("the sticky cookie did not hold");
            }
            if (!bypassed || !macsFromReals)
            {
                failures.add("replies did not bypass the forwarder");
            }
            failures.addAll(httpsFailures);
            if (limitFailure != null)
            {
                failures.add(limitFailure);
            }
            final boolean passed = failures.isEmpty();
            out.section("Result");
            out.line(passed ?
                "  PASS: both proxies and all four backends served, the sticky cookie held, the backends saw the client, " +
                    "replies bypassed the forwarder, over HTTPS both proxies answered and one resumed the other's session, " +
                    "and both counted one global rate limit in Redis" :
                "  FAIL: " + String.join("; ", failures));
            out.json("result", passed ? "pass" : "fail");
            forwarder.stop();
            started.forEach(lab::stop);
            out.section("Clean up");
            out.line("  stopping the forwarder, proxies, backends and redis-server, removing namespaces sluice-" + LAB_NAME +
                "-* and " + STATE_DIR);
            return passed ? 0 : 1;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        finally
        {
            LabForwarder.deleteTree(STATE_DIR);
        }
    }

    /** The name proxy {@code k} gives itself in X-Served-Via. */
    private static String proxyName(final int k)
    {
        return "l7-" + Lab.realHost(k);
    }

    /** Each proxy's name to the host it runs on. */
    private static Map<String, String> proxies()
    {
        final Map<String, String> proxies = new LinkedHashMap<>();
        for (int k = 1; k <= PROXIES; k++)
        {
            proxies.put(proxyName(k), Lab.realHost(k));
        }
        return proxies;
    }

    /** Two backends on real {@code k}, on ports 8081 and 8082. @return their addresses as host:port. */
    private String[] startBackends(final Lab lab, final SluiceHome home, final int k, final String first, final String second,
        final List<Process> started)
    {
        final String host = Lab.realHost(k);
        final String[] names = { first, second };
        final String[] addresses = new String[2];
        for (int i = 0; i < 2; i++)
        {
            final int port = FIRST_BACKEND_PORT + i;
            out.command(host, "HttpBackend --name " + names[i] + " --port " + port);
            final Process backend = lab.spawn(host, home.javaMain(HttpBackend.class.getName(),
                "--name", names[i], "--port", Integer.toString(port)));
            started.add(backend);
            lab.awaitOutput(backend, HttpBackend.READY, BACKEND_START_TIMEOUT);
            addresses[i] = Lab.realAddress(k) + ":" + port;
        }
        return addresses;
    }

    private void showLab(final Lab lab)
    {
        out.section("The lab: one L2 segment (a bridge in namespace sluice-" + LAB_NAME + "-sw)");
        out.line(String.format("  %-7s %-20s %-14s %-18s %s", "host", "namespace", "address", "mac", "role"));
        showHost(lab, Lab.CLIENT, "sends requests to VIP " + VIP + " via the forwarder");
        showHost(lab, Lab.FORWARDER, "sluice forwarder on eth0 (L4: Maglev, DSR)");
        for (int k = 1; k <= PROXIES; k++)
        {
            showHost(lab, Lab.realHost(k), "sluice l7 (L7 proxy), VIP " + VIP + " on lo");
        }
        showHost(lab, Lab.realHost(3), "HTTP backends api1, api2; redis-server (the global rate limit)");
        showHost(lab, Lab.realHost(4), "HTTP backends static1, static2");
        out.line("  below, [host]$ runs a command inside that host's namespace (ip netns exec " +
            lab.namespace(Lab.CLIENT).replace("-" + Lab.CLIENT, "-HOST") + " ...), $ runs it here");
    }

    private void showHost(final Lab lab, final String host, final String role)
    {
        final String mac = lab.mac(host);
        out.line(String.format("  %-7s %-20s %-14s %-18s %s", host, lab.namespace(host), lab.address(host), mac, role));
        out.jsonHost(host, lab.namespace(host), lab.address(host), mac);
    }

    /** Runs a {@code sluice} command as the tutorial shows it: echoed, its output indented; throws when it fails. */
    static void runCli(final DemoOutput out, final SluiceRunner cli, final String... args)
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

    private void showLoad(final Lab lab, final LoadReport api, final LoadReport statics)
    {
        out.line("  by tier (the L7 proxy that passed each request on, X-Served-Via):");
        for (int k = 1; k <= PROXIES; k++)
        {
            final String proxy = proxyName(k);
            final long served = api.servedVia(proxy) + statics.servedVia(proxy);
            out.line(String.format("    %-12s %-14s %8d %6.1f%%", proxy, Lab.realAddress(k), served,
                100.0 * served / Math.max(1, api.ok() + statics.ok())));
        }
        out.line("  by backend (X-Served-By):");
        for (final LoadReport load : List.of(api, statics))
        {
            for (final Map.Entry<String, Long> entry : new java.util.TreeMap<>(load.servedBy()).entrySet())
            {
                out.line(String.format("    %-12s %8d %6.1f%%", entry.getKey(), entry.getValue(), load.percent(entry.getValue())));
            }
        }
        out.line(String.format("  answered %d of %d", api.ok() + statics.ok(), api.requests() + statics.requests()));
        for (final LoadReport load : List.of(api, statics))
        {
            for (final Map.Entry<String, Long> failure : load.failures().entrySet())
            {
                out.line(String.format("  failed %6d  %s", failure.getValue(), failure.getKey()));
            }
        }
        final java.util.Set<String> clients = new java.util.TreeSet<>(api.clientAddresses().keySet());
        clients.addAll(statics.clientAddresses().keySet());
        out.line("  the backends saw client address " + String.join(", ", clients) + " (the client is " + lab.address(Lab.CLIENT) +
            "): DSR kept it on the packets to the proxies, which passed it on in X-Forwarded-For");
        out.jsonRaw("apiLoad", api.toJson());
        out.jsonRaw("staticLoad", statics.toJson());
        clientSeen = clients.equals(java.util.Set.of(lab.address(Lab.CLIENT)));
    }

    /** Whether the backends saw the client's own address on every answered request. */
    private boolean clientSeen;

    /** Six requests with a cookie jar: the first sets the sticky cookie, the rest stay on its server. */
    private boolean showStickiness(final Lab lab, final Path jar)
    {
        final List<String> servedBy = new ArrayList<>();
        for (int i = 0; i < 6; i++)
        {
            final ExecResult result = lab.exec(Lab.CLIENT, "curl", "-s", "-o", "/dev/null", "-D", "-", "--max-time", "5",
                "-b", jar.toString(), "-c", jar.toString(), "http://" + VIP + "/static/app.js");
            servedBy.add(result.stdout().lines().filter((line) -> line.toLowerCase(java.util.Locale.ROOT).startsWith("x-served-by:"))
                .map((line) -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("(none)"));
        }
        out.command(Lab.CLIENT, "curl -b jar -c jar http://" + VIP + "/static/app.js   (6 times)");
        out.line("  served by: " + String.join(" ", servedBy));
        final boolean held = servedBy.stream().distinct().count() == 1 && servedBy.getFirst().startsWith("static");
        out.line(held ? "  the cookie kept the client on " + servedBy.getFirst() + ", whichever proxy the forwarder chose" :
            "  the cookie did not keep the client on one server");
        return held;
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
        out.jsonRaw("traffic", Json.write(json ->
        {
            json.writeStartObject();
            json.writeNumberField("clientTx", traffic.clientTx());
            json.writeNumberField("clientRx", traffic.clientRx());
            json.writeNumberField("forwarderRx", traffic.forwarderRx());
            json.writeNumberField("forwarderTx", traffic.forwarderTx());
            json.writeNumberField("realsRx", traffic.realsRx());
            json.writeNumberField("realsTx", traffic.realsTx());
            json.writeBooleanField("repliesBypassedForwarder", bypassed);
            json.writeEndObject();
        }));
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
        final Map<String, String> hostBySourceMac = new LinkedHashMap<>();
        for (final Map.Entry<String, Long> entry : replyMacs.entrySet())
        {
            final String host = hostByMac.getOrDefault(entry.getKey(), "unknown");
            fromRealsOnly &= host.startsWith("real");
            out.line(String.format("    %-18s %-8s %8d packets", entry.getKey(), host, entry.getValue()));
            hostBySourceMac.put(entry.getKey(), host);
        }
        out.line(fromRealsOnly ?
            "  every reply came from a real's MAC, none from the forwarder's (" + lab.mac(Lab.FORWARDER) + ")" :
            "  some replies did not come from a real's MAC");
        out.jsonRaw("replySourceMacs", Json.write(json ->
        {
            json.writeStartObject();
            for (final Map.Entry<String, String> source : hostBySourceMac.entrySet())
            {
                json.writeStringField(source.getKey(), source.getValue());
            }
            json.writeEndObject();
        }));
        return fromRealsOnly;
    }

    private boolean everyTierServed(final LoadReport api, final LoadReport statics)
    {
        for (int k = 1; k <= PROXIES; k++)
        {
            if (api.servedVia(proxyName(k)) + statics.servedVia(proxyName(k)) == 0)
            {
                return false;
            }
        }
        return api.servedBy(TwoTierConfig.API1) > 0 && api.servedBy(TwoTierConfig.API2) > 0 &&
            statics.servedBy(TwoTierConfig.STATIC1) > 0 && statics.servedBy(TwoTierConfig.STATIC2) > 0 && clientSeen;
    }

    /** @return why the demo cannot run here, or null when it can. */
    private static String cannotRunBecause(final boolean ha)
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
        if (ha)
        {
            return Files.isExecutable(Path.of("/usr/sbin/bird")) ? null :
                "the demo --ha needs BIRD (Debian package bird2) for its router and forwarders";
        }
        if (!Files.isExecutable(Path.of("/usr/bin/openssl")) || !Files.isExecutable(Path.of("/usr/bin/curl")))
        {
            return "the demo needs openssl and curl (Debian packages openssl, curl) for its HTTPS VIP and clients";
        }
        if (!Files.isExecutable(SharedRateLimit.REDIS_SERVER))
        {
            return "the demo needs redis-server (Debian package redis-server) for its global rate limit";
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
