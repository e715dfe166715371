package io.sluice.l7.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.EventExecutor;
import io.sluice.l7.filter.FilterChain;

import java.net.InetSocketAddress;

/** A routed request with a test's filters instead of its route's; everything else is the router's. */
record Filtered(RoutedRequest routed, FilterChain filters) implements RoutedRequest
{
    @Override
    public String routeName()
    {
        return routed.routeName();
    }

    @Override
    public String poolName()
    {
        return routed.poolName();
    }

    @Override
    public String serverName()
    {
        return routed.serverName();
    }

    @Override
    public InetSocketAddress backend()
    {
        return routed.backend();
    }

    @Override
    public int refusalStatus()
    {
        return routed.refusalStatus();
    }

    @Override
    public String uri()
    {
        return routed.uri();
    }

    @Override
    public void editResponseHeaders(final HttpHeaders headers)
    {
        routed.editResponseHeaders(headers);
    }

    @Override
    public long maxBodyBytes()
    {
        return routed.maxBodyBytes();
    }

    @Override
    public RoutedRequest retry(final int failure)
    {
        final RoutedRequest next = routed.retry(failure);
        return next == null ? null : new Filtered(next, filters);
    }

    @Override
    public Admission admit(final Waiting waiting, final EventExecutor executor)
    {
        return routed.admit(waiting, executor);
    }

    @Override
    public void finished(final int status)
    {
        routed.finished(status);
    }
}
