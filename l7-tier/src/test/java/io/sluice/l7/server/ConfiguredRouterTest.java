package io.sluice.l7.server;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.config.RequestLimits;
import io.sluice.l7.proxy.RoutedRequest;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The body limit each routed request carries: its route's {@code max_body}, else the
 * configuration's {@code limits.max_body}, whether a server took the request, none was up (503)
 * or no route matched (404).
 */
class ConfiguredRouterTest
{
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 50123);
    private static final String ROUTES_AND_POOLS = """
        routes:
          - name: upload
            match: { path: { prefix: /upload/ } }
            max_body: 4GiB
            to: files
          - name: api
            match: { path: { prefix: /api/ } }
            max_body: 0
            to: api
          - name: web
            match: { path: { prefix: /web/ } }
            to: api
        pools:
          files: { servers: [{ name: f1, address: 127.0.0.1:9001 }] }
          api: { servers: [{ name: a1, address: 127.0.0.1:9002 }] }
        """;

    private static ConfiguredRouter router(final String limits)
    {
        return new ConfiguredRouter(L7ConfigLoader.parse("listeners: [{ name: web, address: 127.0.0.1:8080 }]\n" + limits
            + ROUTES_AND_POOLS, "router-test.yaml"));
    }

    private static long maxBody(final ConfiguredRouter router, final String uri)
    {
        final HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri);
        final RoutedRequest routed = router.route(request, CLIENT);
        try
        {
            return routed.maxBodyBytes();
        }
        finally
        {
            routed.finished(200);
        }
    }

    @Test
    void aRoutesMaxBodyOverridesTheLimitAndTheRestTakeTheLimit()
    {
        final ConfiguredRouter router = router("limits: { max_body: 10MiB }\n");

        assertThat(maxBody(router, "/upload/big.iso")).as("above the limit: a route may allow more").isEqualTo(4L << 30);
        assertThat(maxBody(router, "/api/users")).as("max_body: 0, no body at all").isZero();
        assertThat(maxBody(router, "/web/form")).isEqualTo(10L << 20);
        assertThat(maxBody(router, "/nowhere")).as("no route (404): the limit").isEqualTo(10L << 20);
    }

    @Test
    void withoutLimitsTheDefaultApplies()
    {
        assertThat(maxBody(router(""), "/web/form")).isEqualTo(RequestLimits.DEFAULTS.maxBodyBytes()).isEqualTo(1L << 30);
    }

    @Test
    void aRequestNoServerTakesKeepsItsRoutesLimit()
    {
        final ConfiguredRouter router = router("limits: { max_body: 10MiB }\n");
        router.pools().get("api").upstream("a1").healthy(false);
        final RoutedRequest api = router.route(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/users"), CLIENT);
        final RoutedRequest web = router.route(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/web/form"), CLIENT);

        assertThat(api.refusalStatus()).isEqualTo(503);
        assertThat(api.maxBodyBytes()).isZero();
        assertThat(web.refusalStatus()).isEqualTo(503);
        assertThat(web.maxBodyBytes()).isEqualTo(10L << 20);
    }

    @Test
    void aRoutedRequestThatSaysNothingLeavesItToTheProxysLimit()
    {
        final RoutedRequest bare = new RoutedRequest()
        {
            @Override
            public InetSocketAddress backend()
            {
                return null;
            }

            @Override
            public int refusalStatus()
            {
                return 404;
            }

            @Override
            public String uri()
            {
                return "/";
            }
        };

        assertThat(bare.maxBodyBytes()).isEqualTo(RoutedRequest.PROXY_LIMIT);
    }
}
