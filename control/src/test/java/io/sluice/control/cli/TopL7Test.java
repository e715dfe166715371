package io.sluice.control.cli;

import com.sun.net.httpserver.HttpServer;
import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.server.L7Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice top --once --json --l7} against a real L7 proxy in this process, a client and a backend busy meanwhile. */
class TopL7Test
{
    @TempDir
    Path noForwarder;

    @Test
    void theProxysRoutesAndServersHaveRatesWithoutAnyForwarder() throws Exception
    {
        final HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", (exchange) ->
        {
            final byte[] body = "ok\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        });
        backend.start();
        final int proxyPort = freePort();
        final int adminPort = freePort();
        final String config = """
            listeners: [{ name: web, address: "127.0.0.1:%d" }]
            admin: { address: "127.0.0.1:%d" }
            routes: [{ name: api, to: backends }]
            pools:
              backends: { servers: [{ name: b1, address: "127.0.0.1:%d" }] }
            """.formatted(proxyPort, adminPort, backend.getAddress().getPort());
        final AtomicBoolean sending = new AtomicBoolean(true);
        try (L7Server proxy = new L7Server(L7ConfigLoader.parse(config, "top.yaml"), 1);
             HttpClient client = HttpClient.newHttpClient())
        {
            final Thread traffic = Thread.ofPlatform().start(() ->
            {
                final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + "/x")).build();
                while (sending.get())
                {
                    try
                    {
                        client.send(request, HttpResponse.BodyHandlers.discarding());
                    }
                    catch (final IOException | InterruptedException ex)
                    {
                        return;
                    }
                }
            });
            final CliRun run;
            try
            {
                run = CliRun.of("top", "--once", "--json", "--interval", "500ms", "--l7", "127.0.0.1:" + adminPort,
                    "--state-dir", noForwarder.toString());
            }
            finally
            {
                sending.set(false);
                traffic.join();
            }

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).doesNotContain("\"forwarder\"").contains("\"client_connections\":");
            assertThat(perS(run.out(), "\"route\":\"api\",\"requests_per_s\":")).as(run.out()).isPositive();
            assertThat(perS(run.out(), "\"server\":\"backends/b1\",\"requests_per_s\":")).as(run.out()).isPositive();
            assertThat(run.out()).contains("\"in_flight\":", "\"health\":\"up\"");
            assertThat(proxy.metrics().prometheusText()).contains("sluice_l7_route_requests_total{route=\"api\"}");
        }
        finally
        {
            backend.stop(0);
        }
    }

    private static double perS(final String json, final String before)
    {
        final Matcher matcher = Pattern.compile(Pattern.quote(before) + "([0-9.E]+)").matcher(json);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
