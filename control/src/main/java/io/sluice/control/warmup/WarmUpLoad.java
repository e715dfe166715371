package io.sluice.control.warmup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clients of a warm-up: what the proxy meets in service, so that the JIT has seen each path
 * before it compiles the hot ones. Keep-alive connections sending one request after another
 * (mostly GETs, now and then a HEAD), each closed by the client after a while and replaced, as a
 * load generator's or a browser's are; connections that carry one exchange and end it in each
 * of the ways a connection ends (the client asks with {@code Connection: close}, closes after
 * the answer, closes before the answer, closes without asking anything); HTTP/2 connections
 * by prior knowledge with several streams at a time. All of them run until the deadline.
 */
final class WarmUpLoad
{
    private static final int KEEP_ALIVE_CONNECTIONS = 16;
    /** A keep-alive connection is closed by its client after this many requests (a few seconds' worth). */
    private static final int REQUESTS_PER_KEEP_ALIVE_CONNECTION = 5_000;
    private static final int HEAD_EVERY = 64;
    private static final int CHURNING_CLIENTS = 2;
    private static final int H2C_CONNECTIONS = 2;
    private static final int H2C_STREAMS_AT_ONCE = 8;
    private static final int H2C_ROUNDS_PER_CONNECTION = 500;
    private static final byte[] GET = Http1Connection.request("GET", "/", false);
    private static final byte[] HEAD = Http1Connection.request("HEAD", "/", false);
    private static final byte[] GET_THEN_CLOSE = Http1Connection.request("GET", "/", true);

    private final InetSocketAddress proxy;
    private final long deadlineNs;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private WarmUpLoad(final InetSocketAddress proxy, final long deadlineNs)
    {
        this.proxy = proxy;
        this.deadlineNs = deadlineNs;
    }

    /** Runs every client against {@code proxy} until {@code deadlineNs} (System.nanoTime) and waits for them. */
    static LoadCounts run(final InetSocketAddress proxy, final long deadlineNs) throws InterruptedException
    {
        final WarmUpLoad load = new WarmUpLoad(proxy, deadlineNs);
        final List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < KEEP_ALIVE_CONNECTIONS; i++)
        {
            clients.add(load.client("keep-alive-" + i, load::keepAlive));
        }
        for (int i = 0; i < CHURNING_CLIENTS; i++)
        {
            clients.add(load.client("churn-" + i, load::churn));
        }
        for (int i = 0; i < H2C_CONNECTIONS; i++)
        {
            clients.add(load.client("h2c-" + i, load::h2c));
        }
        for (final Thread client : clients)
        {
            client.join();
        }
        return new LoadCounts(load.answered.get(), load.connections.get(), load.failed.get());
    }

    /** A client's loop: one connection's life, again until the deadline. */
    private interface ConnectionLife
    {
        void live() throws IOException;
    }

    private Thread client(final String name, final ConnectionLife life)
    {
        return Thread.ofPlatform().name("sluice-warm-up-" + name).start(() ->
        {
            while (System.nanoTime() < deadlineNs)
            {
                connections.incrementAndGet();
                try
                {
                    life.live();
                }
                catch (final IOException ex)
                {
                    failed.incrementAndGet();
                }
            }
        });
    }

    private void keepAlive() throws IOException
    {
        try (Http1Connection connection = new Http1Connection(proxy))
        {
            for (int i = 1; i <= REQUESTS_PER_KEEP_ALIVE_CONNECTION && System.nanoTime() < deadlineNs; i++)
            {
                final boolean head = i % HEAD_EVERY == 0;
                connection.send(head ? HEAD : GET);
                count(connection.readAnswer(head));
            }
        }
    }

    /** One short connection, ended in one of the ways connections end. */
    private void churn() throws IOException
    {
        try (Http1Connection connection = new Http1Connection(proxy))
        {
            switch (ThreadLocalRandom.current().nextInt(4))
            {
                case 0 ->
                {
                    connection.send(GET_THEN_CLOSE);
                    count(connection.readAnswer(false));
                }
                case 1 ->
                {
                    connection.send(GET);
                    count(connection.readAnswer(false));
                }
                case 2 -> connection.send(GET); // and gone before the answer
                default ->
                {
                    // connected, and gone without a word
                }
            }
        }
    }

    private void h2c() throws IOException
    {
        try (H2cConnection connection = new H2cConnection(proxy))
        {
            for (int i = 0; i < H2C_ROUNDS_PER_CONNECTION && System.nanoTime() < deadlineNs; i++)
            {
                final int reset = connection.getAll(H2C_STREAMS_AT_ONCE);
                answered.addAndGet(H2C_STREAMS_AT_ONCE - reset);
                failed.addAndGet(reset);
            }
        }
    }

    private void count(final int status)
    {
        (status == 200 ? answered : failed).incrementAndGet();
    }
}
