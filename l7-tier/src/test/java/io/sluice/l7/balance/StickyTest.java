package io.sluice.l7.balance;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.cookie.ClientCookieDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.sluice.l7.config.Pool;
import io.sluice.l7.config.Server;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static io.sluice.l7.balance.Pools.pool;
import static io.sluice.l7.balance.Pools.request;
import static io.sluice.l7.balance.Pools.servers;
import static io.sluice.l7.balance.Pools.sticky;
import static io.sluice.l7.balance.Pools.withHeader;
import static org.assertj.core.api.Assertions.assertThat;

final class StickyTest
{
    /** A client's next request, bringing back what the last response's Set-Cookie said. */
    private static HttpRequest returning(final Pick pick)
    {
        final Cookie cookie = ClientCookieDecoder.STRICT.decode(pick.setCookie());
        return withHeader("Cookie", "theme=dark; " + cookie.name() + "=" + cookie.value());
    }

    @Test
    void theFirstPickSetsACookieNamingTheServer()
    {
        final PoolBalancer balancer = new PoolBalancer(sticky(Pool.Balance.ROUND_ROBIN, servers("a", "b", "c")));

        final Pick pick = balancer.pick(request(), null);

        assertThat(pick.upstream().name()).isEqualTo("a");
        final Cookie cookie = ClientCookieDecoder.STRICT.decode(pick.setCookie());
        assertThat(cookie.name()).isEqualTo("lb");
        assertThat(cookie.value()).as("a hash of the server's name").isEqualTo(Hash64.hex(Hash64.hash("a"))).hasSize(16);
        assertThat(cookie.path()).isEqualTo("/");
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.maxAge()).as("a session cookie").isEqualTo(Long.MIN_VALUE);
        assertThat(pick.setCookie()).as("no address").doesNotContain("198.18");
    }

    @Test
    void aCookieNamingAHealthyServerIsHonouredAndNotSetAgain()
    {
        final PoolBalancer balancer = new PoolBalancer(sticky(Pool.Balance.ROUND_ROBIN, servers("a", "b", "c")));
        balancer.pick(request(), null);
        final Pick first = balancer.pick(request(), null);
        assertThat(first.upstream().name()).isEqualTo("b");

        for (int i = 0; i < 10; i++)
        {
            final Pick again = balancer.pick(returning(first), null);
            assertThat(again.upstream().name()).isEqualTo("b");
            assertThat(again.setCookie()).isNull();
        }
    }

    @Test
    void aCookieForAServerThatIsDownIsIgnoredAndReplaced()
    {
        final PoolBalancer balancer = new PoolBalancer(sticky(Pool.Balance.ROUND_ROBIN, servers("a", "b", "c")));
        final Pick toA = balancer.pick(request(), null);
        balancer.upstream("a").healthy(false);

        final Pick moved = balancer.pick(returning(toA), null);

        assertThat(moved.upstream().name()).isIn("b", "c");
        assertThat(moved.setCookie()).as("re-set for the new server").startsWith("lb=" + Hash64.hex(Hash64.hash(moved.upstream().name())));
        assertThat(balancer.pick(returning(moved), null).upstream()).isSameAs(moved.upstream());
        balancer.upstream("a").healthy(true);
        assertThat(balancer.pick(returning(toA), null).upstream().name()).as("a's cookie works again once a is up").isEqualTo("a");
    }

    @Test
    void aCookieForAServerThatIsGoneOrForgedIsIgnoredAndReplaced()
    {
        final PoolBalancer withD = new PoolBalancer(sticky(Pool.Balance.ROUND_ROBIN, servers("d", "a")));
        final Pick toD = withD.pick(request(), null);
        final PoolBalancer withoutD = new PoolBalancer(sticky(Pool.Balance.ROUND_ROBIN, servers("a", "b")));

        final Pick gone = withoutD.pick(returning(toD), null);
        assertThat(gone.upstream().name()).isEqualTo("a");
        assertThat(gone.setCookie()).isNotNull();

        final Pick forged = withoutD.pick(withHeader("Cookie", "lb=0123456789abcdef"), null);
        assertThat(forged.upstream().name()).isEqualTo("b");
        assertThat(forged.setCookie()).isNotNull();
    }

    @Test
    void cookiesSurviveAPoolRebuiltWithAnotherServer()
    {
        final PoolBalancer before = new PoolBalancer(sticky(Pool.Balance.LEAST_REQUEST, servers("a", "b", "c")));
        final List<Pick> picks = new ArrayList<>();
        for (int i = 0; i < 30; i++)
        {
            picks.add(before.pick(request(), null));
        }
        final List<Server> more = new ArrayList<>(servers("new", "c", "b", "a"));
        more.set(0, new Server("new", new InetSocketAddress("2001:2:0:3::1", 8080), 1));
        final PoolBalancer after = new PoolBalancer(sticky(Pool.Balance.LEAST_REQUEST, more));

        for (final Pick pick : picks)
        {
            final Pick next = after.pick(returning(pick), null);
            assertThat(next.upstream().name()).isEqualTo(pick.upstream().name());
            assertThat(next.setCookie()).isNull();
        }
    }

    @Test
    void stickyWorksOverHashingToo()
    {
        final PoolBalancer balancer = new PoolBalancer(new Pool("p", Pool.Balance.HASH,
            new Pool.HashOn(Pool.HashOn.Kind.HEADER, "x-user"), new Pool.Sticky("lb"), servers("a", "b", "c"), null));
        final Pick first = balancer.pick(withHeader("x-user", "u1"), null);
        balancer.upstream(first.upstream().name()).healthy(false);

        final HttpRequest request = returning(first);
        request.headers().set("x-user", "u1");
        final Pick second = balancer.pick(request, null);

        assertThat(second.upstream()).isNotSameAs(first.upstream());
        assertThat(second.setCookie()).isNotNull();
    }

    @Test
    void aPoolWithoutStickinessSetsNoCookie()
    {
        final PoolBalancer balancer = new PoolBalancer(pool(Pool.Balance.ROUND_ROBIN, servers("a", "b")));

        assertThat(balancer.pick(request(), null).setCookie()).isNull();
        assertThat(balancer.pick(withHeader("Cookie", "lb=" + Hash64.hex(Hash64.hash("a"))), null).upstream().name())
            .as("cookies mean nothing to it").isEqualTo("b");
    }
}
