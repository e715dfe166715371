package io.sluice.l7.dns;

import io.sluice.l7.balance.Upstream;
import io.sluice.l7.config.L7Config;
import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.proxy.LeakTracking;
import io.sluice.l7.proxy.RawHttp;
import io.sluice.l7.proxyprotocol.ChildServer;
import io.sluice.l7.server.L7Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pool servers named by DNS name, against a real name server (Debian's dnsmasq, answering from a hosts file with a
 * TTL of 1 s) and real backends on two loopback addresses sharing a port: requests spread over the name's
 * addresses; an address taken out of DNS gets no new request once its TTL ran out while the other keeps its state
 * (a request in flight on it, its sticky cookie); with the name server stopped the last addresses keep serving and
 * the failures are counted, and once it is back the answers are followed again. At start a name that does not
 * resolve refuses the configuration in one line, or with {@code unresolved: empty} its pool waits for it; a reload
 * keeps the state of the names it keeps.
 */
@ExtendWith(LeakTracking.class)
class ServersByDnsNameTest
{
    private static final String BOTH = "127.0.0.2 api.test\n127.0.0.3 api.test\n";

    @TempDir
    Path dir;

    private final int port = ChildServer.freePort();

    private L7Config config(final Dnsmasq dns, final String name, final int backendPort, final String more)
    {
        return L7ConfigLoader.parse("""
            listeners: [{ name: web, address: "127.0.0.1:%d" }]
            routes: [{ name: all, to: api }]
            pools:
              api:
                sticky: { cookie: S }
                servers: [{ name: api, address: "%s:%d" }]
            dns: { servers: ["%s"], min_ttl: 1s, max_ttl: 2s, timeout: 300ms%s }
            """.formatted(port, name, backendPort, dns.address(), more), "dns.yaml");
    }

    @Test
    void followsTheAnswersKeepsTheStateOfAddressesThatStayAndServesTheLastOnesWhileDnsIsDown() throws Exception
    {
        try (Dnsmasq dns = Dnsmasq.start(dir, BOTH);
             AddressBackend two = new AddressBackend("127.0.0.2", 0);
             AddressBackend three = new AddressBackend("127.0.0.3", two.port());
             L7Server server = new L7Server(config(dns, "api.test", two.port(), ""), 1))
        {
            assertThat(three.port()).as("one port for the name's addresses").isEqualTo(two.port());
            assertThat(servers(server)).containsExactly("api#127.0.0.2", "api#127.0.0.3");
            assertThat(spread(10)).isEqualTo(Map.of("127.0.0.2", 5, "127.0.0.3", 5));
            final String cookie = cookieFor("127.0.0.2");
            final CompletableFuture<RawHttp.Response> slow = CompletableFuture.supplyAsync(() -> get("/slow", cookie));
            assertThat(two.slowArrived.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(upstream(server, "api#127.0.0.2").inFlight()).isEqualTo(1);

            dns.answer("127.0.0.2 api.test\n");
            waitFor(() -> servers(server).equals(List.of("api#127.0.0.2")), "127.0.0.3 gone from the pool after its TTL");
            assertThat(spread(6)).as("no new request to the address DNS dropped").isEqualTo(Map.of("127.0.0.2", 6));
            assertThat(upstream(server, "api#127.0.0.2").inFlight()).as("the request in flight counted across the change")
                .isEqualTo(1);
            final RawHttp.Response sticky = get("/", cookie);
            assertThat(sticky.header("x-served-by")).isEqualTo("127.0.0.2");
            assertThat(sticky.header("set-cookie")).as("its sticky cookie still names it").isNull();
            two.release();
            assertThat(slow.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            waitFor(() -> upstream(server, "api#127.0.0.2").inFlight() == 0, "the slow request's slot given back");

            dns.stop();
            waitFor(() -> metric(server, "sluice_l7_dns_failures_total") >= 1, "a failed lookup counted");
            assertThat(spread(4)).as("the last good address keeps serving").isEqualTo(Map.of("127.0.0.2", 4));
            assertThat(servers(server)).containsExactly("api#127.0.0.2");
            assertThat(metric(server, "sluice_l7_dns_addresses")).isEqualTo(1);

            dns.begin(BOTH);
            waitFor(() -> servers(server).size() == 2, "the answers followed again once dnsmasq is back");
            assertThat(spread(10)).isEqualTo(Map.of("127.0.0.2", 5, "127.0.0.3", 5));
            assertThat(metric(server, "sluice_l7_dns_addresses")).isEqualTo(2);
            assertThat(metric(server, "sluice_l7_dns_resolutions_total"))
                .isGreaterThan(metric(server, "sluice_l7_dns_failures_total"));
        }
    }

    @Test
    void aNameThatDoesNotResolveRefusesTheStartInOneLine() throws Exception
    {
        try (Dnsmasq dns = Dnsmasq.start(dir, BOTH))
        {
            assertThatThrownBy(() -> new L7Server(config(dns, "nowhere.test", 8080, ""), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pools.api.servers[0]: nowhere.test does not resolve (NXDOMAIN); dns: { unresolved: empty } would "
                    + "serve it once it does");
        }
    }

    @Test
    void withUnresolvedEmptyThePoolWaitsForItsName() throws Exception
    {
        try (Dnsmasq dns = Dnsmasq.start(dir, BOTH);
             AddressBackend two = new AddressBackend("127.0.0.2", 0);
             L7Server server = new L7Server(config(dns, "later.test", two.port(), ", unresolved: empty"), 1))
        {
            assertThat(servers(server)).isEmpty();
            assertThat(get("/", null).status()).as("no server yet").isEqualTo(503);
            dns.answer(BOTH + "127.0.0.2 later.test\n");
            waitFor(() -> servers(server).equals(List.of("api#127.0.0.2")), "the name served once it resolves");
            assertThat(get("/", null).header("x-served-by")).isEqualTo("127.0.0.2");
        }
    }

    @Test
    void aReloadKeepsTheNamesItKeepsAndARefusedOneChangesNothing() throws Exception
    {
        // no request is sent: the pool's servers are what is looked at, and need no backend behind them
        try (Dnsmasq dns = Dnsmasq.start(dir, BOTH);
             L7Server server = new L7Server(config(dns, "api.test", 8080, ""), 1))
        {
            dns.answer("127.0.0.2 api.test\n");
            waitFor(() -> servers(server).size() == 1, "the answer followed");
            final long lookups = metric(server, "sluice_l7_dns_resolutions_total");
            // other dns: settings (a new resolver), the same name
            server.reload(config(dns, "api.test", 8080, ", unresolved: empty"));
            assertThat(servers(server)).as("the name's last answer").containsExactly("api#127.0.0.2");
            assertThat(metric(server, "sluice_l7_dns_resolutions_total")).as("its count goes on").isGreaterThanOrEqualTo(lookups);
            assertThatThrownBy(() -> server.reload(config(dns, "nowhere.test", 8080, "")))
                .hasMessageContaining("nowhere.test does not resolve (NXDOMAIN)");
            assertThat(servers(server)).containsExactly("api#127.0.0.2");
            dns.answer(BOTH);
            waitFor(() -> servers(server).size() == 2, "the kept name still followed, by the new resolver");
        }
    }

    private static List<String> servers(final L7Server server)
    {
        return server.router().pools().get("api").upstreams().stream().map(Upstream::name).toList();
    }

    private static Upstream upstream(final L7Server server, final String name)
    {
        return server.router().pools().get("api").upstream(name);
    }

    /** The name's sample of a {@code sluice_l7_dns_*} family. */
    private static long metric(final L7Server server, final String family)
    {
        final String series = family + "{name=\"api.test\"} ";
        return server.metrics().prometheusText().lines().filter(line -> line.startsWith(series))
            .mapToLong(line -> Long.parseLong(line.substring(series.length()))).findFirst().orElse(-1);
    }

    /** Which backend served each of {@code count} requests on one connection, by address. */
    private Map<String, Integer> spread(final int count) throws IOException
    {
        final Map<String, Integer> servedBy = new TreeMap<>();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port))
        {
            for (int i = 0; i < count; i++)
            {
                final RawHttp.Response response = RawHttp.get(socket, "/");
                assertThat(response.status()).isEqualTo(200);
                servedBy.merge(response.header("x-served-by"), 1, Integer::sum);
            }
        }
        return servedBy;
    }

    /** The sticky cookie ({@code S=...}) of the server at {@code address}. */
    private String cookieFor(final String address)
    {
        for (int i = 0; i < 10; i++)
        {
            final RawHttp.Response response = get("/", null);
            if (address.equals(response.header("x-served-by")))
            {
                final String setCookie = response.header("set-cookie");
                return setCookie.substring(0, setCookie.indexOf(';'));
            }
        }
        throw new AssertionError("no request went to " + address);
    }

    /** One request on a connection of its own, with the cookie if not null. */
    private RawHttp.Response get(final String path, final String cookie)
    {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port))
        {
            return cookie == null ? RawHttp.get(socket, path) : RawHttp.get(socket, path, "Cookie: " + cookie + "\r\n");
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static void waitFor(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
