package io.sluice.control.lab;

import io.sluice.control.SluiceCli;
import io.sluice.lab.ExecResult;
import io.sluice.lab.Lab;
import io.sluice.lab.TwoTierConfig;
import io.sluice.lab.http.HttpBackend;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two-tier path end to end: client → the forwarder (a DSR VIP) → two L7 proxies (real1
 * and real2, each holding the VIP on lo and running {@code sluice l7} on it) → four HTTP
 * backends on real3, {@code /api/} to one pool (round-robin) and {@code /static/} to another
 * (sticky cookie). Both proxies take connections, every backend serves, a client keeps its
 * static server by its cookie, and the backends learn the client's own address through
 * X-Forwarded-For, which the proxies can give because DSR kept it on the packets.
 */
@ExtendWith(LabExtension.class)
class TwoTierLabIT
{
    private static final String VIP = LabFixture.VIPS.get(0);
    private static final int VIP_PORT = 8088;
    private static final List<String> BACKENDS = List.of("api1", "api2", "static1", "static2");
    private static final int FIRST_BACKEND_PORT = 9101;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final int REQUESTS = 40;

    @Test
    void clientToForwarderToL7ToBackends(final LabFixture fixture) throws Exception
    {
        Privileges.requireRootAndIp();
        final Lab lab = fixture.lab();
        final List<Process> started = new ArrayList<>();
        try
        {
            final String backendHost = Lab.realHost(3);
            for (int i = 0; i < BACKENDS.size(); i++)
            {
                final Process backend = lab.spawn(backendHost, fixture.home().javaMain(HttpBackend.class.getName(),
                    "--name", BACKENDS.get(i), "--port", Integer.toString(FIRST_BACKEND_PORT + i)));
                started.add(backend);
                lab.awaitOutput(backend, HttpBackend.READY, START_TIMEOUT);
            }
            for (int k = 1; k <= 2; k++)
            {
                final Path config = fixture.scratchDir("l7-real" + k).resolve("l7.yaml");
                Files.writeString(config, l7Config("l7-real" + k, Lab.realAddress(3)));
                final Process proxy = lab.spawn(Lab.realHost(k),
                    fixture.home().javaMain(SluiceCli.class.getName(), "l7", "--config", config.toString(), "--threads", "1"));
                started.add(proxy);
                lab.awaitOutput(proxy, "sluice l7: listening on", START_TIMEOUT);
            }
            final String key = VIP + ":" + VIP_PORT + "/tcp";
            LabFixture.assertSucceeded(fixture.sluice("vip", "add", key));
            LabFixture.assertSucceeded(fixture.sluice("real", "add", key, Lab.realAddress(1)));
            LabFixture.assertSucceeded(fixture.sluice("real", "add", key, Lab.realAddress(2)));

            final Map<String, Integer> proxies = new HashMap<>();
            final Map<String, Integer> apiServers = new HashMap<>();
            for (int i = 0; i < REQUESTS; i++)
            {
                final Map<String, String> headers = curl(lab, "/api/items/" + i, null);
                assertThat(headers.get("status")).isEqualTo("200");
                assertThat(headers.get("x-client-addr")).as("the client's address, through both tiers")
                    .isEqualTo(lab.address(Lab.CLIENT));
                proxies.merge(headers.get("x-served-via"), 1, Integer::sum);
                apiServers.merge(headers.get("x-served-by"), 1, Integer::sum);
            }
            assertThat(proxies.keySet()).as("the forwarder spreads connections over both proxies")
                .containsExactlyInAnyOrder("l7-real1", "l7-real2");
            assertThat(apiServers.keySet()).as("/api/ goes to the api pool only").containsExactlyInAnyOrder("api1", "api2");

            final Path jar = fixture.scratchDir("cookies").resolve("jar");
            final String stuckTo = curl(lab, "/static/app.js", jar).get("x-served-by");
            assertThat(stuckTo).isIn("static1", "static2");
            for (int i = 0; i < 10; i++)
            {
                assertThat(curl(lab, "/static/app.js", jar).get("x-served-by"))
                    .as("the sticky cookie keeps the client on its static server, whichever proxy takes it").isEqualTo(stuckTo);
            }
            assertThat(curl(lab, "/nowhere", null).get("status")).as("no route").isEqualTo("404");
        }
        finally
        {
            started.forEach(lab::stop);
        }
    }

    /** A new connection from the client for one GET; the response's status and headers (names lower-cased). */
    private static Map<String, String> curl(final Lab lab, final String path, final Path cookieJar)
    {
        final List<String> command = new ArrayList<>(List.of("curl", "-s", "-o", "/dev/null", "-D", "-", "--max-time", "5"));
        if (cookieJar != null)
        {
            command.addAll(List.of("-b", cookieJar.toString(), "-c", cookieJar.toString()));
        }
        command.add("http://" + VIP + ":" + VIP_PORT + path);
        final ExecResult result = lab.exec(Lab.CLIENT, command.toArray(String[]::new));
        assertThat(result.exitCode()).as("curl %s: %s", path, result.stderr()).isZero();
        final Map<String, String> headers = new HashMap<>();
        for (final String line : result.stdout().lines().toList())
        {
            if (line.startsWith("HTTP/"))
            {
                headers.put("status", line.split(" ")[1]);
            }
            else if (line.contains(":"))
            {
                headers.put(line.substring(0, line.indexOf(':')).trim().toLowerCase(java.util.Locale.ROOT),
                    line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return headers;
    }

    private static String l7Config(final String name, final String backendAddress)
    {
        final String[] ports = new String[BACKENDS.size()];
        for (int i = 0; i < ports.length; i++)
        {
            ports[i] = backendAddress + ":" + (FIRST_BACKEND_PORT + i);
        }
        return TwoTierConfig.yaml(VIP, VIP_PORT, name, new String[]{ ports[0], ports[1] }, new String[]{ ports[2], ports[3] });
    }
}
