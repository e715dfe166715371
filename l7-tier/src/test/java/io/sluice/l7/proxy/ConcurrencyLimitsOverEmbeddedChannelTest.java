package io.sluice.l7.proxy;

import io.sluice.l7.balance.PoolBalancer;
import io.sluice.l7.balance.Upstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ConnectException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pools' limits on requests in flight through the proxy's real request path over in-memory
 * channels ({@link EmbeddedProxy}): each client connection is its own event loop, as on the
 * proxy, so a slot freed by one exchange reaches a waiting one as a task on that one's loop.
 * N requests go, the next waits (no backend sees it) and goes when one ends, in arrival order;
 * a full queue and the queue's timeout are answered 503 with Retry-After and counted; a client
 * that goes while it waits leaves the queue; and every way an exchange ends (a response, a
 * retry after a failed connect, a 504, the client gone, the backend gone, a WebSocket closed)
 * gives its slot back exactly once. Leaks fail the test.
 */
@ExtendWith(LeakTracking.class)
final class ConcurrencyLimitsOverEmbeddedChannelTest
{
    private static final String ONE_SLOT = """
        routes: [{ name: all, to: p }]
        pools:
          p:
            servers: [{ name: a, address: 198.18.0.1:8080, max_requests: 1 }]
            queue: { size: 2, timeout: 100ms }
        """;
    private static final String TWO_SERVERS_ONE_SLOT_EACH = """
        routes: [{ name: all, to: p }]
        pools:
          p:
            servers:
              - { name: a, address: 198.18.0.1:8080, max_requests: 1 }
              - { name: b, address: 198.18.0.2:8080, max_requests: 1 }
        """;
    private static final String GET = "GET /x HTTP/1.1\r\nHost: test\r\n\r\n";
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private final EmbeddedProxy proxy = new EmbeddedProxy();

    @AfterEach
    void close()
    {
        proxy.close();
    }

    private PoolBalancer pool()
    {
        return proxy.router().pools().get("p");
    }

    private EmbeddedProxy.Client sent(final String request)
    {
        final EmbeddedProxy.Client client = proxy.connect();
        client.send(request);
        return client;
    }

    @Test
    void oneInFlightTheOthersWaitUnseenByTheBackendAndGoInArrivalOrder()
    {
        proxy.configure(ONE_SLOT);
        final EmbeddedProxy.Client first = sent(GET);
        final EmbeddedProxy.Forwarded toA = proxy.forwarded();
        final EmbeddedProxy.Client second = sent(GET);
        final EmbeddedProxy.Client third = sent(GET);

        assertThat(second.exchange().state()).isEqualTo(ExchangeState.QUEUED);
        assertThat(third.exchange().state()).isEqualTo(ExchangeState.QUEUED);
        assertThat(proxy.anythingForwarded()).as("no backend sees a waiting request").isFalse();
        assertThat(pool().inFlight()).isEqualTo(1);
        assertThat(pool().waiting()).isEqualTo(2);

        toA.answer(OK);
        assertThat(first.response().status()).isEqualTo(200);
        second.runPendingTasks();
        third.runPendingTasks();
        assertThat(third.exchange().state()).as("it came after").isEqualTo(ExchangeState.QUEUED);
        final EmbeddedProxy.Forwarded secondToA = proxy.forwarded();
        secondToA.answer(OK);
        assertThat(second.response().status()).isEqualTo(200);

        third.runPendingTasks();
        proxy.forwarded().answer(OK);
        assertThat(third.response().status()).isEqualTo(200);
        assertThat(pool().inFlight()).isZero();
        assertThat(pool().waiting()).isZero();
        assertThat(proxy.metrics().prometheusText()).contains("sluice_l7_pool_queue_wait_seconds_count{pool=\"p\"} 2");
    }

    @Test
    void aFullQueueAndTheQueuesTimeoutAreAnswered503WithRetryAfterAndCounted()
    {
        proxy.configure(ONE_SLOT);
        sent(GET);
        proxy.forwarded();
        final EmbeddedProxy.Client waits = sent(GET);
        sent(GET);

        final EmbeddedProxy.Client overflows = sent(GET);
        final RawHttp.Response full = overflows.response();
        assertThat(full.status()).isEqualTo(503);
        assertThat(full.header("Retry-After")).isEqualTo("1");
        assertThat(overflows.isOpen()).as("a well-formed request: the connection stays").isTrue();

        waits.advanceTime(100);
        final RawHttp.Response timedOut = waits.response();
        assertThat(timedOut.status()).isEqualTo(503);
        assertThat(timedOut.header("Retry-After")).isEqualTo("1");
        assertThat(waits.exchange()).isNull();

        assertThat(proxy.metrics().concurrency().queueOverflows("p")).isEqualTo(1);
        assertThat(proxy.metrics().concurrency().queueTimeouts("p")).isEqualTo(1);
        assertThat(proxy.metrics().refusedRequests()).containsEntry("queue_full", 1L).containsEntry("queue_timeout", 1L);
        assertThat(pool().waiting()).isEqualTo(1);
        assertThat(pool().inFlight()).isEqualTo(1);
    }

    @Test
    void aClientThatGoesWhileItWaitsLeavesTheQueueAtOnce()
    {
        proxy.configure(ONE_SLOT);
        sent(GET);
        final EmbeddedProxy.Forwarded toA = proxy.forwarded();
        final EmbeddedProxy.Client gone = sent(GET);
        assertThat(pool().waiting()).isEqualTo(1);

        gone.close();

        assertThat(pool().waiting()).isZero();
        toA.answer(OK);
        gone.runPendingTasks();
        assertThat(proxy.anythingForwarded()).isFalse();
        assertThat(pool().inFlight()).isZero();
    }

    @Test
    void aRetryAfterAFailedConnectGivesItsFirstSlotBackAndTakesOneOnTheOtherServer()
    {
        proxy.configure(TWO_SERVERS_ONE_SLOT_EACH);
        proxy.holdConnects();
        final EmbeddedProxy.Client client = sent(GET);
        final String first = proxy.connections().getFirst().server();

        proxy.connected(new ConnectException("refused"));

        final String second = proxy.connections().get(1).server();
        assertThat(second).isNotEqualTo(first);
        assertThat(pool().upstream(first).inFlight()).isZero();
        assertThat(pool().upstream(second).inFlight()).isEqualTo(1);
        proxy.connected(null);
        proxy.forwarded().answer(OK);
        assertThat(client.response().status()).isEqualTo(200);
        assertThat(slots()).containsOnly(0);
    }

    @Test
    void everyEndOfAnExchangeGivesItsSlotBackOnce()
    {
        proxy.configure(TWO_SERVERS_ONE_SLOT_EACH);

        final EmbeddedProxy.Client timedOut = sent(GET);
        proxy.forwarded();
        timedOut.exchange().timedOut(); // as the connection's clock does when the request timeout passes
        assertThat(timedOut.response().status()).isEqualTo(504);
        assertThat(slots()).containsOnly(0);

        final EmbeddedProxy.Client gone = sent(GET);
        proxy.forwarded();
        gone.close();
        assertThat(slots()).containsOnly(0);

        final EmbeddedProxy.Client backendGone = sent("POST /x HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n");
        proxy.forwarded().connection().close();
        assertThat(backendGone.response().status()).isEqualTo(502);
        assertThat(slots()).containsOnly(0);

        final EmbeddedProxy.Client webSocket = sent("GET /ws HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        final EmbeddedProxy.Forwarded upgraded = proxy.forwarded();
        upgraded.answer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
        assertThat(webSocket.exchange().state()).isEqualTo(ExchangeState.UPGRADED);
        assertThat(pool().inFlight()).as("a WebSocket holds its slot while it is open, as HAProxy's tunnel does").isEqualTo(1);
        upgraded.connection().close();
        assertThat(slots()).containsOnly(0);
        assertThat(pool().inFlight()).isZero();
    }

    /** Each server's requests in flight. */
    private List<Integer> slots()
    {
        return pool().upstreams().stream().map(Upstream::inFlight).toList();
    }
}
