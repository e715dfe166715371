package io.sluice.l7.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each transition of {@link ExchangeState}, made to happen through the proxy's real request
 * path over in-memory channels ({@link EmbeddedProxy}): the client's bytes, the backend's bytes,
 * its connection made, failed or closed, the request deadline. Where two transitions happen in
 * one step of the wire (a 100 Continue and its end), the backend's event is given to the
 * exchange directly, as its connection's handler gives it. Leaks fail the test.
 */
@ExtendWith(LeakTracking.class)
final class ExchangeTransitionsTest
{
    private static final String ONE_SERVER = """
        routes: [{ name: all, match: { host: test }, to: p }]
        pools:
          p: { servers: [{ name: a, address: 198.18.0.1:8080 }] }
        """;
    private static final String TWO_SERVERS = """
        routes: [{ name: all, to: p }]
        pools:
          p: { servers: [{ name: a, address: 198.18.0.1:8080 }, { name: b, address: 198.18.0.2:8080 }] }
        """;
    private static final String GET = "GET /x HTTP/1.1\r\nHost: test\r\n\r\n";
    private static final String POST = "POST /x HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n";
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private final EmbeddedProxy proxy = new EmbeddedProxy();

    @AfterEach
    void close()
    {
        proxy.close();
    }

    private EmbeddedProxy.Client client(final String config)
    {
        proxy.configure(config);
        return proxy.connect();
    }

    /** A request sent and forwarded, no response yet. */
    private record InFlight(EmbeddedProxy.Client client, ProxyExchange exchange, EmbeddedProxy.Forwarded forwarded)
    {
    }

    private InFlight sent(final String config, final String request)
    {
        final EmbeddedProxy.Client client = client(config);
        client.send(request);
        final ProxyExchange exchange = client.exchange();
        return new InFlight(client, exchange, proxy.forwarded());
    }

    /** A GET whose response head and part of its body went to the client. */
    private InFlight streaming()
    {
        final InFlight inFlight = sent(ONE_SERVER, GET);
        inFlight.forwarded().answer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf");
        assertThat(inFlight.exchange().state()).isEqualTo(ExchangeState.STREAMING);
        return inFlight;
    }

    @Test
    void theTableAllowsNothingOutOfAnEndedExchangeAndAbortingFromEveryOtherState()
    {
        for (final ExchangeState from : ExchangeState.values())
        {
            for (final ExchangeState to : ExchangeState.values())
            {
                if (from.ended())
                {
                    assertThat(from.mayGoTo(to)).as(from + " -> " + to).isFalse();
                }
                else if (to == ExchangeState.ABORTED)
                {
                    assertThat(from.mayGoTo(to)).as(from + " -> " + to).isTrue();
                }
            }
        }
        assertThat(ExchangeState.FILTERING.mayGoTo(ExchangeState.STREAMING)).as("no response before a backend").isFalse();
        assertThat(ExchangeState.STREAMING.mayGoTo(ExchangeState.CONNECTING)).as("no retry once the response began").isFalse();
    }

    @Test
    void filteringToDoneWhenNoRouteTakesTheRequestAndItsBodyIsThenReadAndDropped()
    {
        final EmbeddedProxy.Client client = client(ONE_SERVER);

        client.send("POST /x HTTP/1.1\r\nHost: elsewhere\r\nContent-Length: 5\r\n\r\n");
        final ProxyExchange exchange = client.exchange();
        assertThat(exchange.state()).isEqualTo(ExchangeState.DONE);
        assertThat(client.response().status()).isEqualTo(404);

        client.send("hello");
        assertThat(client.exchange()).as("the body read, the connection free for the next request").isNull();
        assertThat(client.isOpen()).isTrue();
        assertThat(proxy.connections()).isEmpty();
    }

    @Test
    void connectingThenAwaitingThenStreamingThenDone()
    {
        final EmbeddedProxy.Client client = client(ONE_SERVER);
        proxy.holdConnects();

        client.send(GET);
        final ProxyExchange exchange = client.exchange();
        assertThat(exchange.state()).isEqualTo(ExchangeState.CONNECTING);
        assertThat(proxy.anythingForwarded()).as("nothing sent before the connection is there").isFalse();

        proxy.connected(null);
        assertThat(exchange.state()).isEqualTo(ExchangeState.AWAITING_RESPONSE);
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();

        forwarded.answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n");
        assertThat(exchange.state()).isEqualTo(ExchangeState.STREAMING);

        forwarded.answer("ok");
        assertThat(exchange.state()).isEqualTo(ExchangeState.DONE);
        assertThat(client.response().text()).isEqualTo("ok");
        assertThat(client.exchange()).isNull();
    }

    @Test
    void connectingAgainAfterAFailedConnectThenToTheOtherServer()
    {
        final EmbeddedProxy.Client client = client(TWO_SERVERS);
        proxy.holdConnects();

        client.send(GET);
        final ProxyExchange exchange = client.exchange();
        proxy.connected(new ConnectException("refused"));
        assertThat(exchange.state()).as("retried: another connection being made").isEqualTo(ExchangeState.CONNECTING);

        proxy.connected(null);
        assertThat(exchange.state()).isEqualTo(ExchangeState.AWAITING_RESPONSE);
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        assertThat(forwarded.server()).isEqualTo(proxy.connections().get(1).server());
        assertThat(proxy.connections().get(0).server()).isNotEqualTo(forwarded.server());
        forwarded.answer(OK);
        assertThat(client.response().status()).isEqualTo(200);
    }

    @Test
    void connectingToDoneWhenAConnectFailsForARequestThatIsNeverRetried()
    {
        final EmbeddedProxy.Client client = client(TWO_SERVERS);
        proxy.holdConnects();

        client.send(POST);
        final ProxyExchange exchange = client.exchange();
        proxy.connected(new ConnectException("refused"));

        assertThat(exchange.state()).isEqualTo(ExchangeState.DONE);
        assertThat(client.response().status()).isEqualTo(502);
        assertThat(proxy.connections()).as("not sent twice").hasSize(1);
    }

    @Test
    void informationalThenAwaitingTheFinalResponse()
    {
        final EmbeddedProxy.Client client = client(ONE_SERVER);
        client.send(GET);
        final ProxyExchange exchange = client.exchange();
        proxy.forwarded();

        exchange.response(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        assertThat(exchange.state()).isEqualTo(ExchangeState.INFORMATIONAL);
        exchange.responseContent(LastHttpContent.EMPTY_LAST_CONTENT);
        exchange.flushToClient();
        assertThat(exchange.state()).as("its end is not the exchange's").isEqualTo(ExchangeState.AWAITING_RESPONSE);
        assertThat(client.received()).startsWith("HTTP/1.1 100 Continue\r\n");

        proxy.connections().getFirst().channel().writeInbound(Unpooled.copiedBuffer(OK, StandardCharsets.US_ASCII));
        assertThat(exchange.state()).isEqualTo(ExchangeState.DONE);
        assertThat(client.response().status()).isEqualTo(200);
    }

    @Test
    void discardingA503ThenConnectingToAnotherServer()
    {
        final InFlight inFlight = sent(TWO_SERVERS, GET);
        final EmbeddedProxy.Client client = inFlight.client();
        final ProxyExchange exchange = inFlight.exchange();
        final EmbeddedProxy.Forwarded first = inFlight.forwarded();

        first.answer("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\n");
        assertThat(exchange.state()).isEqualTo(ExchangeState.DISCARDING);
        proxy.holdConnects();
        first.answer("busy");
        assertThat(exchange.state()).isEqualTo(ExchangeState.CONNECTING);
        assertThat(first.connection().isOpen()).as("the failed server's connection closed").isFalse();

        proxy.connected(null);
        final EmbeddedProxy.Forwarded second = proxy.forwarded();
        assertThat(second.server()).isNotEqualTo(first.server());
        second.answer(OK);
        assertThat(exchange.state()).isEqualTo(ExchangeState.DONE);
        assertThat(client.response().status()).as("the 503 never reached the client").isEqualTo(200);
    }

    @Test
    void discardingToDoneWhenNoOtherServerIsThere()
    {
        final InFlight inFlight = sent(ONE_SERVER, GET);
        final EmbeddedProxy.Client client = inFlight.client();
        final ProxyExchange exchange = inFlight.exchange();
        final EmbeddedProxy.Forwarded forwarded = inFlight.forwarded();

        forwarded.answer("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy");

        assertThat(exchange.state()).isEqualTo(ExchangeState.DONE);
        final RawHttp.Response response = client.response();
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.text()).contains("no other server to try");
    }

    @Test
    void awaitingToConnectingWhenThePooledConnectionClosesWithoutAResponse()
    {
        final InFlight inFlight = sent(TWO_SERVERS, GET);
        final EmbeddedProxy.Client client = inFlight.client();
        final ProxyExchange exchange = inFlight.exchange();
        final EmbeddedProxy.Forwarded first = inFlight.forwarded();
        proxy.holdConnects();

        first.connection().close();
        assertThat(exchange.state()).isEqualTo(ExchangeState.CONNECTING);
        proxy.connected(null);
        proxy.forwarded().answer(OK);
        assertThat(client.response().status()).isEqualTo(200);
    }

    @Test
    void awaitingToDoneWithA502WhenTheBackendClosesOnARequestNeverRetried()
    {
        final EmbeddedProxy.Client client = client(TWO_SERVERS);
        client.send(POST);
        final ProxyExchange exchange = client.exchange();

        proxy.forwarded().connection().close();

        assertThat(exchange.state()).isEqualTo(ExchangeState.DONE);
        assertThat(client.response().status()).isEqualTo(502);
    }

    @Test
    void awaitingToDoneWithA504AtTheDeadline()
    {
        final InFlight inFlight = sent(ONE_SERVER, GET);
        final EmbeddedProxy.Client client = inFlight.client();
        final ProxyExchange exchange = inFlight.exchange();
        final EmbeddedProxy.Forwarded forwarded = inFlight.forwarded();

        exchange.timedOut(); // as the connection's clock does when the request timeout passes

        assertThat(exchange.state()).isEqualTo(ExchangeState.DONE);
        assertThat(client.response().status()).isEqualTo(504);
        assertThat(forwarded.connection().isOpen()).isFalse();
    }

    @Test
    void anEventStreamIsNotTimedOutAndEndsWithItsBody()
    {
        final InFlight inFlight = sent(ONE_SERVER, GET);
        final EmbeddedProxy.Client client = inFlight.client();
        final ProxyExchange exchange = inFlight.exchange();
        final EmbeddedProxy.Forwarded forwarded = inFlight.forwarded();

        forwarded.answer("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n7\r\ndata: 1\r\n");
        assertThat(exchange.state()).isEqualTo(ExchangeState.EVENT_STREAM);
        assertThat(exchange.longLived()).isTrue();
        exchange.timedOut();
        assertThat(exchange.state()).as("only the long idle timeout ends it").isEqualTo(ExchangeState.EVENT_STREAM);

        forwarded.answer("0\r\n\r\n");
        assertThat(exchange.state()).isEqualTo(ExchangeState.DONE);
        assertThat(client.received()).contains("data: 1").endsWith("0\r\n\r\n");
    }

    /** A WebSocket handshake with RFC 6455 1.3's sample key, sent by a new client. */
    private EmbeddedProxy.Client webSocketClient()
    {
        final EmbeddedProxy.Client client = client(ONE_SERVER);
        client.send("GET /ws HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        return client;
    }

    /** A backend's 101 to {@link #webSocketClient}, with RFC 6455 1.3's answer to its key, and {@code after} in the same read. */
    private static String accepted(final String after)
    {
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n" + after;
    }

    @Test
    void upgradedRelaysBytesBothWaysUntilTheBackendCloses()
    {
        final EmbeddedProxy.Client client = webSocketClient();
        final ProxyExchange exchange = client.exchange();
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();

        forwarded.answer(accepted(""));
        assertThat(exchange.state()).isEqualTo(ExchangeState.UPGRADED);
        assertThat(client.received()).startsWith("HTTP/1.1 101 Switching Protocols\r\n");

        client.send("ping");
        assertThat(new String(EmbeddedProxy.backendReceived(forwarded.connection()), StandardCharsets.US_ASCII)).isEqualTo("ping");
        forwarded.answer("pong");
        assertThat(client.received()).isEqualTo("pong");

        forwarded.connection().close();
        assertThat(exchange.state()).isEqualTo(ExchangeState.DONE);
        assertThat(client.isOpen()).isFalse();
    }

    /** A 101 whose Sec-WebSocket-Accept does not answer the key switched to something else: 502, the backend closed. */
    @Test
    void anUpgradeWhoseAcceptDoesNotAnswerTheKeyIsABadGateway()
    {
        final EmbeddedProxy.Client client = webSocketClient();
        final ProxyExchange exchange = client.exchange();
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();

        forwarded.answer(accepted("").replace("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "bm90IHRoZSBhbnN3ZXI="));
        assertThat(exchange.state()).isEqualTo(ExchangeState.DONE);
        assertThat(client.received()).startsWith("HTTP/1.1 502 Bad Gateway\r\n")
            .contains("Sec-WebSocket-Accept does not answer the key");
        assertThat(forwarded.connection().isOpen()).isFalse();
    }

    /** A server may send its first frames in the same segment as its 101: they reach the client after it, unchanged. */
    @Test
    void bytesThatCameWithThe101FollowItToTheClient()
    {
        final EmbeddedProxy.Client client = webSocketClient();
        final ProxyExchange exchange = client.exchange();

        proxy.forwarded().answer(accepted("greeting"));
        assertThat(exchange.state()).isEqualTo(ExchangeState.UPGRADED);
        assertThat(client.received()).startsWith("HTTP/1.1 101 Switching Protocols\r\n").endsWith("\r\n\r\ngreeting");
    }

    @Test
    void streamingToAbortedWhenTheClientGoes()
    {
        final InFlight inFlight = streaming();
        final EmbeddedProxy.Client client = inFlight.client();
        final ProxyExchange exchange = inFlight.exchange();
        final EmbeddedProxy.Forwarded forwarded = inFlight.forwarded();

        client.close();

        assertThat(exchange.state()).isEqualTo(ExchangeState.ABORTED);
        assertThat(forwarded.connection().isOpen()).as("the rest of the response is nobody's").isFalse();
    }

    @Test
    void streamingToAbortedWhenTheBackendClosesMidBody()
    {
        final InFlight inFlight = streaming();
        final EmbeddedProxy.Client client = inFlight.client();
        final ProxyExchange exchange = inFlight.exchange();
        final EmbeddedProxy.Forwarded forwarded = inFlight.forwarded();

        forwarded.connection().close();

        assertThat(exchange.state()).isEqualTo(ExchangeState.ABORTED);
        assertThat(client.isOpen()).as("only closing tells the client").isFalse();
    }

    @Test
    void streamingToAbortedAtTheDeadline()
    {
        final InFlight inFlight = streaming();
        final EmbeddedProxy.Client client = inFlight.client();
        final ProxyExchange exchange = inFlight.exchange();
        final EmbeddedProxy.Forwarded forwarded = inFlight.forwarded();

        exchange.timedOut();

        assertThat(exchange.state()).isEqualTo(ExchangeState.ABORTED);
        assertThat(client.isOpen()).isFalse();
        assertThat(forwarded.connection().isOpen()).isFalse();
    }

    @Test
    void anEndedExchangeIgnoresLateEvents()
    {
        final InFlight inFlight = sent(ONE_SERVER, GET);
        final EmbeddedProxy.Client client = inFlight.client();
        final ProxyExchange exchange = inFlight.exchange();
        final EmbeddedProxy.Forwarded forwarded = inFlight.forwarded();
        exchange.timedOut();
        assertThat(client.response().status()).isEqualTo(504);

        exchange.timedOut();
        exchange.backendInactive();
        exchange.response(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        exchange.responseContent(new DefaultLastHttpContent(Unpooled.copiedBuffer("late", StandardCharsets.US_ASCII)));
        exchange.clientGone();

        assertThat(exchange.state()).isEqualTo(ExchangeState.DONE);
        assertThat(client.received()).as("nothing more reached the client").isEmpty();
        assertThat(forwarded.connection().isOpen()).isFalse();
    }
}
