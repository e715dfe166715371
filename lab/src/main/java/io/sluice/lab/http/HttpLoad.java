package io.sluice.lab.http;

import io.sluice.lab.LabHelpers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lab's load client: sends {@code --requests} GETs, each on a TCP connection of its own
 * (a new source port each time, so a Maglev forwarder spreads them over the reals), and counts
 * the answers by the backend that served them.
 *
 * <pre>java -cp sluice.jar io.sluice.lab.http.HttpLoad --url http://198.18.1.1/ --requests 300 [--concurrency 4] [--json]</pre>
 *
 * Exits 0 when every request was answered with 200, 1 when some were not, 2 on bad arguments.
 */
@Command(name = "HttpLoad", mixinStandardHelpOptions = true,
    description = "Lab load client: one TCP connection per request, answers counted by X-Served-By.")
public final class HttpLoad implements Callable<Integer>
{
    @Option(names = "--url", required = true, description = "http://HOST[:PORT]/PATH")
    private String url;

    @Option(names = "--requests", defaultValue = "300", description = "How many requests (default ${DEFAULT-VALUE}).")
    private int requests;

    @Option(names = "--concurrency", defaultValue = "4", description = "Connections open at once (default ${DEFAULT-VALUE}).")
    private int concurrency;

    @Option(names = "--timeout-ms", defaultValue = "5000",
        description = "Connect and read timeout per request (default ${DEFAULT-VALUE}); covers a SYN retransmission.")
    private int timeoutMs;

    @Option(names = "--max-failures", defaultValue = "0",
        description = "Stop sending after this many failed requests (default ${DEFAULT-VALUE}: never), so a broken path fails fast.")
    private int maxFailures;

    @Option(names = "--json", description = "Print the report as one line of JSON.")
    private boolean json;

    public static void main(final String[] args)
    {
        System.exit(LabHelpers.commandLine(new HttpLoad()).execute(args));
    }

    @Override
    public Integer call()
    {
        final CommandLine commandLine = new CommandLine(this);
        if (requests < 1 || concurrency < 1 || timeoutMs < 1 || maxFailures < 0)
        {
            throw new CommandLine.ParameterException(commandLine,
                "--requests, --concurrency and --timeout-ms must be positive, --max-failures not negative");
        }
        final Target target;
        try
        {
            target = Target.parse(url);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(commandLine, ex.getMessage());
        }
        final LoadReport report = run(target.address(), target.hostHeader(), target.path(), requests, concurrency, timeoutMs, maxFailures);
        System.out.print(json ? report.toJson() + System.lineSeparator() : report.toText());
        return report.failed() == 0 ? 0 : 1;
    }

    /**
     * Runs the load in this process and returns what it saw.
     *
     * @param maxFailures stop once this many requests failed (0: never); the report then counts
     *                    only the requests that were sent.
     */
    public static LoadReport run(
        final InetSocketAddress address, final String hostHeader, final String path,
        final int requests, final int concurrency, final int timeoutMs, final int maxFailures)
    {
        final AtomicLong next = new AtomicLong();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final Map<String, Long> servedBy = new TreeMap<>();
        final Map<String, Long> clientAddresses = new TreeMap<>();
        final Map<String, Long> failures = new TreeMap<>();
        final Map<String, Long> servedVia = new TreeMap<>();
        final AtomicLong ok = new AtomicLong();
        // One lock guards the maps: a handful of keys, held for a map update only.
        final Object lock = new Object();
        final List<Thread> workers = new ArrayList<>(concurrency);
        for (int i = 0; i < Math.min(concurrency, requests); i++)
        {
            workers.add(Thread.ofPlatform().name("http-load-" + i).start(() ->
            {
                while (next.getAndIncrement() < requests && (maxFailures == 0 || failed.get() < maxFailures))
                {
                    sent.incrementAndGet();
                    try
                    {
                        final HttpReply reply = requestOnNewConnection(address, hostHeader, path, timeoutMs);
                        if (reply.status() != 200)
                        {
                            failed.incrementAndGet();
                            countUnder(lock, failures, "status " + reply.status());
                            continue;
                        }
                        ok.incrementAndGet();
                        countUnder(lock, servedBy, reply.servedBy() == null ? "(no X-Served-By)" : reply.servedBy());
                        countUnder(lock, clientAddresses, reply.clientAddr() == null ? "(no X-Client-Addr)" : reply.clientAddr());
                        if (reply.servedVia() != null)
                        {
                            countUnder(lock, servedVia, reply.servedVia());
                        }
                    }
                    catch (final IOException ex)
                    {
                        failed.incrementAndGet();
                        countUnder(lock, failures, reason(ex));
                    }
                }
            }));
        }
        for (final Thread worker : workers)
        {
            try
            {
                worker.join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the load ran", ex);
            }
        }
        synchronized (lock)
        {
            return new LoadReport(sent.get(), ok.get(), servedBy, clientAddresses, failures, servedVia);
        }
    }

    /** One GET on a fresh connection that the server is asked to close. */
    public static HttpReply requestOnNewConnection(
        final InetSocketAddress address, final String hostHeader, final String path, final int timeoutMs) throws IOException
    {
        try (Socket socket = new Socket())
        {
            socket.setSoTimeout(timeoutMs);
            socket.connect(address, timeoutMs);
            HttpReply.writeGet(socket.getOutputStream(), hostHeader, path, false);
            final InputStream in = new BufferedInputStream(socket.getInputStream());
            return HttpReply.read(in);
        }
    }

    private static void countUnder(final Object lock, final Map<String, Long> counts, final String key)
    {
        synchronized (lock)
        {
            counts.merge(key, 1L, Long::sum);
        }
    }

    private static String reason(final IOException ex)
    {
        if (ex instanceof SocketTimeoutException)
        {
            return "timed out: " + ex.getMessage();
        }
        return ex.getClass().getSimpleName() + ": " + ex.getMessage();
    }

    /** The parts of an http:// URL the load needs; no name lookup (the lab has no DNS). */
    record Target(InetSocketAddress address, String hostHeader, String path)
    {
        static Target parse(final String url)
        {
            final URI uri;
            try
            {
                uri = URI.create(url);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("--url '" + url + "' is not a URL");
            }
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null)
            {
                throw new IllegalArgumentException("--url '" + url + "' must be http://HOST[:PORT]/PATH");
            }
            final int port = uri.getPort() == -1 ? 80 : uri.getPort();
            final String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            final String hostHeader = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + port;
            return new Target(new InetSocketAddress(uri.getHost(), port), hostHeader, path);
        }
    }
}
