package io.sluice.l7.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.EventExecutor;
import io.sluice.l7.filter.BackgroundReceiver;
import io.sluice.l7.filter.BodyTransformer;
import io.sluice.l7.filter.FilterChain;
import io.sluice.l7.filter.FilterContext;
import io.sluice.l7.filter.Identity;
import io.sluice.l7.filter.RequestFilter;
import io.sluice.l7.filter.ResponseFilter;
import io.sluice.l7.metrics.L7Metrics;

import java.net.InetSocketAddress;
import java.util.Arrays;
import javax.net.ssl.SSLSession;

/**
 * A route's filters at work on one exchange: where its request filters are (a pending one
 * resumes after itself), the body transformers its response filters gave, and the
 * {@link FilterContext} they all see. Made only for a route that has filters, so a route
 * without costs nothing per request.
 */
final class ExchangeFilters implements FilterContext
{
    private final ProxyExchange exchange;
    /** The route's filters; the new route's once the request is routed again with its identity. */
    private FilterChain chain;
    /** The request filter to run next. */
    private int nextRequestFilter;
    /** The response filters' body transformers by filter, or null when none gave one. */
    private BodyTransformer[] transformers;
    /** A transformer holds the response head until its first output. */
    private boolean headHeld;
    /** Who the request is from, as an authentication filter set it. */
    private Identity identity;
    /** The request was routed again with its {@link #identity} (once: the routes it may go to have no auth). */
    private boolean routedWithIdentity;
    /** What filters attached to the exchange, as owner, value, owner, value...; null until one did. */
    private Object[] attachments;

    ExchangeFilters(final ProxyExchange exchange, final FilterChain chain)
    {
        this.exchange = exchange;
        this.chain = chain;
    }

    /**
     * Runs the request filters from where they stopped.
     *
     * @return CONTINUE when every one let the request go on; else the outcome that stopped them.
     */
    RequestFilter.Outcome runRequestFilters(final HttpRequest request)
    {
        while (true)
        {
            if (identity != null && !routedWithIdentity && !routeAgain())
            {
                return RequestFilter.Outcome.ANSWERED;
            }
            if (nextRequestFilter == chain.requestFilters())
            {
                return RequestFilter.Outcome.CONTINUE;
            }
            final RequestFilter.Outcome outcome = chain.requestFilter(nextRequestFilter++).onRequest(request, this);
            if (outcome != RequestFilter.Outcome.CONTINUE)
            {
                return outcome;
            }
            if (exchange.state() != ExchangeState.FILTERING)
            {
                return RequestFilter.Outcome.ANSWERED; // answered, though it said to go on
            }
        }
    }

    /**
     * An identity was set: a route that matches on its claims may take the request; its filters then run from the
     * first (it has no authentication of its own, so the request is not authenticated twice).
     *
     * @return whether the request is still to be filtered (false: answered, as when the new route has no server up).
     */
    private boolean routeAgain()
    {
        routedWithIdentity = true;
        exchange.routeAgain(identity);
        return exchange.state() == ExchangeState.FILTERING;
    }

    /** The request was routed again: the new route's filters take it from their first. */
    void rerouted(final FilterChain next)
    {
        chain = next;
        nextRequestFilter = 0;
    }

    /** The response head on its way to the client: each response filter edits it, and may give a body transformer. */
    void runResponseFilters(final HttpResponse response)
    {
        for (int i = 0; i < chain.responseFilters(); i++)
        {
            final BodyTransformer transformer = chain.responseFilter(i).onResponse(response, this);
            if (transformer != null)
            {
                if (transformers == null)
                {
                    transformers = new BodyTransformer[chain.responseFilters()];
                }
                transformers[i] = transformer;
                headHeld |= transformer.holdsHead();
            }
        }
    }

    /** Whether the response head waits for the body's first transformed output ({@link BodyTransformer#holdsHead}). */
    boolean headHeld()
    {
        return headHeld;
    }

    /** A body chunk through the transformers in order: what goes to the client, or null when nothing is ready yet. */
    HttpContent transform(final HttpContent content)
    {
        if (transformers == null)
        {
            return content;
        }
        HttpContent passing = content;
        for (final BodyTransformer transformer : transformers)
        {
            if (transformer != null && passing != null)
            {
                passing = transformer.transform(passing);
            }
        }
        return passing;
    }

    /** The body will not end as HTTP (it broke off, or the connection was upgraded): the transformers let go of what they hold. */
    void abandonTransformers()
    {
        if (transformers != null)
        {
            for (final BodyTransformer transformer : transformers)
            {
                if (transformer != null)
                {
                    transformer.abandon();
                }
            }
            transformers = null;
        }
    }

    /**
     * The proxy's own error answer (5xx) is about to end the exchange: each response filter may
     * edit or replace it ({@link ResponseFilter#onProxyAnswer}). Other answers (a refusal) pass as they are.
     *
     * @return what goes to the client.
     */
    FullHttpResponse proxyAnswer(final FullHttpResponse answer, final int backendStatus)
    {
        if (answer.status().code() < HttpResponseStatus.INTERNAL_SERVER_ERROR.code())
        {
            return answer;
        }
        FullHttpResponse response = answer;
        for (int i = 0; i < chain.responseFilters(); i++)
        {
            response = chain.responseFilter(i).onProxyAnswer(response, backendStatus, this);
        }
        return response;
    }

    /** The exchange broke off: the transformers let go of what they hold, then every response filter hears of it. */
    void aborted()
    {
        abandonTransformers();
        for (int i = 0; i < chain.responseFilters(); i++)
        {
            chain.responseFilter(i).onAborted(this);
        }
    }

    @Override
    public void background(final HttpRequest request, final ResponseFilter from, final BackgroundReceiver receiver)
    {
        int before = 0;
        while (before < chain.responseFilters() && chain.responseFilter(before) != from)
        {
            before++;
        }
        final ResponseFilter[] earlier = new ResponseFilter[before];
        for (int i = 0; i < before; i++)
        {
            earlier[i] = chain.responseFilter(i);
        }
        BackgroundRequest.send(exchange, request, earlier, this, receiver);
    }

    @Override
    public HttpRequest request()
    {
        return exchange.request();
    }

    @Override
    public String routeName()
    {
        return exchange.routeName();
    }

    @Override
    public InetSocketAddress client()
    {
        return exchange.clientAddress();
    }

    @Override
    public SSLSession tlsSession()
    {
        final Channel channel = exchange.clientChannel();
        // a stream's TLS is its connection's
        final Channel connection = channel instanceof Http2StreamChannel ? channel.parent() : channel;
        final SslHandler tls = connection.pipeline().get(SslHandler.class);
        return tls == null ? null : tls.engine().getSession();
    }

    @Override
    public L7Metrics metrics()
    {
        return exchange.metrics();
    }

    @Override
    public EventExecutor executor()
    {
        return exchange.executor();
    }

    @Override
    public void answer(final FullHttpResponse response)
    {
        if (!executor().inEventLoop())
        {
            executor().execute(() -> answer(response));
            return;
        }
        exchange.answeredByFilter(response);
    }

    @Override
    public void resume()
    {
        if (!executor().inEventLoop())
        {
            executor().execute(this::resume);
            return;
        }
        exchange.filtersResumed();
    }

    @Override
    public Identity identity()
    {
        return identity;
    }

    @Override
    public void identity(final Identity identity)
    {
        this.identity = identity;
    }

    @Override
    public void attach(final Object owner, final Object value)
    {
        if (attachments == null)
        {
            attachments = new Object[2];
        }
        int free = -1;
        for (int i = 0; i < attachments.length; i += 2)
        {
            if (attachments[i] == owner)
            {
                attachments[i + 1] = value;
                return;
            }
            free = free < 0 && attachments[i] == null ? i : free;
        }
        if (free < 0)
        {
            free = attachments.length;
            attachments = Arrays.copyOf(attachments, attachments.length * 2);
        }
        attachments[free] = owner;
        attachments[free + 1] = value;
    }

    @Override
    public Object attachment(final Object owner)
    {
        for (int i = 0; attachments != null && i < attachments.length; i += 2)
        {
            if (attachments[i] == owner)
            {
                return attachments[i + 1];
            }
        }
        return null;
    }
}
