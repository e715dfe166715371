package io.sluice.l7.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.sluice.l7.proxy.LeakTracking;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * gRPC end to end through sluice: a grpc-java client speaking h2c to the proxy, which speaks h2c
 * to a grpc-java server. The four call kinds pass with their trailers; a failing call's status and
 * message reach the client; the proxy's own errors (a timeout, a server it cannot reach) come as
 * gRPC statuses; a call's grpc-timeout shortens the request deadline, and the backend is told
 * the time the call has left when its request leaves the proxy (the server's own deadline is that
 * much shorter); curl (prior knowledge) and an HTTP/1.1 client get the same call's trailers.
 */
@ExtendWith(LeakTracking.class)
class GrpcThroughProxyTest
{
    private final GrpcBackend backend = new GrpcBackend("g1");
    private ProxiedGrpc proxied;

    @AfterEach
    void close() throws InterruptedException
    {
        ProxiedGrpc.close(proxied, backend);
    }

    @Test
    void unaryCallPassesWithItsTrailers()
    {
        proxied = ProxiedGrpc.to(backend.address());
        assertThat(ClientCalls.blockingUnaryCall(proxied.channel, EchoService.UNARY, ProxiedGrpc.within(5), "hi"))
            .isEqualTo("echo:hi");
        assertThat(proxied.trailers.get().get(EchoService.SERVED_BY)).isEqualTo("g1");
    }

    @Test
    void serverStreamingCallPassesEveryMessage()
    {
        proxied = ProxiedGrpc.to(backend.address());
        final List<String> received = new ArrayList<>();
        final Iterator<String> messages = ClientCalls.blockingServerStreamingCall(proxied.channel, EchoService.COUNT,
            ProxiedGrpc.within(5), "5");
        messages.forEachRemaining(received::add);
        assertThat(received).containsExactly("1", "2", "3", "4", "5");
        assertThat(proxied.trailers.get().get(EchoService.SERVED_BY)).isEqualTo("g1");
    }

    @Test
    void clientStreamingCallPassesEveryMessage() throws Exception
    {
        proxied = ProxiedGrpc.to(backend.address());
        final Collected answer = new Collected();
        final StreamObserver<String> requests = ClientCalls.asyncClientStreamingCall(
            proxied.channel.newCall(EchoService.JOIN, ProxiedGrpc.within(5)), answer);
        requests.onNext("a");
        requests.onNext("b");
        requests.onNext("c");
        requests.onCompleted();
        assertThat(answer.done.get(5, TimeUnit.SECONDS)).isNull();
        assertThat(answer.messages).containsExactly("a+b+c");
    }

    @Test
    void bidirectionalCallAnswersEachMessageBeforeTheNextIsSent() throws Exception
    {
        proxied = ProxiedGrpc.to(backend.address());
        final Collected answers = new Collected();
        final StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(
            proxied.channel.newCall(EchoService.CHAT, ProxiedGrpc.within(5)), answers);
        for (int i = 1; i <= 3; i++)
        {
            requests.onNext("m" + i);
            assertThat(answers.queue.poll(5, TimeUnit.SECONDS)).isEqualTo("re:m" + i); // the stream is open both ways
        }
        requests.onCompleted();
        assertThat(answers.done.get(5, TimeUnit.SECONDS)).isNull();
        assertThat(proxied.trailers.get().get(EchoService.SERVED_BY)).isEqualTo("g1");
    }

    @Test
    void aFailedCallsStatusMessageAndTrailersReachTheClient()
    {
        proxied = ProxiedGrpc.to(backend.address());
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(proxied.channel, EchoService.FAIL, ProxiedGrpc.within(5), "x"))
            .isInstanceOfSatisfying(StatusRuntimeException.class, (failure) ->
            {
                assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                assertThat(failure.getStatus().getDescription()).isEqualTo("no such thing: x");
                assertThat(failure.getTrailers().get(EchoService.SERVED_BY)).isEqualTo("g1");
            });
    }

    @Test
    void theRoutesTimeoutEndsACallAsDeadlineExceeded()
    {
        proxied = new ProxiedGrpc("[{ name: g1, address: \"" + backend.address() + "\" }]", "", "300ms");
        final long start = System.nanoTime();
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(proxied.channel, EchoService.HELD, ProxiedGrpc.within(30), "x"))
            .isInstanceOfSatisfying(StatusRuntimeException.class, (failure) ->
            {
                assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
                assertThat(failure.getStatus().getDescription()).isEqualTo("the backend did not answer within 300 ms");
            });
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
    }

    @Test
    void aServerThatCannotBeReachedIsUnavailable()
    {
        proxied = ProxiedGrpc.to("127.0.0.1:" + ProxiedGrpc.freePort());
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(proxied.channel, EchoService.UNARY, ProxiedGrpc.within(5), "x"))
            .isInstanceOfSatisfying(StatusRuntimeException.class, (failure) ->
            {
                assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(failure.getStatus().getDescription()).startsWith("cannot connect to the backend");
            });
    }

    /**
     * curl with prior knowledge: the answer's message, then its trailers; a grpc-timeout shorter
     * than the route's is the deadline; and the server is told less than the exactly 5S curl sent,
     * the time left once the request left the proxy.
     */
    @Test
    void curlGetsTheTrailersAndItsGrpcTimeoutIsTheDeadline() throws Exception
    {
        proxied = ProxiedGrpc.to(backend.address());
        final Path frame = Files.createTempFile("grpc-frame", ".bin");
        try
        {
            Files.write(frame, grpcFrame("curl"));
            final String unary = curl(frame, "/sluice.test.Echo/Unary", "5S");
            assertThat(unary).contains("HTTP/2 200").contains("grpc-status: 0").contains("x-served-by: g1");
            final String received = field(unary, EchoService.RECEIVED_TIMEOUT.name());
            assertThat(GrpcTimeout.nanos(received)).as(received).isLessThan(TimeUnit.SECONDS.toNanos(5))
                .isGreaterThan(TimeUnit.SECONDS.toNanos(4));
            final long start = System.nanoTime();
            final String held = curl(frame, "/sluice.test.Echo/Held", "300m");
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10)); // not the route's 30 s
            assertThat(held).contains("HTTP/2 200").contains("grpc-status: 4")
                .contains("grpc-message: the backend did not answer within 300 ms");
        }
        finally
        {
            Files.delete(frame);
        }
    }

    /** A client that gives 20 s to a route of 2 s: the server's deadline is what is left of the 2 s. */
    @Test
    void theServersDeadlineIsWhatIsLeftOfTheRoutesShorterTimeout()
    {
        proxied = new ProxiedGrpc("[{ name: g1, address: \"" + backend.address() + "\" }]", "", "2s");
        final long leftMs = Long.parseLong(ClientCalls.blockingUnaryCall(proxied.channel, EchoService.DEADLINE,
            ProxiedGrpc.within(20), "x"));
        assertThat(leftMs).isBetween(1_000L, 2_000L);
        final String received = proxied.trailers.get().get(EchoService.RECEIVED_TIMEOUT);
        assertThat(GrpcTimeout.nanos(received)).as(received).isLessThanOrEqualTo(TimeUnit.SECONDS.toNanos(2));
    }

    /** An HTTP/1.1 client gets the call's trailers as chunked trailers. */
    @Test
    void anHttp1ClientGetsTheTrailersInTheLastChunk() throws Exception
    {
        proxied = ProxiedGrpc.to(backend.address());
        final byte[] body = grpcFrame("h1");
        try (Socket socket = new Socket("127.0.0.1", proxied.port))
        {
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            out.write(("POST /sluice.test.Echo/Unary HTTP/1.1\r\nHost: test\r\nContent-Type: application/grpc\r\n" +
                "TE: trailers\r\n" +
                "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            final String response = new String(readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked")
                .contains("echo:h1");
            final String afterLastChunk = response.substring(response.lastIndexOf("\r\n0\r\n") + 5);
            assertThat(afterLastChunk).containsIgnoringCase("grpc-status: 0").containsIgnoringCase("x-served-by: g1");
        }
    }

    private String curl(final Path body, final String path, final String grpcTimeout) throws IOException, InterruptedException
    {
        final Process curl = new ProcessBuilder("curl", "-sS", "--http2-prior-knowledge", "-D", "-", "-o", "/dev/null",
            "--max-time", "20",
            "-H", "content-type: application/grpc", "-H", "te: trailers", "-H", "grpc-timeout: " + grpcTimeout,
            "--data-binary", "@" + body, "http://127.0.0.1:" + proxied.port + path).redirectErrorStream(true).start();
        final String output = new String(readAll(curl.getInputStream()), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(curl.exitValue()).as(output).isZero();
        return output;
    }

    /** The value of the field {@code name} in curl's dump of the heads and trailers it got. */
    private static String field(final String dump, final String name)
    {
        return dump.lines().filter((line) -> line.regionMatches(true, 0, name + ": ", 0, name.length() + 2))
            .map((line) -> line.substring(name.length() + 2).strip()).findFirst()
            .orElseThrow(() -> new AssertionError(name + " in " + dump));
    }

    /** A gRPC length-prefixed message: not compressed, 4 bytes of length, the UTF-8 text. */
    static byte[] grpcFrame(final String text)
    {
        final byte[] message = text.getBytes(StandardCharsets.UTF_8);
        final byte[] frame = new byte[5 + message.length];
        frame[4] = (byte)message.length;
        System.arraycopy(message, 0, frame, 5, message.length);
        return frame;
    }

    private static byte[] readAll(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toByteArray();
    }

    /** A call's answers as they come, and its end. */
    static final class Collected implements StreamObserver<String>
    {
        final List<String> messages = new ArrayList<>();
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        @Override
        public void onNext(final String message)
        {
            messages.add(message);
            queue.add(message);
        }

        @Override
        public void onError(final Throwable error)
        {
            done.completeExceptionally(error);
        }

        @Override
        public void onCompleted()
        {
            done.complete(null);
        }
    }
}
