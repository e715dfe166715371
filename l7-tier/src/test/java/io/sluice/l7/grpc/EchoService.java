package io.sluice.l7.grpc;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.ForwardingServerCall;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gRPC service for the tests, defined with grpc-java's own MethodDescriptor and a UTF-8 string
 * marshaller (no protoc): one method of each call kind, one that fails with a status, one that
 * answers only once the test lets it, and one that answers the time its call has left as the
 * server sees it. Every answer carries an {@code x-served-by} trailer, and the grpc-timeout the
 * request came with in an {@code x-received-grpc-timeout} trailer.
 */
final class EchoService
{
    static final String SERVICE = "sluice.test.Echo";
    static final Metadata.Key<String> SERVED_BY = Metadata.Key.of("x-served-by", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> RECEIVED_TIMEOUT = Metadata.Key.of("x-received-grpc-timeout",
        Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> GRPC_TIMEOUT = Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER);

    /** Before the descriptors, which take it as they are made. */
    private static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>()
    {
        @Override
        public InputStream stream(final String value)
        {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(final InputStream stream)
        {
            try
            {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    };

    static final MethodDescriptor<String, String> UNARY = method(MethodDescriptor.MethodType.UNARY, "Unary");
    static final MethodDescriptor<String, String> COUNT = method(MethodDescriptor.MethodType.SERVER_STREAMING, "Count");
    static final MethodDescriptor<String, String> JOIN = method(MethodDescriptor.MethodType.CLIENT_STREAMING, "Join");
    static final MethodDescriptor<String, String> CHAT = method(MethodDescriptor.MethodType.BIDI_STREAMING, "Chat");
    static final MethodDescriptor<String, String> FAIL = method(MethodDescriptor.MethodType.UNARY, "Fail");
    static final MethodDescriptor<String, String> HELD = method(MethodDescriptor.MethodType.UNARY, "Held");
    /** Answers the milliseconds its call has left by the server's deadline, or "none". */
    static final MethodDescriptor<String, String> DEADLINE = method(MethodDescriptor.MethodType.UNARY, "Deadline");
    /** grpc.health.v1.Health/Check; its answer, a HealthCheckResponse saying SERVING, is two bytes of protobuf. */
    static final MethodDescriptor<String, String> HEALTH = MethodDescriptor.<String, String>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName("grpc.health.v1.Health", "Check"))
        .setRequestMarshaller(UTF8)
        .setResponseMarshaller(UTF8)
        .build();
    private static final String SERVING = "\u0008\u0001";


    private EchoService()
    {
    }

    /** The health service, answering SERVING and counting the checks in {@code checks}. */
    static ServerServiceDefinition health(final AtomicInteger checks)
    {
        return ServerServiceDefinition.builder("grpc.health.v1.Health")
            .addMethod(HEALTH, ServerCalls.asyncUnaryCall((request, response) ->
            {
                checks.incrementAndGet();
                response.onNext(SERVING);
                response.onCompleted();
            }))
            .build();
    }

    private static MethodDescriptor<String, String> method(final MethodDescriptor.MethodType type, final String name)
    {
        return MethodDescriptor.<String, String>newBuilder()
            .setType(type)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
            .setRequestMarshaller(UTF8)
            .setResponseMarshaller(UTF8)
            .build();
    }

    /**
     * @param name    what {@code x-served-by} says.
     * @param release {@link #HELD} calls answer once it is counted down.
     * @param held    counts the {@link #HELD} calls that reached the server.
     */
    static ServerServiceDefinition definition(final String name, final CountDownLatch release, final AtomicInteger held)
    {
        final ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
            .addMethod(UNARY, ServerCalls.asyncUnaryCall((request, response) ->
            {
                response.onNext("echo:" + request);
                response.onCompleted();
            }))
            .addMethod(COUNT, ServerCalls.asyncServerStreamingCall((request, response) ->
            {
                for (int i = 1; i <= Integer.parseInt(request); i++)
                {
                    response.onNext(Integer.toString(i));
                }
                response.onCompleted();
            }))
            .addMethod(JOIN, ServerCalls.asyncClientStreamingCall(EchoService::join))
            .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(EchoService::chat))
            .addMethod(FAIL, ServerCalls.asyncUnaryCall((request, response) ->
                response.onError(Status.NOT_FOUND.withDescription("no such thing: " + request).asRuntimeException())))
            .addMethod(DEADLINE, ServerCalls.asyncUnaryCall((request, response) ->
            {
                final Deadline deadline = Context.current().getDeadline();
                response.onNext(deadline == null ? "none" : Long.toString(deadline.timeRemaining(TimeUnit.MILLISECONDS)));
                response.onCompleted();
            }))
            .addMethod(HELD, ServerCalls.asyncUnaryCall((request, response) -> Thread.ofVirtual().start(() ->
            {
                held.incrementAndGet();
                try
                {
                    release.await();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
                if (!((ServerCallStreamObserver<String>)response).isCancelled()) // the proxy may have given up on it
                {
                    response.onNext("released:" + request);
                    response.onCompleted();
                }
            })))
            .build();
        return ServerInterceptors.intercept(service, servedBy(name));
    }

    private static StreamObserver<String> join(final StreamObserver<String> response)
    {
        final List<String> parts = new ArrayList<>();
        return new StreamObserver<>()
        {
            @Override
            public void onNext(final String part)
            {
                parts.add(part);
            }

            @Override
            public void onError(final Throwable error)
            {
            }

            @Override
            public void onCompleted()
            {
                response.onNext(String.join("+", parts));
                response.onCompleted();
            }
        };
    }

    private static StreamObserver<String> chat(final StreamObserver<String> response)
    {
        return new StreamObserver<>()
        {
            @Override
            public void onNext(final String message)
            {
                response.onNext("re:" + message);
            }

            @Override
            public void onError(final Throwable error)
            {
            }

            @Override
            public void onCompleted()
            {
                response.onCompleted();
            }
        };
    }

    /** Adds the {@code x-served-by} trailer to every call's end, and {@code x-received-grpc-timeout} to a call that had one. */
    private static ServerInterceptor servedBy(final String name)
    {
        return new ServerInterceptor()
        {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(final ServerCall<Q, A> call, final Metadata headers,
                final ServerCallHandler<Q, A> next)
            {
                return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call)
                {
                    @Override
                    public void close(final Status status, final Metadata trailers)
                    {
                        trailers.put(SERVED_BY, name);
                        final String timeout = headers.get(GRPC_TIMEOUT);
                        if (timeout != null)
                        {
                            trailers.put(RECEIVED_TIMEOUT, timeout);
                        }
                        super.close(status, trailers);
                    }
                }, headers);
            }
        };
    }
}
