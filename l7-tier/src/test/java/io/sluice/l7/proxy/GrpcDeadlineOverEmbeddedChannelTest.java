package io.sluice.l7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The grpc-timeout a backend is told, through the proxy's real request path over in-memory
 * channels ({@link EmbeddedProxy}): an HTTP/2 client (Netty's client codec in an EmbeddedChannel,
 * its bytes carried to the proxy's client connection and back) sends calls whose exchanges time
 * themselves, the proxy's clock is frozen and moved by hand, and the backends are the HTTP/1.1
 * servers of an in-memory pool, whose request heads show what they were told. What a backend is
 * told is the time the call has left when the request leaves the proxy: after a slow connect,
 * at a retry, from grpc-timeout or from the route's timeout; a call with no time left gets
 * DEADLINE_EXCEEDED and its request goes nowhere.
 */
@ExtendWith(LeakTracking.class)
final class GrpcDeadlineOverEmbeddedChannelTest
{
    private static final String UNAVAILABLE = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n";

    private final EmbeddedProxy proxy = new EmbeddedProxy();
    /** The proxy's side of the client connection, whose event loop's clock the exchanges go by. */
    private EmbeddedChannel proxySide;
    private EmbeddedChannel client;

    @BeforeEach
    void connect()
    {
        proxy.configure("""
            timeouts: { request: 30s }
            routes: [ { name: grpc, to: grpc } ]
            pools:
              grpc: { servers: [ { name: g1, address: "192.0.2.1:50051" }, { name: g2, address: "192.0.2.2:50051" } ] }
            """);
        proxySide = proxy.connect().channel();
        proxySide.freezeTime();
        client = new EmbeddedChannel(Http2FrameCodecBuilder.forClient().build(),
            new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
        carryBytes();
    }

    @AfterEach
    void close()
    {
        client.finishAndReleaseAll();
        proxy.close();
    }

    @Test
    void aCallThatLeavesAtOnceIsToldItsOwnTimeout()
    {
        call("POST", "content-type", "application/grpc", "grpc-timeout", "2500000u");
        assertThat(proxy.forwarded().request().header("grpc-timeout")).as("the same time, in the largest exact unit")
            .isEqualTo("2500m");
    }

    @Test
    void aSlowConnectIsTakenOffTheTimeTheBackendIsTold()
    {
        proxy.holdConnects();
        call("POST", "content-type", "application/grpc", "grpc-timeout", "5S");
        proxySide.advanceTimeBy(1200, TimeUnit.MILLISECONDS);
        proxy.connected(null);
        assertThat(proxy.forwarded().request().header("grpc-timeout")).isEqualTo("3800m");
    }

    @Test
    void aCallWithoutGrpcTimeoutIsToldWhatIsLeftOfTheRoutesTimeout()
    {
        proxy.holdConnects();
        call("POST", "content-type", "application/grpc");
        proxySide.advanceTimeBy(5, TimeUnit.SECONDS);
        proxy.connected(null);
        assertThat(proxy.forwarded().request().header("grpc-timeout")).isEqualTo("25S");
    }

    @Test
    void aRequestThatIsNotAGrpcCallIsToldNothing()
    {
        call("GET");
        assertThat(proxy.forwarded().request().header("grpc-timeout")).isNull();
    }

    @Test
    void aRetryIsToldTheTimeLeftAtTheRetry()
    {
        // A body-less GET: the one kind of request the proxy retries (a gRPC POST with a message never is).
        call("GET", "content-type", "application/grpc", "grpc-timeout", "5S");
        final EmbeddedProxy.Forwarded first = proxy.forwarded();
        assertThat(first.request().header("grpc-timeout")).isEqualTo("5S");
        proxySide.advanceTimeBy(1, TimeUnit.SECONDS);
        first.answer(UNAVAILABLE);
        final EmbeddedProxy.Forwarded retry = proxy.forwarded();
        assertThat(retry.server()).isNotEqualTo(first.server());
        assertThat(retry.request().header("grpc-timeout")).isEqualTo("4S");
    }

    @Test
    void aDeadlinePassedWhileConnectingIsAnsweredAndTheRequestDoesNotGo()
    {
        proxy.holdConnects();
        final List<Http2Headers> answers = call("POST", "content-type", "application/grpc", "grpc-timeout", "100m");
        proxySide.advanceTimeBy(150, TimeUnit.MILLISECONDS);
        proxy.connected(null);
        carryBytes();

        assertThat(proxy.anythingForwarded()).isFalse();
        assertDeadlineExceeded(answers);
        assertThat(failuresInRow()).as("neither server is blamed: neither was asked").containsOnly(0);
    }

    @Test
    void aDeadlinePassedBeforeTheRetryIsAnsweredWithoutAskingAnotherServer()
    {
        final List<Http2Headers> answers = call("GET", "content-type", "application/grpc", "grpc-timeout", "1S");
        final EmbeddedProxy.Forwarded first = proxy.forwarded();
        proxySide.advanceTimeBy(1500, TimeUnit.MILLISECONDS);
        first.answer(UNAVAILABLE); // before the deadline's timer had its turn on the loop
        carryBytes();

        assertThat(proxy.connections()).as("no connection to another server").hasSize(1);
        assertDeadlineExceeded(answers);
        assertThat(failuresInRow()).as("the server that answered 503 counts it, the other nothing")
            .containsExactlyInAnyOrder(0, 1);
    }

    /** Each server's count of failures in a row, as passive outlier ejection keeps it. */
    private List<Integer> failuresInRow()
    {
        return proxy.router().pools().get("grpc").upstreams().stream()
            .map((upstream) -> proxy.router().outliers().status(upstream).failuresInRow()).toList();
    }

    private static void assertDeadlineExceeded(final List<Http2Headers> answers)
    {
        assertThat(answers).hasSize(1);
        final Http2Headers answer = answers.getFirst();
        assertThat(answer.status()).hasToString("200");
        assertThat(answer.get("grpc-status")).hasToString("4");
        assertThat(answer.get("grpc-message")).hasToString("the deadline passed before the request reached a backend");
    }

    /**
     * Opens a stream and sends a body-less request on it, with these fields besides the pseudo-headers.
     *
     * @return the header blocks the client receives on the stream, as they come.
     */
    private List<Http2Headers> call(final String method, final String... namesAndValues)
    {
        final List<Http2Headers> received = new ArrayList<>();
        final Http2StreamChannel stream = new Http2StreamChannelBootstrap(client).handler(new ChannelInboundHandlerAdapter()
        {
            @Override
            public void channelRead(final ChannelHandlerContext ctx, final Object frame)
            {
                if (frame instanceof Http2HeadersFrame headers)
                {
                    received.add(headers.headers());
                }
                ReferenceCountUtil.release(frame);
            }
        }).open().syncUninterruptibly().getNow();
        final Http2Headers headers = new DefaultHttp2Headers().method(method).scheme("http").path("/sluice.test.Echo/Unary")
            .authority("grpc.test");
        for (int i = 0; i < namesAndValues.length; i += 2)
        {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, true));
        carryBytes();
        return received;
    }

    /** Carries what either side wrote to the other until neither has more to say. */
    private void carryBytes()
    {
        boolean carried = true;
        while (carried)
        {
            carried = false;
            client.flushOutbound();
            proxySide.flushOutbound();
            ByteBuf bytes;
            while ((bytes = client.readOutbound()) != null)
            {
                proxySide.writeInbound(bytes);
                carried = true;
            }
            while ((bytes = proxySide.readOutbound()) != null)
            {
                client.writeInbound(bytes);
                carried = true;
            }
        }
    }
}
