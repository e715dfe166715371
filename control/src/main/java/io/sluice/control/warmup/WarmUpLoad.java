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
 * by prior knowledge with several streams at a time. With a TLS listener, half of each kind
 * goes to it instead: keep-alive HTTP/1.1 over TLS, HTTP/2 over TLS (when the listener offers
 * h2), and a handshake churner whose connections each carry one exchange after a handshake,
 * full or resumed. The thread count stays the same with or without TLS: the proxy beside them
 * usually has one or two event loops on a small machine. All of them run until they are stopped
 * ({@link #stop}), which the warm-up does when its time is up or the JIT has settled.
 */
final class WarmUpLoad
{
    private static final int KEEP_ALIVE_CONNECTIONS = 16;
    /** A keep-alive connection is closed by its client after this many requests (a few seconds' worth). */
    private static final int REQUESTS_PER_KEEP_ALIVE_CONNECTION = 5_000;
    private static final int HEAD_EVERY = 64;
    private static final int CHURNING_CLIENTS = 2;
    private static final int HTTP2_CONNECTIONS = 2;
    private static final int HTTP2_STREAMS_AT_ONCE = 8;
    private static final int HTTP2_ROUNDS_PER_CONNECTION = 500;
    private static final byte[] GET = Http1Connection.request("GET", "/", false);
    private static final byte[] HEAD = Http1Connection.request("HEAD", "/", false);
    private static final byte[] GET_THEN_CLOSE = Http1Connection.request("GET", "/", true);

    private final InetSocketAddress proxy;
    /** The proxy's TLS listener and its clients, or both null: cleartext only. */
    private final InetSocketAddress tlsListener;
    private final TlsClientSockets tls;
    private final List<Thread> clients = new ArrayList<>();
    private volatile boolean stopped;
    private final AtomicLong http1Answers = new AtomicLong();
    private final AtomicLong h2cAnswers = new AtomicLong();
    private final AtomicLong http1OverTlsAnswers = new AtomicLong();
    private final AtomicLong h2OverTlsAnswers = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private WarmUpLoad(final InetSocketAddress proxy, final InetSocketAddress tlsListener, final TlsClientSockets tls)
    {
        this.proxy = proxy;
        this.tlsListener = tlsListener;
        this.tls = tls;
    }

    /**
     * Starts every client against {@code proxy} (and {@code tlsListener} through {@code tls},
     * unless both are null); they run until {@link #stop}.
     */
    static WarmUpLoad start(final InetSocketAddress proxy, final InetSocketAddress tlsListener, final TlsClientSockets tls)
    {
        final WarmUpLoad load = new WarmUpLoad(proxy, tlsListener, tls);
        final boolean overTls = tls != null;
        for (int i = 0; i < KEEP_ALIVE_CONNECTIONS; i++)
        {
            load.client(overTls && i % 2 == 1 ? "tls-keep-alive-" + i : "keep-alive-" + i,
                overTls && i % 2 == 1 ? load::keepAliveOverTls : load::keepAlive);
        }
        for (int i = 0; i < CHURNING_CLIENTS; i++)
        {
            load.client(overTls && i % 2 == 1 ? "tls-handshakes-" + i : "churn-" + i,
                overTls && i % 2 == 1 ? load::handshakeChurn : load::churn);
        }
        for (int i = 0; i < HTTP2_CONNECTIONS; i++)
        {
            final boolean h2 = overTls && tls.offersH2() && i % 2 == 1;
            load.client(h2 ? "h2-" + i : "h2c-" + i, h2 ? load::h2OverTls : load::h2c);
        }
        return load;
    }

    /**
     * Stops the clients (each after the exchange it is in) and waits for them.
     *
     * @return what they did; no handshakes: the proxy counts those.
     */
    LoadCounts stop() throws InterruptedException
    {
        stopped = true;
        for (final Thread client : clients)
        {
            client.join();
        }
        return new LoadCounts(http1Answers.get(), h2cAnswers.get(), http1OverTlsAnswers.get(), h2OverTlsAnswers.get(),
            connections.get(), failed.get(), 0, 0);
    }

    /** A client's loop: one connection's life, again until stopped. */
    private interface ConnectionLife
    {
        void live() throws IOException;
    }

    private void client(final String name, final ConnectionLife life)
    {
        clients.add(Thread.ofPlatform().name("sluice-warm-up-" + name).start(() ->
        {
            while (!stopped)
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
        }));
    }

    private void keepAlive() throws IOException
    {
        try (Http1Connection connection = new Http1Connection(ClientSockets.connect(proxy)))
        {
            keepAlive(connection, http1Answers);
        }
    }

    /** Its next connection resumes the session its last one had, as a browser's does. */
    private void keepAliveOverTls() throws IOException
    {
        try (Http1Connection connection = new Http1Connection(tls.open(tlsListener, TlsClientSockets.HTTP_1_1, true)))
        {
            keepAlive(connection, http1OverTlsAnswers);
        }
    }

    private void keepAlive(final Http1Connection connection, final AtomicLong answered) throws IOException
    {
        for (int i = 1; i <= REQUESTS_PER_KEEP_ALIVE_CONNECTION && !stopped; i++)
        {
            final boolean head = i % HEAD_EVERY == 0;
            connection.send(head ? HEAD : GET);
            count(connection.readAnswer(head), answered);
        }
    }

    /** One short connection, ended in one of the ways connections end. */
    private void churn() throws IOException
    {
        try (Http1Connection connection = new Http1Connection(ClientSockets.connect(proxy)))
        {
            switch (ThreadLocalRandom.current().nextInt(4))
            {
                case 0 ->
                {
                    connection.send(GET_THEN_CLOSE);
                    count(connection.readAnswer(false), http1Answers);
                }
                case 1 ->
                {
                    connection.send(GET);
                    count(connection.readAnswer(false), http1Answers);
                }
                case 2 -> connection.send(GET); // and gone before the answer
                default ->
                {
                    // connected, and gone without a word
                }
            }
        }
    }

    /** One TLS connection for one exchange, after a full handshake or, as often, a resumed one. */
    private void handshakeChurn() throws IOException
    {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        try (Http1Connection connection = new Http1Connection(tls.open(tlsListener, TlsClientSockets.HTTP_1_1,
            random.nextBoolean())))
        {
            connection.send(random.nextBoolean() ? GET_THEN_CLOSE : GET);
            count(connection.readAnswer(false), http1OverTlsAnswers);
        }
    }

    private void h2c() throws IOException
    {
        try (H2Connection connection = new H2Connection(ClientSockets.connect(proxy), false))
        {
            rounds(connection, h2cAnswers);
        }
    }

    private void h2OverTls() throws IOException
    {
        try (H2Connection connection = new H2Connection(tls.open(tlsListener, TlsClientSockets.H2, true), true))
        {
            rounds(connection, h2OverTlsAnswers);
        }
    }

    private void rounds(final H2Connection connection, final AtomicLong answered) throws IOException
    {
        for (int i = 0; i < HTTP2_ROUNDS_PER_CONNECTION && !stopped; i++)
        {
            final int reset = connection.getAll(HTTP2_STREAMS_AT_ONCE);
            answered.addAndGet(HTTP2_STREAMS_AT_ONCE - reset);
            failed.addAndGet(reset);
        }
    }

    private void count(final int status, final AtomicLong answered)
    {
        (status == 200 ? answered : failed).incrementAndGet();
    }
}
