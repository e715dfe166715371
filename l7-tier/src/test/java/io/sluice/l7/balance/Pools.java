package io.sluice.l7.balance;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.sluice.l7.config.Pool;
import io.sluice.l7.config.Server;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Pools, servers and requests for the balancer tests (addresses from 198.18.0.0/15 and 2001:2::/48). */
final class Pools
{
    private Pools()
    {
    }

    /** Servers of the default weight (100): {@code name} at 198.18.0.(i+10):8080, i its position among {@code names}. */
    static List<Server> servers(final String... names)
    {
        final List<Server> servers = new ArrayList<>();
        for (int i = 0; i < names.length; i++)
        {
            servers.add(new Server(names[i], new InetSocketAddress("198.18.0." + (i + 10), 8080), 100));
        }
        return servers;
    }

    static Server server(final String name, final int weight)
    {
        return new Server(name, new InetSocketAddress("2001:2::" + Integer.toHexString(Math.abs(name.hashCode()) % 0xFFFF), 8080), weight);
    }

    static Pool pool(final Pool.Balance balance, final List<Server> servers)
    {
        return new Pool("p", balance, null, null, servers, null);
    }

    static Pool hashPool(final Pool.HashOn.Kind kind, final String name, final List<Server> servers)
    {
        return new Pool("p", Pool.Balance.HASH, new Pool.HashOn(kind, name), null, servers, null);
    }

    static Pool sticky(final Pool.Balance balance, final List<Server> servers)
    {
        return new Pool("p", balance, null, new Pool.Sticky("lb"), servers, null);
    }

    static HttpRequest request()
    {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
    }

    static HttpRequest withHeader(final String name, final String value)
    {
        final HttpRequest request = request();
        request.headers().set(name, value);
        return request;
    }

    static InetSocketAddress client(final String address)
    {
        return new InetSocketAddress(address, 40000);
    }

    static String pickName(final PoolBalancer balancer, final HttpRequest request)
    {
        final Upstream upstream = balancer.pick(request, null).upstream();
        return upstream == null ? null : upstream.name();
    }
}
