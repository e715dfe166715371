package io.sluice.l7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.sluice.l7.filter.BodyTransformer;
import io.sluice.l7.filter.FilterChain;
import io.sluice.l7.filter.FilterContext;
import io.sluice.l7.filter.RequestFilter;
import io.sluice.l7.filter.ResponseFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Route filters through the proxy's real request path over in-memory channels: request filters
 * that answer (at once or later) or let the request go on, response filters that edit the head
 * and transform a streamed body, and the configuration's {@code filters:} list. Leaks fail the test.
 */
@ExtendWith(LeakTracking.class)
final class FiltersOverEmbeddedChannelTest
{
    private static final String ONE_SERVER = """
        routes: [{ name: all, to: p }]
        pools:
          p: { servers: [{ name: a, address: 198.18.0.1:8080 }] }
        """;
    private static final String GET = "GET /x HTTP/1.1\r\nHost: test\r\n\r\n";

    private final EmbeddedProxy proxy = new EmbeddedProxy();

    @AfterEach
    void close()
    {
        proxy.close();
    }

    /** A client of a proxy whose one route has these filters. */
    private EmbeddedProxy.Client client(final List<RequestFilter> requestFilters, final List<ResponseFilter> responseFilters)
    {
        proxy.configure(ONE_SERVER);
        proxy.filters(new FilterChain(requestFilters, responseFilters));
        return proxy.connect();
    }

    private static FullHttpResponse answer(final HttpResponseStatus status, final String body)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
            Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII));
        HttpUtil.setContentLength(response, response.content().readableBytes());
        return response;
    }

    /** Answers 403 itself, at once. */
    private static final RequestFilter FORBID = (request, context) ->
    {
        context.answer(answer(HttpResponseStatus.FORBIDDEN, "no"));
        return RequestFilter.Outcome.ANSWERED;
    };

    /** Takes its time: the test plays the far end (a Redis reply, say) by calling resume or answer on the context it kept. */
    private static final class Later implements RequestFilter
    {
        private final List<FilterContext> waiting = new ArrayList<>();

        @Override
        public Outcome onRequest(final HttpRequest request, final FilterContext context)
        {
            waiting.add(context);
            return Outcome.PENDING;
        }
    }

    /** Upper-cases each chunk as it passes, holding nothing; a header says so. */
    private static final class UpperCase implements ResponseFilter, BodyTransformer
    {
        private int chunks;
        private boolean abandoned;

        @Override
        public BodyTransformer onResponse(final HttpResponse response, final FilterContext context)
        {
            response.headers().set("x-transformed", "upper");
            response.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
            HttpUtil.setTransferEncodingChunked(response, true);
            return this;
        }

        @Override
        public HttpContent transform(final HttpContent content)
        {
            chunks++;
            final ByteBuf upper = Unpooled.copiedBuffer(content.content().toString(StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT),
                StandardCharsets.US_ASCII);
            final boolean last = content instanceof LastHttpContent;
            content.release();
            return last ? new DefaultLastHttpContent(upper) : new DefaultHttpContent(upper);
        }

        @Override
        public void abandon()
        {
            abandoned = true;
        }
    }

    /** Holds the head and the body until it has seen {@value #ENOUGH} bytes or the end, then says which in a header. */
    private static final class DecidesAtAMinimum implements ResponseFilter, BodyTransformer
    {
        static final int ENOUGH = 8;

        private HttpResponse head;
        private final CompositeByteBuf held = Unpooled.compositeBuffer();
        private boolean decided;

        @Override
        public BodyTransformer onResponse(final HttpResponse response, final FilterContext context)
        {
            head = response;
            return this;
        }

        @Override
        public boolean holdsHead()
        {
            return true;
        }

        @Override
        public HttpContent transform(final HttpContent content)
        {
            final boolean last = content instanceof LastHttpContent;
            if (decided)
            {
                return content;
            }
            held.addComponent(true, content.content().retain());
            content.release();
            if (held.readableBytes() < ENOUGH && !last)
            {
                return null;
            }
            decided = true;
            head.headers().set("x-decided", last ? "at-the-end" : "at-the-minimum");
            return last ? new DefaultLastHttpContent(held) : new DefaultHttpContent(held);
        }

        @Override
        public void abandon()
        {
            if (!decided)
            {
                held.release(); // once decided, it went on with the body
            }
        }
    }

    @Test
    void aRequestFilterThatAnswersNeverOpensABackendConnection()
    {
        final EmbeddedProxy.Client client = client(List.of(FORBID), List.of());

        client.send(GET);
        final RawHttp.Response response = client.response();
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.text()).isEqualTo("no");
        assertThat(proxy.connections()).isEmpty();

        client.send(GET);
        assertThat(client.response().status()).as("the connection goes on with the next request").isEqualTo(403);
        assertThat(client.isOpen()).isTrue();
    }

    @Test
    void aPendingFilterHoldsTheRequestAndItsBodyUntilItResumes()
    {
        final Later later = new Later();
        final EmbeddedProxy.Client client = client(List.of(later), List.of());

        client.send("PUT /x HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\n\r\n");
        final ProxyExchange exchange = client.exchange();
        assertThat(exchange.state()).isEqualTo(ExchangeState.FILTERING);
        client.send("body");
        assertThat(proxy.connections()).as("no backend before the filter's verdict").isEmpty();

        later.waiting.getFirst().resume();
        assertThat(exchange.state()).isEqualTo(ExchangeState.AWAITING_RESPONSE);
        final String sent = new String(EmbeddedProxy.backendReceived(proxy.connections().getFirst().channel()), StandardCharsets.US_ASCII);
        assertThat(sent).startsWith("PUT /x HTTP/1.1\r\n").endsWith("\r\n\r\nbody");

        proxy.connections().getFirst().channel().writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
            StandardCharsets.US_ASCII));
        assertThat(client.response().text()).isEqualTo("ok");
    }

    @Test
    void aPendingFilterMayAnswerLaterAndTheBodyIsThenDropped()
    {
        final Later later = new Later();
        final EmbeddedProxy.Client client = client(List.of(later), List.of());

        client.send("PUT /x HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\n\r\n");
        final ProxyExchange exchange = client.exchange();
        later.waiting.getFirst().answer(answer(HttpResponseStatus.TOO_MANY_REQUESTS, "slow down"));
        assertThat(exchange.state()).isEqualTo(ExchangeState.DONE);
        assertThat(client.response().status()).isEqualTo(429);

        client.send("body");
        assertThat(client.exchange()).isNull();
        client.send(GET);
        assertThat(later.waiting).as("the next request reached the filter").hasSize(2);
        assertThat(proxy.connections()).isEmpty();
    }

    @Test
    void aFilterAnswerAfterTheClientWentIsReleased()
    {
        final Later later = new Later();
        final EmbeddedProxy.Client client = client(List.of(later), List.of());

        client.send(GET);
        final ProxyExchange exchange = client.exchange();
        client.close();
        assertThat(exchange.state()).isEqualTo(ExchangeState.ABORTED);

        final FullHttpResponse late = answer(HttpResponseStatus.UNAUTHORIZED, "who?");
        later.waiting.getFirst().answer(late);
        assertThat(late.refCnt()).isZero();
        later.waiting.getFirst().resume();
        assertThat(exchange.state()).isEqualTo(ExchangeState.ABORTED);
        assertThat(proxy.connections()).isEmpty();
    }

    @Test
    void aResponseFilterTransformsAChunkedBodyChunkByChunk()
    {
        final UpperCase upper = new UpperCase();
        final EmbeddedProxy.Client client = client(List.of(), List.of(upper));

        client.send(GET);
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        forwarded.answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
        assertThat(client.received()).startsWith("HTTP/1.1 200 OK\r\n").contains("x-transformed: upper").endsWith("5\r\nHELLO\r\n");
        forwarded.answer("6\r\n world\r\n0\r\n\r\n");

        assertThat(client.received()).isEqualTo("6\r\n WORLD\r\n0\r\n\r\n");
        assertThat(upper.chunks).as("hello, world, the end").isEqualTo(3);
        assertThat(upper.abandoned).isFalse();
    }

    @Test
    void aTransformerMayHoldTheHeadUntilItHasSeenEnoughOfTheBody()
    {
        final DecidesAtAMinimum decides = new DecidesAtAMinimum();
        final EmbeddedProxy.Client client = client(List.of(), List.of(decides));

        client.send(GET);
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        forwarded.answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
        assertThat(client.received()).as("the head waits with the body").isEmpty();
        forwarded.answer("6\r\ndefghi\r\n");
        assertThat(client.received()).startsWith("HTTP/1.1 200 OK\r\n").contains("x-decided: at-the-minimum").endsWith("9\r\nabcdefghi\r\n");
        forwarded.answer("1\r\nj\r\n0\r\n\r\n");
        assertThat(client.received()).isEqualTo("1\r\nj\r\n0\r\n\r\n");
    }

    @Test
    void aTransformerIsAbandonedWhenTheResponseBreaksOff()
    {
        final UpperCase upper = new UpperCase();
        final EmbeddedProxy.Client client = client(List.of(), List.of(upper));

        client.send(GET);
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        forwarded.answer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf");
        forwarded.connection().close();

        assertThat(upper.abandoned).isTrue();
    }

    @Test
    void theConfigurationsFiltersListAppliesAfterTheRoutesKeys()
    {
        proxy.configure("""
            routes:
              - name: api
                match: { path: { prefix: /api/ } }
                request_headers: { set: { X-Env: prod } }
                filters:
                  - rewrite: { prefix: /v1/ }
                  - request_headers: { set: { X-Env: staging, X-Route: api }, remove: [X-Debug] }
                  - response_headers: { remove: [Server] }
                  - response_headers: { set: { X-Served-Via: sluice } }
                to: p
            pools:
              p: { servers: [{ name: a, address: 198.18.0.1:8080 }] }
            """);
        final EmbeddedProxy.Client client = proxy.connect();

        client.send("GET /api/users HTTP/1.1\r\nHost: test\r\nX-Debug: 1\r\n\r\n");
        final EmbeddedProxy.Forwarded forwarded = proxy.forwarded();
        assertThat(forwarded.request().uri()).isEqualTo("/v1/users");
        assertThat(forwarded.request().header("x-env")).as("the list's, after the key's").isEqualTo("staging");
        assertThat(forwarded.request().header("x-route")).isEqualTo("api");
        assertThat(forwarded.request().header("x-debug")).isNull();

        forwarded.answer("HTTP/1.1 200 OK\r\nServer: backend\r\nContent-Length: 2\r\n\r\nok");
        final RawHttp.Response response = client.response();
        assertThat(response.header("server")).isNull();
        assertThat(response.header("x-served-via")).isEqualTo("sluice");
    }
}
