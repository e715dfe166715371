package io.sluice.forwarder.health;

import io.sluice.forwarder.config.IpAddress;
import com.sun.net.httpserver.HttpServer;
import io.sluice.forwarder.config.HealthCheck;
import io.sluice.forwarder.config.VipKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks against real sockets on loopback: what passes, what fails and why. */
final class HealthMonitorTest
{
    private static final IpAddress LOOPBACK = IpAddress.ipv4(0x7F00_0001);
    private static final VipKey VIP = VipKey.parse("198.18.1.1:80/tcp");

    private final List<String> outcomes = new ArrayList<>();
    private final HealthMonitor monitor = new HealthMonitor((target, ok, reason) -> outcomes.add(target.port() + " " + ok + " " + reason));
    private HttpServer http;

    @AfterEach
    void close()
    {
        monitor.close();
        if (http != null)
        {
            http.stop(0);
        }
    }

    @Test
    void tcpPassesWhenTheConnectionIsAcceptedAndFailsWhenRefused() throws IOException
    {
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()))
        {
            final int open = listening.getLocalPort();
            final int closed = freePort();
            final HealthCheck tcp = HealthCheck.parse("tcp,interval=1s,timeout=500ms");
            monitor.targets(List.of(new HealthTarget(VIP, LOOPBACK, open, tcp), new HealthTarget(VIP, LOOPBACK, closed, tcp)), now());
            runUntil(2);
            assertThat(outcomes).containsExactlyInAnyOrder(open + " true ok", closed + " false connection refused");
        }
    }

    @Test
    void httpJudgesTheStatusAndTheBody() throws IOException
    {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/healthz", (exchange) ->
        {
            final byte[] body = "all good".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.createContext("/sick", (exchange) ->
        {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        http.start();
        final int port = http.getAddress().getPort();
        monitor.targets(List.of(new HealthTarget(VIP, LOOPBACK, port, HealthCheck.parse("http,path=/healthz,body=good"))), now());
        runUntil(1);
        monitor.targets(List.of(new HealthTarget(VIP, LOOPBACK, port, HealthCheck.parse("http,path=/healthz,body=bad"))), now());
        runUntil(2);
        monitor.targets(List.of(new HealthTarget(VIP, LOOPBACK, port, HealthCheck.parse("http,path=/sick"))), now());
        runUntil(3);
        assertThat(outcomes).containsExactly(
            port + " true ok",
            port + " false body without 'bad'",
            port + " false status 503, expected 200");
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws IOException
    {
        // Listening, so the kernel completes the handshake, but nobody ever reads or answers.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()))
        {
            final long started = now();
            monitor.targets(List.of(new HealthTarget(VIP, LOOPBACK, silent.getLocalPort(), HealthCheck.parse("http,interval=1s,timeout=300ms"))), started);
            runUntil(1);
            assertThat(outcomes).containsExactly(silent.getLocalPort() + " false no answer within 300ms");
            assertThat(now() - started).isGreaterThanOrEqualTo(300);
        }
    }

    @Test
    void checksRepeatEveryIntervalAndStopForARemovedTarget() throws IOException
    {
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()))
        {
            final HealthTarget target = new HealthTarget(VIP, LOOPBACK, listening.getLocalPort(), HealthCheck.parse("tcp,interval=100ms,timeout=50ms"));
            monitor.targets(List.of(target), now());
            runUntil(3);
            monitor.targets(List.of(), now());
            assertThat(monitor.targetCount()).isZero();
            final long until = now() + 300;
            while (now() < until)
            {
                monitor.poll(now());
            }
            assertThat(outcomes).hasSize(3);
        }
    }

    private void runUntil(final int count)
    {
        final long deadline = now() + 5_000;
        while (outcomes.size() < count && now() < deadline)
        {
            monitor.poll(now());
            Thread.onSpinWait();
        }
        assertThat(outcomes).as("outcomes so far").hasSize(count);
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return probe.getLocalPort();
        }
    }

    private static long now()
    {
        return System.currentTimeMillis();
    }
}
