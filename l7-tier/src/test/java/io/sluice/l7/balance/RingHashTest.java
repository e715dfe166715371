package io.sluice.l7.balance;

import io.netty.handler.codec.http.HttpRequest;
import io.sluice.l7.config.Pool;
import io.sluice.l7.config.Server;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.sluice.l7.balance.Pools.client;
import static io.sluice.l7.balance.Pools.hashPool;
import static io.sluice.l7.balance.Pools.pickName;
import static io.sluice.l7.balance.Pools.request;
import static io.sluice.l7.balance.Pools.server;
import static io.sluice.l7.balance.Pools.servers;
import static io.sluice.l7.balance.Pools.withHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

final class RingHashTest
{
    private static final int KEYS = 10_000;
    private static final String[] FIVE = {"a", "b", "c", "d", "e"};

    private static PoolBalancer byHeader(final List<Server> servers)
    {
        return new PoolBalancer(hashPool(Pool.HashOn.Kind.HEADER, "x-user", servers));
    }

    private static Map<String, String> serverOfEveryKey(final PoolBalancer balancer)
    {
        final Map<String, String> servers = new HashMap<>();
        for (int key = 0; key < KEYS; key++)
        {
            servers.put("user-" + key, pickName(balancer, withHeader("X-User", "user-" + key)));
        }
        return servers;
    }

    private static List<String> without(final String removed)
    {
        final List<String> names = new ArrayList<>(List.of(FIVE));
        names.remove(removed);
        return names;
    }

    @Test
    void aKeyAlwaysGetsTheSameServerInEveryBalancer()
    {
        final Map<String, String> first = serverOfEveryKey(byHeader(servers(FIVE)));

        assertThat(serverOfEveryKey(byHeader(servers(FIVE)))).as("another balancer, same ring").isEqualTo(first);
        assertThat(first.values()).containsOnly(FIVE);
        final Map<String, Long> perServer = new HashMap<>();
        first.values().forEach(name -> perServer.merge(name, 1L, Long::sum));
        perServer.values().forEach(count -> assertThat(count / (double)KEYS).isCloseTo(0.2, within(0.06)));
    }

    @Test
    void removingAServerMovesOnlyItsKeys()
    {
        final Map<String, String> before = serverOfEveryKey(byHeader(servers(FIVE)));
        // Same names, so the same points; positions (and addresses) shift, which must not matter.
        final Map<String, String> after = serverOfEveryKey(byHeader(servers(without("c").toArray(String[]::new))));

        int moved = 0;
        for (final Map.Entry<String, String> key : before.entrySet())
        {
            if (!key.getValue().equals("c"))
            {
                assertThat(after.get(key.getKey())).as(key.getKey()).isEqualTo(key.getValue());
            }
            if (!after.get(key.getKey()).equals(key.getValue()))
            {
                moved++;
            }
        }
        assertThat(moved / (double)KEYS).as("about 1/N of the keys").isGreaterThan(0.5 / FIVE.length).isLessThan(2.0 / FIVE.length);
    }

    @Test
    void anUnhealthyServersKeysSpreadOverTheOthersAndComeBack()
    {
        final PoolBalancer balancer = byHeader(servers(FIVE));
        final Map<String, String> before = serverOfEveryKey(balancer);

        balancer.upstream("c").healthy(false);
        final Map<String, String> during = serverOfEveryKey(balancer);

        final Map<String, Integer> newHomes = new HashMap<>();
        for (final Map.Entry<String, String> key : before.entrySet())
        {
            final String now = during.get(key.getKey());
            assertThat(now).isNotEqualTo("c");
            if (key.getValue().equals("c"))
            {
                newHomes.merge(now, 1, Integer::sum);
            }
            else
            {
                assertThat(now).as(key.getKey()).isEqualTo(key.getValue());
            }
        }
        assertThat(newHomes).as("c's keys go to all four others, not one").containsOnlyKeys("a", "b", "d", "e");
        assertThat(during).as("the same as removing c").isEqualTo(serverOfEveryKey(byHeader(servers(without("c").toArray(String[]::new)))));

        balancer.upstream("c").healthy(true);
        assertThat(serverOfEveryKey(balancer)).isEqualTo(before);
    }

    @Test
    void pointsFollowTheServersOwnWeight()
    {
        assertThat(RingHash.points(100)).as("the default weight").isEqualTo(160);
        assertThat(RingHash.points(300)).isEqualTo(480);
        assertThat(RingHash.points(1)).as("at least one, rounded").isEqualTo(2);
        assertThat(RingHash.points(65535)).isEqualTo(104_856);
        final Upstream[] upstreams = {
            new Upstream(server("a", 100), new AtomicLong(), null, new InFlight()),
            new Upstream(server("b", 300), new AtomicLong(), null, new InFlight())};
        assertThat(new RingHash(new Pool.HashOn(Pool.HashOn.Kind.HEADER, "x"), upstreams, new SmoothWeightedRoundRobin()).size())
            .isEqualTo(640);
    }

    @Test
    void weightedServersGetTheirShareOfKeys()
    {
        final PoolBalancer balancer = byHeader(List.of(server("a", 100), server("b", 300)));
        final long toB = serverOfEveryKey(balancer).values().stream().filter("b"::equals).count();

        assertThat(toB / (double)KEYS).isCloseTo(0.75, within(0.04));
    }

    @Test
    void aRequestWithoutTheKeyIsRoundRobin()
    {
        final PoolBalancer balancer = byHeader(servers("a", "b", "c"));

        assertThat(List.of(pickName(balancer, request()), pickName(balancer, request()), pickName(balancer, request())))
            .containsExactly("a", "b", "c");
        assertThat(pickName(balancer, withHeader("x-other", "user-1"))).isEqualTo("a");
    }

    @Test
    void hashesOnACookie()
    {
        final PoolBalancer balancer = new PoolBalancer(hashPool(Pool.HashOn.Kind.COOKIE, "session", servers(FIVE)));
        final PoolBalancer byHeader = byHeader(servers(FIVE));
        for (int key = 0; key < 100; key++)
        {
            final HttpRequest request = withHeader("Cookie", "theme=dark; session=s" + key);
            request.headers().add("Cookie", "other=1");
            assertThat(pickName(balancer, request)).as("the cookie's value, hashed like a header's")
                .isEqualTo(pickName(byHeader, withHeader("x-user", "s" + key)));
        }
        assertThat(List.of(pickName(balancer, withHeader("Cookie", "theme=dark")), pickName(balancer, request())))
            .as("no such cookie: round-robin").containsExactly("a", "b");
    }

    @Test
    void hashesOnTheClientAddressOfEitherFamily()
    {
        final PoolBalancer balancer = new PoolBalancer(hashPool(Pool.HashOn.Kind.CLIENT_ADDRESS, null, servers(FIVE)));
        final Map<String, Integer> perServer = new HashMap<>();
        for (int host = 1; host <= 200; host++)
        {
            final String v4 = "198.19.0." + host;
            final String v6 = "2001:2:0:7::" + Integer.toHexString(host);
            final String server4 = balancer.pick(request(), client(v4)).upstream().name();
            final String server6 = balancer.pick(request(), client(v6)).upstream().name();
            assertThat(balancer.pick(request(), new java.net.InetSocketAddress(v4, 51000)).upstream().name())
                .as("another port of the same client").isEqualTo(server4);
            assertThat(balancer.pick(request(), client(v6)).upstream().name()).isEqualTo(server6);
            perServer.merge(server4, 1, Integer::sum);
            perServer.merge(server6, 1, Integer::sum);
        }
        assertThat(perServer).containsOnlyKeys(FIVE);
        assertThat(List.of(pickName(balancer, request()), pickName(balancer, request()))).as("no client: round-robin").containsExactly("a", "b");
    }

    @Test
    void noHealthyServerIsNoPick()
    {
        final PoolBalancer balancer = byHeader(servers("a", "b"));
        balancer.upstreams().forEach(upstream -> upstream.healthy(false));

        assertThat(balancer.pick(withHeader("x-user", "u"), null)).isSameAs(Pick.NONE);
    }
}
