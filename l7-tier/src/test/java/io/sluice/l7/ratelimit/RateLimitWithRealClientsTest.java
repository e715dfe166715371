package io.sluice.l7.ratelimit;

import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.metrics.RateLimitMetrics;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.proxy.TestBackend;
import io.sluice.l7.server.L7Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rate limits of a real L7 server in front of a real backend, with real clients counting what
 * they got: h2load's keep-alive connections over HTTP/1.1 and h2c, curl from several loopback
 * addresses (127.0.0.0/8 is all the host's own) for the grouping by prefix. The rates are per
 * hour so that only the bursts pass while a test runs, and every count is exact.
 */
@ExtendWith(LeakTracking.class)
class RateLimitWithRealClientsTest
{
    private static final String CONFIG = """
        listeners: [{ name: web, address: 127.0.0.1:%d }]
        routes:
          - name: grouped
            match: { path: { prefix: /grouped } }
            rate_limit: [{ key: { client-address: { v4: 24 } }, rate: 1/h, burst: 4 }]
            to: p
          - name: each
            rate_limit: [{ key: client-address, rate: 1/h, burst: 9 }]
            to: p
        pools:
          p: { servers: [{ name: a, address: "%s" }] }
        """;
    private static final Pattern STATUS_CODES = Pattern.compile("status codes: (\\d+) 2xx, (\\d+) 3xx, (\\d+) 4xx, (\\d+) 5xx");

    private final TestBackend backend = new TestBackend("a");
    private final int port = freePort();
    private final String config = CONFIG.formatted(port, backend.address().getHostString() + ":" + backend.address().getPort());
    private final L7Server server = new L7Server(L7ConfigLoader.parse(config, "rate.yaml"), 2);

    @AfterEach
    void close()
    {
        server.close();
        backend.close();
    }

    @Test
    void h2loadGetsExactlyTheBurstThen429sAndAReloadGivesNoneBack() throws Exception
    {
        assertThat(h2load("--h1")).as("2xx, 4xx").containsExactly(10, 40);
        server.reload(L7ConfigLoader.parse(config, "rate.yaml"));
        assertThat(h2load()).as("h2c from the same address, after a reload: its allowance is spent").containsExactly(0, 50);
        assertThat(backend.seen).hasSize(10);
        final RateLimitMetrics.Limit limit = server.metrics().rateLimits().limit("each", "client-address");
        assertThat(limit.count(RateLimitMetrics.Outcome.ALLOWED)).isEqualTo(10);
        assertThat(limit.count(RateLimitMetrics.Outcome.LIMITED)).isEqualTo(90);
    }

    @Test
    void curlSeesTheFieldsAndAddressesOfOnePrefixShareTheirLimit() throws Exception
    {
        final List<Head> heads = new ArrayList<>();
        for (final String from : List.of("127.0.0.2", "127.0.0.3", "127.0.0.2", "127.0.0.4", "127.0.0.3", "127.0.1.5"))
        {
            heads.add(curl(from, "/grouped"));
        }
        assertThat(heads).extracting(Head::status).containsOnly("HTTP/1.1 200 OK");
        assertThat(heads.get(4).fields().get("ratelimit")).as("the fifth of 127.0.0.0/24")
            .isEqualTo("\"client-address-24-128\";r=0;t=3600");
        assertThat(heads.get(5).fields().get("ratelimit")).as("another /24, its own allowance")
            .isEqualTo("\"client-address-24-128\";r=4;t=3600");
        final Head refused = curl("127.0.0.9", "/grouped");
        assertThat(refused.status()).isEqualTo("HTTP/1.1 429 Too Many Requests");
        assertThat(refused.fields()).containsEntry("retry-after", "3600")
            .containsEntry("ratelimit-policy", "\"client-address-24-128\";q=1;w=3600")
            .containsEntry("ratelimit", "\"client-address-24-128\";r=0;t=3600");

        assertThat(curl("127.0.0.2", "/each").fields()).containsEntry("ratelimit", "\"client-address\";r=9;t=3600");
        assertThat(curl("127.0.0.3", "/each").fields()).as("each address alone").containsEntry("ratelimit",
            "\"client-address\";r=9;t=3600");
    }

    /** A response head as curl printed it: the status line and the fields, names in lower case. */
    private record Head(String status, Map<String, String> fields)
    {
    }

    /** h2load's 2xx and 4xx counts for 50 requests over 2 connections (more options: its protocol). */
    private List<Integer> h2load(final String... options) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of("h2load", "-n", "50", "-c", "2", "-m", "1"));
        command.addAll(List.of(options));
        command.add("http://127.0.0.1:" + port + "/each");
        final String output = run(command);
        final Matcher codes = STATUS_CODES.matcher(output);
        assertThat(codes.find()).as(output).isTrue();
        assertThat(Integer.parseInt(codes.group(2)) + Integer.parseInt(codes.group(4))).as(output).isZero();
        return List.of(Integer.parseInt(codes.group(1)), Integer.parseInt(codes.group(3)));
    }

    /** curl's response head, from a connection that comes from {@code from}. */
    private Head curl(final String from, final String path) throws Exception
    {
        final String output = run(List.of("curl", "-sS", "-i", "--max-time", "10", "--interface", from,
            "http://127.0.0.1:" + port + path));
        final List<String> lines = output.substring(0, output.indexOf("\r\n\r\n")).lines().toList();
        final Map<String, String> fields = new HashMap<>();
        for (final String line : lines.subList(1, lines.size()))
        {
            fields.put(line.substring(0, line.indexOf(':')).toLowerCase(Locale.ROOT), line.substring(line.indexOf(':') + 1).strip());
        }
        return new Head(lines.getFirst(), fields);
    }

    private static String run(final List<String> command) throws Exception
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
