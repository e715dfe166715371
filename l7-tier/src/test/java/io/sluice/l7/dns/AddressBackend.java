package io.sluice.l7.dns;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A backend at one loopback address and a port that several share (a DNS name's addresses have one port): answers
 * every request with its address in {@code X-Served-By}; {@code /slow} only once {@link #release()} is called, so a
 * request can be held in flight while the pools change.
 */
final class AddressBackend implements AutoCloseable
{
    private final HttpServer server;
    private final CountDownLatch released = new CountDownLatch(1);
    final CountDownLatch slowArrived = new CountDownLatch(1);

    /** @param port 0 for any (the first of a name's backends), else the first's. */
    AddressBackend(final String address, final int port) throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.ofLiteral(address), port), 16);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange ->
        {
            if (exchange.getRequestURI().getPath().equals("/slow"))
            {
                slowArrived.countDown();
                try
                {
                    released.await(10, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
            final byte[] body = "ok".getBytes();
            exchange.getResponseHeaders().set("X-Served-By", address);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        });
        server.start();
    }

    int port()
    {
        return server.getAddress().getPort();
    }

    /** {@code /slow} answers now. */
    void release()
    {
        released.countDown();
    }

    @Override
    public void close()
    {
        release();
        server.stop(0);
    }
}
