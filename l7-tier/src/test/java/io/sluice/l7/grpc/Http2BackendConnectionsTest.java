package io.sluice.l7.grpc;

import io.grpc.stub.ClientCalls;
import io.sluice.l7.metrics.BackendStreams;
import io.sluice.l7.proxy.LeakTracking;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * sluice's HTTP/2 connections to an h2c backend, counted at the backend (a grpc-java server):
 * concurrent calls share one connection as streams, a pool's {@code max_streams} opens another
 * connection when one is full, and a GOAWAY from the server drains its connection (the call in
 * flight finishes on it, the next goes on a new one).
 */
@ExtendWith(LeakTracking.class)
class Http2BackendConnectionsTest
{
    private GrpcBackend backend;
    private ProxiedGrpc proxied;

    @AfterEach
    void close() throws InterruptedException
    {
        ProxiedGrpc.close(proxied, backend);
    }

    @Test
    void concurrentCallsAreStreamsOfOneConnection() throws Exception
    {
        backend = new GrpcBackend("g1");
        proxied = ProxiedGrpc.to(backend.address());
        final List<GrpcThroughProxyTest.Collected> calls = holdCalls(50);
        final BackendStreams streams = proxied.server.metrics().backendStreams();
        waitUntil(() -> backend.heldCalls() == 50);
        assertThat(streams.active()).isEqualTo(50);
        assertThat(backend.connections()).isEqualTo(1);
        backend.release.countDown();
        for (int i = 0; i < calls.size(); i++)
        {
            assertThat(calls.get(i).done.get(10, TimeUnit.SECONDS)).isNull();
            assertThat(calls.get(i).messages).containsExactly("released:" + i);
        }
        waitUntil(() -> streams.active() == 0);
        assertThat(proxied.server.metrics().prometheusText()).contains("sluice_l7_backend_http2_streams_opened_total 50");
    }

    @Test
    void aFullConnectionMakesTheNextStreamOpenAnother() throws Exception
    {
        backend = new GrpcBackend("g1");
        proxied = new ProxiedGrpc("[{ name: g1, address: \"" + backend.address() + "\" }]", "max_streams: 10", "30s");
        final List<GrpcThroughProxyTest.Collected> calls = holdCalls(25);
        waitUntil(() -> backend.heldCalls() == 25);
        assertThat(backend.connections()).isEqualTo(3);
        backend.release.countDown();
        for (final GrpcThroughProxyTest.Collected call : calls)
        {
            assertThat(call.done.get(10, TimeUnit.SECONDS)).isNull();
        }
    }

    @Test
    void aGoAwayLetsTheCallInFlightFinishAndSendsTheNextToANewConnection() throws Exception
    {
        backend = new GrpcBackend("g1", Duration.ofSeconds(1));
        proxied = ProxiedGrpc.to(backend.address());
        final BackendStreams streams = proxied.server.metrics().backendStreams();
        final List<GrpcThroughProxyTest.Collected> held = holdCalls(1);
        waitUntil(() -> backend.heldCalls() == 1);
        waitUntil(() -> streams.goAwaysReceived() > 0); // the server's connection age is up
        assertThat(ClientCalls.blockingUnaryCall(proxied.channel, EchoService.UNARY, ProxiedGrpc.within(5), "next"))
            .isEqualTo("echo:next");
        assertThat(backend.connections()).isEqualTo(2);
        backend.release.countDown();
        assertThat(held.getFirst().done.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(held.getFirst().messages).containsExactly("released:0");
    }

    /** {@code count} calls of {@link EchoService#HELD}, each answered once the backend's latch is released. */
    private List<GrpcThroughProxyTest.Collected> holdCalls(final int count)
    {
        final List<GrpcThroughProxyTest.Collected> calls = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final GrpcThroughProxyTest.Collected call = new GrpcThroughProxyTest.Collected();
            ClientCalls.asyncUnaryCall(proxied.channel.newCall(EchoService.HELD, ProxiedGrpc.within(30)), Integer.toString(i),
                call);
            calls.add(call);
        }
        return calls;
    }

    private static void waitUntil(final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
