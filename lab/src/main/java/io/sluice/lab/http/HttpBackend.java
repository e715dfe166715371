package io.sluice.lab.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.lab.AddressText;
import io.sluice.lab.LabHelpers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A lab backend ("real"): answers every HTTP/1.1 request with its own name, so a client can
 * count which real served it, and with the client address it saw, which proves DSR kept the
 * client's source address (behind an L7 proxy: the first X-Forwarded-For entry, the proxy
 * itself in X-Peer-Addr). Keep-alive stays on, so one connection can carry many requests.
 *
 * <pre>java -cp sluice.jar io.sluice.lab.http.HttpBackend --name real1 [--port 80] [--bind 0.0.0.0]</pre>
 */
@Command(name = "HttpBackend", mixinStandardHelpOptions = true,
    description = "Lab HTTP backend: answers every request with its name (body and X-Served-By).")
public final class HttpBackend implements Callable<Integer>
{
    /** Printed once the socket is bound, so whoever started the backend knows it can connect. */
    public static final String READY = "listening on";

    /** Idle keep-alive connections must outlive a lab test's pauses (the JDK default is 30 s). */
    private static final String IDLE_SECONDS = "600";
    private static final int BACKLOG = 1024;

    @Option(names = "--name", required = true, description = "Name to answer with, e.g. real1.")
    private String name;

    @Option(names = "--port", defaultValue = "80", description = "TCP port (default ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--bind", defaultValue = "0.0.0.0", description = "Address to bind (default ${DEFAULT-VALUE}: every address, the VIP on lo included).")
    private String bind;

    public static void main(final String[] args)
    {
        System.exit(LabHelpers.commandLine(new HttpBackend()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        if (port < 1 || port > 65535)
        {
            throw new CommandLine.ParameterException(new CommandLine(this), "--port " + port + " is outside 1-65535");
        }
        System.setProperty("sun.net.httpserver.idleInterval", IDLE_SECONDS);
        final HttpServer server = start(new InetSocketAddress(bind, port), name);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            server.stop(0);
            stopped.countDown();
        }, "http-backend-stop"));
        System.out.println("HttpBackend " + name + " " + READY + " " + bind + ":" + server.getAddress().getPort());
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** Starts a backend answering as {@code name}; the caller stops it. Port 0 picks a free port. */
    public static HttpServer start(final InetSocketAddress address, final String name) throws IOException
    {
        final HttpServer server = HttpServer.create(address, BACKLOG);
        final byte[] body = (name + "\n").getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> answer(exchange, name, body));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return server;
    }

    private static void answer(final HttpExchange exchange, final String name, final byte[] body) throws IOException
    {
        try (exchange)
        {
            try (InputStream request = exchange.getRequestBody())
            {
                request.transferTo(OutputStream.nullOutputStream());
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.getResponseHeaders().set("X-Served-By", name);
            // As sluice writes addresses (IPv6 compressed, RFC 5952), so tests compare text with text.
            final String peer = AddressText.of(exchange.getRemoteAddress().getAddress());
            final String forwardedFor = exchange.getRequestHeaders().getFirst("X-Forwarded-For");
            // Behind an L7 proxy the client is the first X-Forwarded-For entry; the TCP peer is the proxy.
            exchange.getResponseHeaders().set("X-Client-Addr",
                forwardedFor == null || forwardedFor.isBlank() ? peer : forwardedFor.split(",")[0].trim());
            exchange.getResponseHeaders().set("X-Peer-Addr", peer);
            final boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(200, head ? -1 : body.length);
            if (!head)
            {
                try (OutputStream out = exchange.getResponseBody())
                {
                    out.write(body);
                }
            }
        }
    }
}
