package io.sluice.l7.cache;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend (the JDK's HTTP server) whose answers the test gives per path and whose requests it
 * counts per path: what a cache in front of it must and must not ask for.
 */
public final class ControlledBackend implements AutoCloseable
{
    /** How a path is answered; may block (each request has a thread of its own). */
    @FunctionalInterface
    public interface Answer
    {
        void answer(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private boolean stopped;

    public ControlledBackend()
    {
        try
        {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        server.setExecutor(threads);
        server.createContext("/", exchange ->
        {
            final String path = exchange.getRequestURI().getPath();
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            final Answer answer = answers.get(path);
            if (answer == null)
            {
                exchange.sendResponseHeaders(404, -1);
            }
            else
            {
                answer.answer(exchange);
            }
            exchange.close();
        });
        server.start();
    }

    public void on(final String path, final Answer answer)
    {
        answers.put(path, answer);
    }

    public int requests(final String path)
    {
        final AtomicInteger count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    public String address()
    {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code body} with these header fields (name, value, name, value...) and a Content-Length. */
    public static void send(final HttpExchange exchange, final int status, final byte[] body, final String... fields)
        throws IOException
    {
        for (int i = 0; i < fields.length; i += 2)
        {
            exchange.getResponseHeaders().add(fields[i], fields[i + 1]);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(body);
        }
    }

    /** Stops it (a test may, to see a backend gone); its port then refuses connections. Once: later calls do nothing. */
    @Override
    public synchronized void close()
    {
        if (!stopped)
        {
            stopped = true;
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
