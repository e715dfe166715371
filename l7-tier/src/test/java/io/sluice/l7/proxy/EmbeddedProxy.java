package io.sluice.l7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import io.sluice.l7.config.L7Config;
import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.config.Pool;
import io.sluice.l7.config.Server;
import io.sluice.l7.config.RequestLimits;
import io.sluice.l7.config.Timeouts;
import io.sluice.l7.filter.FilterChain;
import io.sluice.l7.metrics.L7Metrics;
import io.sluice.l7.server.ConfiguredRouter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy's request path without sockets or threads. A client connection is an
 * {@link EmbeddedChannel} set up as {@link L7Proxy} sets up an accepted one (its clock, the
 * protocol detector with the HTTP/1.1 codec, a {@link FrontendHandler}); the backend
 * connections {@link BackendConnections} opens through its {@link BackendConnector} are
 * EmbeddedChannels too, with the pipeline it gives them. Requests are routed by a
 * {@link ConfiguredRouter} of a YAML configuration, which {@link #configure} replaces as a reload
 * does. A test writes a request's bytes, sees which server it went to with what head, answers
 * it by hand (or holds it unanswered), and reads the bytes the client got; everything runs on
 * the test's thread.
 */
final class EmbeddedProxy implements AutoCloseable
{
    /** Every client's address: the X-Forwarded-For the proxy adds names it. */
    static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.10", 50000);
    /** The configuration needs a listener; nothing here listens. */
    private static final String LISTENER = "listeners: [{ name: web, address: 127.0.0.1:8080 }]\n";

    private final ExchangeObservers observers = ExchangeObservers.metricsOnly();
    private final Draining draining = new Draining();
    private final List<EmbeddedChannel> clients = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();
    /** Server names by address, over every configuration given (a test keeps an address's name the same). */
    private final Map<InetSocketAddress, String> serverNames = new HashMap<>();
    private ConfiguredRouter router;
    private Timeouts timeouts;
    /** Made with the first client's loop: every client here runs on the test's thread, as one event loop's do. */
    private BackendConnections backends;
    /** Filters every routed request gets instead of its route's, or null for the route's own. */
    private FilterChain filters;
    /** Connections being made, not yet there, while {@link #holdConnects} is on; oldest first. */
    private final List<ChannelPromise> connecting = new ArrayList<>();
    private boolean holdConnects;

    /** A backend connection the proxy opened, to the server of that name. */
    record Connection(String server, EmbeddedChannel channel)
    {
    }

    /** A request as it reached a server, on the connection it came by. */
    record Forwarded(String server, RawHttp.Request request, EmbeddedChannel connection)
    {
        /** The server's response, as bytes on the wire. */
        void answer(final String response)
        {
            connection.writeInbound(Unpooled.copiedBuffer(response, StandardCharsets.US_ASCII));
        }
    }

    /** A client connection. */
    static final class Client
    {
        private final EmbeddedChannel channel;

        private Client(final EmbeddedChannel channel)
        {
            this.channel = channel;
        }

        /** The request's bytes, arriving in one read. */
        void send(final String request)
        {
            channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
        }

        /** The bytes the client was sent since the last call, as text (a chunked response, say), a char a byte. */
        String received()
        {
            return new String(written(channel), StandardCharsets.ISO_8859_1);
        }

        /** The connection itself: for a test that speaks HTTP/2 to it, or moves its clock. */
        EmbeddedChannel channel()
        {
            return channel;
        }

        /** The exchange in flight on this connection, or null. */
        ProxyExchange exchange()
        {
            return channel.pipeline().get(FrontendHandler.class).exchangeInFlight();
        }

        void close()
        {
            channel.close();
        }

        /** The one response the client was sent since the last call. */
        RawHttp.Response response()
        {
            final byte[] bytes = written(channel);
            assertThat(bytes).as("the client was sent a response").isNotEmpty();
            try (InputStream in = new ByteArrayInputStream(bytes))
            {
                final RawHttp.Response response = RawHttp.read(in);
                assertThat(in.available()).as("bytes after the response").isZero();
                return response;
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        boolean isOpen()
        {
            return channel.isOpen();
        }

        /** Runs what was handed to the connection's event loop from elsewhere (a filter's answer, say). */
        void runPendingTasks()
        {
            channel.runPendingTasks();
        }

        /** Moves the connection's event loop clock on and runs what is then due (a filter's timeout, say). */
        void advanceTime(final long ms)
        {
            channel.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
            channel.runPendingTasks();
        }
    }

    /**
     * Routes by this configuration from the next request on (requests in flight keep their
     * route and server, as after a reload).
     *
     * @param routesAndPools the {@code routes} and {@code pools} of a configuration file.
     */
    void configure(final String routesAndPools)
    {
        final L7Config config = L7ConfigLoader.parse(LISTENER + routesAndPools, "embedded.yaml");
        for (final Pool pool : config.pools().values())
        {
            for (final Server server : pool.servers())
            {
                serverNames.put(server.address(), server.name());
            }
        }
        router = new ConfiguredRouter(config);
        timeouts = config.timeouts();
    }

    /** What the proxy's exchanges (and their filters) counted. */
    L7Metrics metrics()
    {
        return observers.metrics();
    }

    ConfiguredRouter router()
    {
        return router;
    }

    /** A new client connection, its pipeline L7Proxy's. */
    Client connect()
    {
        final EmbeddedChannel channel = new ClientChannel(new ChannelInitializer<>()
        {
            @Override
            protected void initChannel(final Channel channel)
            {
                if (backends == null)
                {
                    backends = new BackendConnections(channel.eventLoop(), EmbeddedProxy.this::open, () -> timeouts, L7Proxy.MAX_IDLE_PER_SERVER,
                        observers.metrics());
                }
                ClientPipeline.init(channel, new ClockSweeper(channel.eventLoop()), EmbeddedProxy.this::route, backends, draining,
                    timeouts, RequestLimits.DEFAULTS, observers);
            }
        });
        clients.add(channel);
        return new Client(channel);
    }

    /** The configuration's router at the time of the request, as the proxy's reloadable one delegates. */
    private RoutedRequest route(final HttpRequest request, final InetSocketAddress client)
    {
        final RoutedRequest routed = router.route(request, client);
        return filters == null || routed.backend() == null ? routed : new Filtered(routed, filters);
    }

    /** Every request routed from now on gets these filters instead of its route's (a test's own filters). */
    void filters(final FilterChain chain)
    {
        filters = chain;
    }

    /** From now on a new backend connection is not there at once: {@link #connected} makes it so, or fails it. */
    void holdConnects()
    {
        holdConnects = true;
    }

    /** The oldest connection being made is there now ({@code cause} null), or failed with {@code cause}. */
    void connected(final Throwable cause)
    {
        final ChannelPromise promise = connecting.removeFirst();
        if (cause == null)
        {
            promise.setSuccess();
        }
        else
        {
            promise.setFailure(cause);
            promise.channel().close(); // as a socket whose connect failed is
        }
    }

    /**
     * The {@link BackendConnector}: an in-memory connection, set up with the pool's own handlers,
     * its future done at once, as a connection taken from the pool is.
     */
    private ChannelFuture open(final EventLoop loop, final InetSocketAddress server, final ChannelHandler handlers)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(handlers);
        connections.add(new Connection(serverNames.get(server), channel));
        if (holdConnects)
        {
            final ChannelPromise promise = channel.newPromise();
            connecting.add(promise);
            return promise;
        }
        return channel.newSucceededFuture();
    }

    /** Backend connections opened so far, in order (a pooled one is lent again, not opened). */
    List<Connection> connections()
    {
        return List.copyOf(connections);
    }

    /** The one request sent to a backend since the last call: which server got it, and its head. */
    Forwarded forwarded()
    {
        final List<Connection> sent = sentSomething();
        assertThat(sent).as("backend connections that were sent something").hasSize(1);
        final Connection connection = sent.getFirst();
        try (InputStream in = new ByteArrayInputStream(written(connection.channel())))
        {
            final RawHttp.Request request = RawHttp.readRequest(in);
            assertThat(in.available()).as("bytes after the request head").isZero();
            return new Forwarded(connection.server(), request, connection.channel());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** The bytes a backend connection was sent since the last look, as they are (after an upgrade, say). */
    static byte[] backendReceived(final EmbeddedChannel connection)
    {
        return written(connection);
    }

    /** Whether any backend connection was sent something not yet looked at. */
    boolean anythingForwarded()
    {
        return !sentSomething().isEmpty();
    }

    /** The backend connections with bytes written to them that no test has read yet. */
    private List<Connection> sentSomething()
    {
        return connections.stream().filter((connection) -> !connection.channel().outboundMessages().isEmpty()).toList();
    }

    /** The bytes a channel wrote since the last call, its buffers released. */
    private static byte[] written(final EmbeddedChannel channel)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Object message;
        while ((message = channel.readOutbound()) != null)
        {
            try
            {
                assertThat(message).isInstanceOf(ByteBuf.class);
                final ByteBuf buffer = (ByteBuf)message;
                buffer.readBytes(bytes, buffer.readableBytes());
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            finally
            {
                ReferenceCountUtil.release(message);
            }
        }
        return bytes.toByteArray();
    }

    /** Clients first (an exchange still in flight closes its backend connection), then the backends. */
    @Override
    public void close()
    {
        clients.forEach(EmbeddedChannel::finishAndReleaseAll);
        connections.forEach((connection) -> connection.channel().finishAndReleaseAll());
    }

    /** An EmbeddedChannel whose peer has an IP address, as an accepted TCP connection's has: FrontendHandler reads it. */
    private static final class ClientChannel extends EmbeddedChannel
    {
        ClientChannel(final ChannelHandler initializer)
        {
            super(initializer);
        }

        @Override
        protected SocketAddress remoteAddress0()
        {
            return CLIENT;
        }
    }
}
