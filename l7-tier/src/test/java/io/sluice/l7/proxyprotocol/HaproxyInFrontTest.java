package io.sluice.l7.proxyprotocol;

import io.sluice.l7.accesslog.AccessLog;
import io.sluice.l7.metrics.ProxyProtocolOutcome;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.proxy.TestBackend;
import io.sluice.l7.server.L7Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's HAProxy in front of sluice, as an NLB would be: {@code send-proxy} and
 * {@code send-proxy-v2} to a listener that trusts HAProxy's address (127.0.0.1), and curl from
 * 127.0.0.3 through HAProxy. The backend behind sluice hears of curl's address, not HAProxy's;
 * HAProxy's own HTTP health checks ({@code check-send-proxy}, v2 LOCAL) keep HAProxy's address. The
 * access log names curl's address as the client too.
 */
@ExtendWith(LeakTracking.class)
class HaproxyInFrontTest
{
    private static final String CLIENT = "127.0.0.3";
    private static final String CHECK = "/haproxy-check";

    private final TestBackend backend = new TestBackend("b");
    private final int sluicePort = ChildServer.freePort();
    private final ByteArrayOutputStream accessLog = new ByteArrayOutputStream();
    private final L7Server server = ProxyProtocolListenerTest.sluice("""
        listeners:
          - name: behind-haproxy
            address: 127.0.0.1:%d
            proxy_protocol: { trusted: [127.0.0.1] }
        """.formatted(sluicePort), backend, new AccessLog(accessLog, false, AccessLog.DEFAULT_CAPACITY));

    /** Closed by the test itself, to read the whole access log; here only when the test failed first. */
    private boolean serverClosed;

    @AfterEach
    void close()
    {
        if (!serverClosed)
        {
            server.close();
        }
        backend.close();
    }

    @Test
    void theBackendHearsOfTheClientBehindHaproxyByV1AndV2(@TempDir final Path dir) throws Exception
    {
        final int v1Port = ChildServer.freePort();
        final int v2Port = ChildServer.freePort();
        final int readyPort = ChildServer.freePort(); // probed for readiness: a probe of v1 or v2 would reach sluice
        final Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, """
            global
              maxconn 100
            defaults
              mode tcp
              timeout connect 2s
              timeout client 10s
              timeout server 10s
            frontend v1
              bind 127.0.0.1:%1$d
              default_backend sluice_v1
            frontend v2
              bind 127.0.0.1:%2$d
              default_backend sluice_v2
            frontend ready
              bind 127.0.0.1:%4$d
              tcp-request connection reject
            backend sluice_v1
              server s 127.0.0.1:%3$d send-proxy
            backend sluice_v2
              option httpchk GET %5$s
              server s 127.0.0.1:%3$d send-proxy-v2 check check-send-proxy inter 200ms
            """.formatted(v1Port, v2Port, sluicePort, readyPort, CHECK), StandardCharsets.US_ASCII);
        try (ChildServer haproxy = ChildServer.start(List.of("/usr/sbin/haproxy", "-db", "-f", config.toString()),
            dir.resolve("haproxy.log"), readyPort))
        {
            assertThat(curl(v1Port, "/through-v1")).as(haproxy.output()).isEqualTo("200");
            assertThat(curl(v2Port, "/through-v2")).as(haproxy.output()).isEqualTo("200");
            Thread.sleep(600); // a few of HAProxy's health checks, each a connection with a v2 LOCAL header
        }
        assertThat(backend.seen).filteredOn((request) -> !request.uri().equals(CHECK))
            .extracting((request) -> request.uri() + " " + request.headers().get("x-forwarded-for"))
            .containsExactly("/through-v1 " + CLIENT, "/through-v2 " + CLIENT);
        assertThat(backend.seen).filteredOn((request) -> request.uri().equals(CHECK)).isNotEmpty()
            .allSatisfy((check) -> assertThat(check.headers().get("x-forwarded-for")).as("LOCAL: HAProxy's own address")
                .isEqualTo("127.0.0.1"));
        assertThat(server.metrics().proxyProtocolCount(ProxyProtocolOutcome.ACCEPTED)).isEqualTo(2);
        assertThat(server.metrics().proxyProtocolCount(ProxyProtocolOutcome.LOCAL)).isPositive();
        assertThat(server.metrics().proxyProtocolCount(ProxyProtocolOutcome.MALFORMED)).isZero();
        server.close(); // and its access log with it, every line written
        serverClosed = true;
        assertThat(accessLog.toString(StandardCharsets.UTF_8).lines()).filteredOn((line) -> line.contains("/through-v"))
            .hasSize(2).allSatisfy((line) -> assertThat(line).contains("\"client\":\"" + CLIENT + "\""));
    }

    /** @return curl's status code for a GET through HAProxy, from the client's own address. */
    private static String curl(final int port, final String path) throws Exception
    {
        final Process curl = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
            "--interface", CLIENT, "http://127.0.0.1:" + port + path).redirectErrorStream(true).start();
        assertThat(curl.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
    }
}
