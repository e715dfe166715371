package io.sluice.l7.proxyprotocol;

import io.sluice.l7.balance.Upstream;
import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.proxy.RawHttp;
import io.sluice.l7.server.L7Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's nginx behind sluice with {@code listen ... proxy_protocol}: a pool with
 * {@code send_proxy: v1} and one with {@code v2} reach it, and nginx answers with the addresses
 * the header it read named ({@code $proxy_protocol_addr} and the rest) and its connection's
 * serial number. Two clients from two addresses each see their own address: a backend
 * connection that carries one client's header is never lent to the other, and is reused for
 * its own client's next request. The pools' health checks (v1 UNKNOWN, v2 LOCAL) pass too:
 * nginx refuses a connection without a header, so a check without one would take the server out.
 * An HTTP/2 client's stream is known by its connection's address (curl over h2c).
 */
@ExtendWith(LeakTracking.class)
class NginxBehindTest
{
    @TempDir
    Path dir;
    private final int nginxPort = ChildServer.freePort();
    private final int sluicePort = ChildServer.freePort();
    private ChildServer nginx;
    private L7Server server;

    @BeforeEach
    void start() throws Exception
    {
        nginx = ChildServer.nginx(dir, """
            server {
              listen 127.0.0.1:%d proxy_protocol;
              location / {
                return 200 "$proxy_protocol_addr $proxy_protocol_port $proxy_protocol_server_addr $proxy_protocol_server_port $connection";
              }
            }
            """.formatted(nginxPort), nginxPort);
        server = new L7Server(L7ConfigLoader.parse("""
            listeners:
              - { name: web, address: "127.0.0.1:%1$d" }
            routes:
              - { name: v1, match: { path: { prefix: /v1/ } }, to: v1 }
              - { name: v2, match: { path: { prefix: /v2/ } }, to: v2 }
            pools:
              v1:
                send_proxy: v1
                servers: [ { name: n, address: "127.0.0.1:%2$d" } ]
                health: { interval: 100ms, timeout: 90ms, rise: 1, fall: 1 }
              v2:
                send_proxy: v2
                servers: [ { name: n, address: "127.0.0.1:%2$d" } ]
                health: { interval: 100ms, timeout: 90ms, rise: 1, fall: 1 }
            """.formatted(sluicePort, nginxPort), "pp.yaml"), 1);
    }

    @AfterEach
    void stop()
    {
        server.close();
        nginx.close();
    }

    @ParameterizedTest(name = "send_proxy: {0}")
    @ValueSource(strings = {"v1", "v2"})
    void nginxReadsEachClientsAddressFromTheHeaderSluiceSends(final String version) throws Exception
    {
        try (Socket a = connect("127.0.0.4"); Socket b = connect("127.0.0.5"))
        {
            final String[] first = get(a, "/" + version + "/1");
            final String[] second = get(b, "/" + version + "/2");
            final String[] again = get(a, "/" + version + "/3");

            assertThat(first).as(nginx.output()).startsWith("127.0.0.4", String.valueOf(a.getLocalPort()), "127.0.0.1",
                String.valueOf(sluicePort));
            assertThat(second).startsWith("127.0.0.5", String.valueOf(b.getLocalPort()), "127.0.0.1", String.valueOf(sluicePort));
            assertThat(again).startsWith("127.0.0.4", String.valueOf(a.getLocalPort()));
            assertThat(again[4]).as("the first client's backend connection, kept for it").isEqualTo(first[4]);
            assertThat(second[4]).as("the second client's own connection").isNotEqualTo(first[4]);
        }
        Thread.sleep(500); // five health checks each
        for (final Upstream upstream : server.router().pools().get(version).upstreams())
        {
            assertThat(upstream.passesChecks()).as("health checks with a header that relays no client").isTrue();
        }
    }

    @Test
    void anHttp2ClientsStreamIsKnownByItsConnectionsAddress() throws Exception
    {
        final String[] first = h2cGet("127.0.0.6");
        final String[] second = h2cGet("127.0.0.7");

        assertThat(first).as(nginx.output()).startsWith("127.0.0.6");
        assertThat(second).startsWith("127.0.0.7");
        assertThat(second[4]).as("each client connection its own backend connection").isNotEqualTo(first[4]);
    }

    /** curl's GET of /v2/h2 over h2c (prior knowledge) from that address: nginx's answer, split. */
    private String[] h2cGet(final String from) throws Exception
    {
        final Process curl = new ProcessBuilder("curl", "-s", "--http2-prior-knowledge", "--interface", from,
            "http://127.0.0.1:" + sluicePort + "/v2/h2").redirectErrorStream(true).start();
        assertThat(curl.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).split(" ");
    }

    private String[] get(final Socket socket, final String path) throws IOException
    {
        final RawHttp.Response response = RawHttp.get(socket, path);
        assertThat(response.status()).as(nginx.output()).isEqualTo(200);
        return response.text().split(" ");
    }

    private Socket connect(final String from) throws IOException
    {
        final Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", sluicePort), 2_000);
        socket.setSoTimeout(5_000);
        return socket;
    }
}
