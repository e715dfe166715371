package io.sluice.l7.ratelimit;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.sluice.l7.config.RouteFilter;
import io.sluice.l7.filter.Identity;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A limit's key from each kind of part, grouped by prefix, combined, and absent when the request lacks a part. */
class RequestKeyTest
{
    private static final long SEED = 42;
    private static final Identity USER = new Identity("jwt", "alice", Map.of("sub", "alice", "tenant", "t-1"));
    private static final Identity API_KEY = new Identity("api_key", "ci-bot", Map.of());

    private static HttpRequest request(final String... headers)
    {
        final HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        for (int i = 0; i < headers.length; i += 2)
        {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    private static InetSocketAddress client(final String address)
    {
        return new InetSocketAddress(address, 40000);
    }

    private static RequestKey key(final RouteFilter.RateLimit.KeyPart... parts)
    {
        return new RequestKey(List.of(parts));
    }

    @Test
    void addressesAreGroupedByTheirPrefix()
    {
        final RequestKey grouped = key(new RouteFilter.RateLimit.ClientAddress(24, 64));
        final HttpRequest request = request();
        final long v4 = grouped.hash(request, client("198.18.0.7"), null, SEED);
        assertThat(grouped.hash(request, client("198.18.0.250"), null, SEED)).as("same /24").isEqualTo(v4);
        assertThat(grouped.hash(request, client("198.18.1.7"), null, SEED)).as("another /24").isNotEqualTo(v4);
        final long v6 = grouped.hash(request, client("2001:2:0:1::7"), null, SEED);
        assertThat(grouped.hash(request, client("2001:2:0:1:ffff::1"), null, SEED)).as("same /64").isEqualTo(v6);
        assertThat(grouped.hash(request, client("2001:2:0:2::7"), null, SEED)).as("another /64").isNotEqualTo(v6);
        assertThat(grouped.text(request, client("198.18.0.7"), null)).isEqualTo("13:198.18.0.0/24");
        assertThat(grouped.text(request, client("2001:2:0:1:ffff::1"), null)).isEqualTo("21:2001:2:0:1:0:0:0:0/64");

        final RequestKey odd = key(new RouteFilter.RateLimit.ClientAddress(20, 60));
        assertThat(odd.text(request, client("198.18.31.7"), null)).isEqualTo("14:198.18.16.0/20");
        assertThat(odd.hash(request, client("198.18.31.7"), null, SEED)).isEqualTo(odd.hash(request, client("198.18.16.1"), null, SEED));
        assertThat(odd.text(request, client("2001:2:0:1f::1"), null)).isEqualTo("22:2001:2:0:10:0:0:0:0/60");

        final RequestKey alone = key(new RouteFilter.RateLimit.ClientAddress(32, 128));
        assertThat(alone.hash(request, client("198.18.0.7"), null, SEED)).isNotEqualTo(alone.hash(request, client("198.18.0.8"), null,
            SEED));
    }

    @Test
    void headersCookiesClaimsAndApiKeys()
    {
        final RequestKey header = key(new RouteFilter.RateLimit.Header("X-Api-Key"));
        assertThat(header.text(request("x-api-key", "k1"), null, null)).isEqualTo("2:k1");
        assertThat(header.hash(request("X-API-KEY", "k1"), null, null, SEED)).isEqualTo(header.hash(request("x-api-key", "k1"), null,
            null, SEED));
        assertThat(header.hash(request("x-api-key", "k2"), null, null, SEED)).isNotEqualTo(header.hash(request("x-api-key", "k1"),
            null, null, SEED));
        assertThat(header.hash(request("x-api-key", ""), null, null, SEED)).as("present, if empty").isNotEqualTo(RequestKey.ABSENT);

        final RequestKey cookie = key(new RouteFilter.RateLimit.Cookie("sid"));
        assertThat(cookie.text(request("cookie", "a=1; sid=s-9 ;b=2"), null, null)).isEqualTo("3:s-9");
        assertThat(cookie.text(request("cookie", "xsid=1", "cookie", "sid=\"q\""), null, null)).as("the second Cookie header")
            .isEqualTo("1:q");
        assertThat(cookie.text(request("cookie", "sidx=1; a=sid"), null, null)).isNull();

        final RequestKey claim = key(new RouteFilter.RateLimit.Claim("tenant"));
        assertThat(claim.text(request(), null, USER)).isEqualTo("3:t-1");
        assertThat(claim.text(request(), null, API_KEY)).isNull();

        final RequestKey apiKey = key(new RouteFilter.RateLimit.ApiKey());
        assertThat(apiKey.text(request(), null, API_KEY)).isEqualTo("6:ci-bot");
        assertThat(apiKey.text(request(), null, USER)).as("a token is not an API key").isNull();
    }

    @Test
    void aCombinationNeedsEveryPartAndTellsThemApart()
    {
        final RequestKey both = key(new RouteFilter.RateLimit.Header("X-Tenant"), new RouteFilter.RateLimit.Claim("sub"));
        assertThat(both.text(request("x-tenant", "t1"), null, USER)).isEqualTo("2:t1 5:alice");
        assertThat(both.hash(request("x-tenant", "t1"), null, null, SEED)).as("no identity").isEqualTo(RequestKey.ABSENT);
        assertThat(both.text(request(), null, USER)).as("no header").isNull();
        assertThat(both.hash(request("x-tenant", "t1a"), null, new Identity("jwt", "lice", Map.of("sub", "lice")), SEED))
            .as("the same characters split otherwise").isNotEqualTo(both.hash(request("x-tenant", "t1"), null, USER, SEED));
        assertThat(both.hash(request("x-tenant", "t1"), null, USER, 43)).as("another seed")
            .isNotEqualTo(both.hash(request("x-tenant", "t1"), null, USER, SEED));
    }

    @Test
    void aRequestWithoutThePartHasNoKey()
    {
        assertThat(key(new RouteFilter.RateLimit.Header("X-Api-Key")).hash(request(), null, null, SEED)).isEqualTo(RequestKey.ABSENT);
        assertThat(key(new RouteFilter.RateLimit.ClientAddress(32, 128)).text(request(), null, null)).isNull();
    }
}
