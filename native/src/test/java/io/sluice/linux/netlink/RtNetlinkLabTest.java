package io.sluice.linux.netlink;

import io.sluice.linux.Libc;
import io.sluice.linux.LinuxException;
import io.sluice.linux.testing.Privileges;
import io.sluice.linux.testing.VethLab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * rtnetlink answers inside namespace a of a veth lab (its socket is opened there). The IPv6 tests
 * have a lab of their own, with 2001:2::1/64 on veth-a and 2001:2::2/64 on veth-b.
 */
@Tag("lab")
class RtNetlinkLabTest
{
    private static final int REMOTE_NETWORK = 0xC612_FC00;     // 198.18.252.0/24 via b
    private static final int SILENT_NEIGHBOUR = 0xC612_FA63;   // 198.18.250.99: on-link, nobody answers
    private static final int CONNECTED_NETWORK = 0xC612_FA00;
    private static final long GIVE_UP_NS = 10_000_000_000L;

    private static final Inet6Address REMOTE_HOST6 = VethLab.ipv6("2001:2:9::7");              // 2001:2:9::/64 via 2001:2::2
    private static final Inet6Address BEHIND_LINK_LOCAL_GATEWAY = VethLab.ipv6("2001:2:8::7"); // 2001:2:8::/64 via b's fe80::
    private static final Inet6Address SILENT_NEIGHBOUR6 = VethLab.ipv6("2001:2::63");
    private static final Inet6Address UNROUTED6 = VethLab.ipv6("2001:db8::1");
    /** ::ffff:198.18.250.9, IPv4-mapped: on an interface it is an IPv6 address all the same. */
    private static final byte[] MAPPED_ADDRESS = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)0xFF, (byte)0xFF, (byte)198, 18, (byte)250, 9};

    private static VethLab lab;
    private static RtNetlink netlink;
    private static int vethIndex;
    private static VethLab lab6;
    private static RtNetlink netlink6;
    private static int vethIndex6;

    @BeforeAll
    static void createLab()
    {
        Privileges.requireRootAndIp();
        lab = VethLab.create("nt");
        lab.ipIn(lab.namespaceA(), "route", "add", "198.18.252.0/24", "via", VethLab.ipv4(VethLab.ADDRESS_B));
        netlink = VethLab.inNamespace(lab.namespaceA(), RtNetlink::open);
        vethIndex = netlink.link(VethLab.INTERFACE_A).orElseThrow().index();

        Privileges.require(Files.isDirectory(Path.of("/proc/sys/net/ipv6")), "needs IPv6 in the kernel");
        lab6 = VethLab.create("v6nl");
        lab6.addIpv6();
        lab6.ipIn(lab6.namespaceA(), "-6", "route", "add", "2001:2:9::/64", "via", VethLab.ADDRESS6_B.getHostAddress());
        lab6.ipIn(lab6.namespaceA(), "-6", "route", "add", "2001:2:8::/64",
            "via", VethLab.LINK_LOCAL_B.getHostAddress(), "dev", VethLab.INTERFACE_A);
        lab6.ipIn(lab6.namespaceA(), "-6", "addr", "add", "::ffff:198.18.250.9/128", "dev", VethLab.INTERFACE_A, "nodad");
        netlink6 = VethLab.inNamespace(lab6.namespaceA(), RtNetlink::open);
        vethIndex6 = netlink6.link(VethLab.INTERFACE_A).orElseThrow().index();
    }

    @AfterAll
    static void deleteLab()
    {
        if (netlink != null)
        {
            netlink.close();
        }
        if (lab != null)
        {
            lab.close();
        }
        if (netlink6 != null)
        {
            netlink6.close();
        }
        if (lab6 != null)
        {
            lab6.close();
        }
    }

    @Test
    void listsTheNamespacesLinks()
    {
        final List<Link> links = netlink.links();

        assertThat(links).extracting(Link::name).containsExactlyInAnyOrder("lo", VethLab.INTERFACE_A);
        final Link veth = netlink.link(VethLab.INTERFACE_A).orElseThrow();
        assertThat(veth.mac()).isEqualTo(VethLab.MAC_A);
        assertThat(veth.mtu()).isEqualTo(1500);
        assertThat(veth.up()).isTrue();
        assertThat(veth.index()).isPositive();
        assertThat(netlink.link("sluice-nope0")).isEqualTo(Optional.empty());
    }

    @Test
    void listsTheVethAddress()
    {
        final List<InterfaceAddress> addresses = netlink.addresses();

        assertThat(addresses).filteredOn(InterfaceAddress::isIpv4)
            .anySatisfy(address ->
            {
                assertThat(address.ifIndex()).isEqualTo(vethIndex);
                assertThat(address.ipv4()).isEqualTo(VethLab.ADDRESS_A);
                assertThat(address.prefixLength()).isEqualTo(VethLab.PREFIX_LENGTH);
                assertThat(address.family()).isEqualTo(Libc.AF_INET);
            });
    }

    @Test
    void listsConnectedAndGatewayRoutesOfTheMainTable()
    {
        final List<Route> routes = netlink.routes();

        assertThat(routes).contains(
            new Route(CONNECTED_NETWORK, 24, 0, vethIndex, VethLab.ADDRESS_A),
            new Route(REMOTE_NETWORK, 24, VethLab.ADDRESS_B, vethIndex, 0));
        assertThat(routes).noneMatch(route -> route.destination() == VethLab.ADDRESS_A && route.prefixLength() == 32);
    }

    @Test
    void routeLookupAnswersLikeIpRouteGet()
    {
        assertThat(netlink.routeTo(VethLab.ADDRESS_B)).isEqualTo(new RouteLookup(vethIndex, 0, VethLab.ADDRESS_A, false));
        final RouteLookup viaB = netlink.routeTo(REMOTE_NETWORK + 7);
        assertThat(viaB.gateway()).isEqualTo(VethLab.ADDRESS_B);
        assertThat(viaB.outputIfIndex()).isEqualTo(vethIndex);
        assertThat(viaB.nextHop(REMOTE_NETWORK + 7)).isEqualTo(VethLab.ADDRESS_B);
        assertThat(netlink.routeTo(VethLab.ADDRESS_A).local()).isTrue();
    }

    @Test
    void routeLookupWithoutARouteNamesTheError()
    {
        assertThatThrownBy(() -> netlink.routeTo(0x0808_0808))
            .isInstanceOf(LinuxException.class)
            .hasMessageStartingWith("RTM_GETROUTE: Network is unreachable (errno 101)")
            .satisfies(ex -> assertThat(((LinuxException)ex).errno()).isEqualTo(101));
    }

    @Test
    void solicitingANeighbourMakesTheKernelResolveItsMac()
    {
        assertThat(neighbour(VethLab.ADDRESS_B)).as("no entry before").isEmpty();

        netlink.solicitNeighbour(vethIndex, VethLab.ADDRESS_B);

        final long deadline = System.nanoTime() + GIVE_UP_NS;
        Optional<Neighbour> resolved = neighbour(VethLab.ADDRESS_B);
        while (resolved.filter(Neighbour::usable).isEmpty() && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
            resolved = neighbour(VethLab.ADDRESS_B);
        }
        assertThat(resolved).hasValueSatisfying(entry ->
        {
            assertThat(entry.mac()).isEqualTo(VethLab.MAC_B);
            assertThat(entry.state()).isEqualTo(Neighbour.NUD_REACHABLE);
            assertThat(entry.ifIndex()).isEqualTo(vethIndex);
            assertThat(entry.usable()).isTrue();
        });
    }

    /** The fallback for kernels that refuse NTF_USE; run from the namespace, as the datagram's socket lives there. */
    @Test
    void discardDatagramFallbackAlsoResolvesTheNeighbour()
    {
        try (VethLab fresh = VethLab.create("nt"))
        {
            final Optional<Neighbour> resolved = VethLab.inNamespace(fresh.namespaceA(), () ->
            {
                try (RtNetlink local = RtNetlink.open())
                {
                    final int index = local.link(VethLab.INTERFACE_A).orElseThrow().index();
                    RtNetlink.sendDiscardDatagram(index, VethLab.ADDRESS_B);
                    final long deadline = System.nanoTime() + GIVE_UP_NS;
                    Optional<Neighbour> entry = Optional.empty();
                    while (entry.filter(Neighbour::usable).isEmpty() && System.nanoTime() < deadline)
                    {
                        entry = local.neighbours().stream().filter(n -> n.ipv4() == VethLab.ADDRESS_B).findFirst();
                    }
                    return entry;
                }
            });

            assertThat(resolved).hasValueSatisfying(entry -> assertThat(entry.mac()).isEqualTo(VethLab.MAC_B));
        }
    }

    @Test
    void solicitingASilentAddressLeavesAnUnusableEntry()
    {
        netlink.solicitNeighbour(vethIndex, SILENT_NEIGHBOUR);

        assertThat(neighbour(SILENT_NEIGHBOUR)).hasValueSatisfying(entry ->
        {
            assertThat(entry.state()).isIn(Neighbour.NUD_INCOMPLETE, Neighbour.NUD_FAILED);
            assertThat(entry.usable()).isFalse();
        });
    }

    @Test
    void listsTheVethIpv6AddressesWithTheirPrefixes()
    {
        final List<InterfaceAddress> addresses = netlink6.addresses();

        assertThat(addresses).filteredOn(InterfaceAddress::isIpv6).contains(
            new InterfaceAddress(vethIndex6, Libc.AF_INET6, VethLab.ADDRESS6_A, VethLab.PREFIX6_LENGTH),
            new InterfaceAddress(vethIndex6, Libc.AF_INET6, VethLab.LINK_LOCAL_A, 64),
            new InterfaceAddress(vethIndex6, Libc.AF_INET6, ipv6(MAPPED_ADDRESS), 128));
        assertThat(addresses).filteredOn(address -> address.ifIndex() == vethIndex6 && address.isIpv6())
            .allSatisfy(address -> assertThat(address.ipv6().getAddress()).hasSize(16))
            .noneMatch(InterfaceAddress::isIpv4);
    }

    @Test
    void routeLookup6ToTheOnLinkPeerHasNoGateway()
    {
        final RouteLookup6 toB = netlink6.routeTo6(VethLab.ADDRESS6_B);

        assertThat(toB).isEqualTo(new RouteLookup6(vethIndex6, null, VethLab.ADDRESS6_A, false));
        assertThat(toB.nextHop(VethLab.ADDRESS6_B)).isEqualTo(VethLab.ADDRESS6_B);
    }

    @Test
    void routeLookup6ViaAGatewayGivesTheGatewayAsNextHop()
    {
        final RouteLookup6 viaB = netlink6.routeTo6(REMOTE_HOST6);

        assertThat(viaB).isEqualTo(new RouteLookup6(vethIndex6, VethLab.ADDRESS6_B, VethLab.ADDRESS6_A, false));
        assertThat(viaB.nextHop(REMOTE_HOST6)).isEqualTo(VethLab.ADDRESS6_B);
    }

    @Test
    void routeLookup6KeepsALinkLocalGatewayWithItsInterface()
    {
        final RouteLookup6 viaLinkLocal = netlink6.routeTo6(BEHIND_LINK_LOCAL_GATEWAY);

        assertThat(viaLinkLocal.gateway()).isEqualTo(VethLab.LINK_LOCAL_B);
        assertThat(viaLinkLocal.outputIfIndex()).isEqualTo(vethIndex6);
        assertThat(viaLinkLocal.nextHop(BEHIND_LINK_LOCAL_GATEWAY)).isEqualTo(VethLab.LINK_LOCAL_B);
    }

    @Test
    void routeLookup6ToOwnAddressIsLocal()
    {
        final RouteLookup6 own = netlink6.routeTo6(VethLab.ADDRESS6_A);

        assertThat(own.local()).isTrue();
        assertThat(own.gateway()).isNull();
        assertThat(netlink6.routeTo6(VethLab.ADDRESS6_B).local()).isFalse();
    }

    @Test
    void routeLookup6WithoutARouteNamesTheError()
    {
        assertThatThrownBy(() -> netlink6.routeTo6(UNROUTED6))
            .isInstanceOf(LinuxException.class)
            .hasMessageStartingWith("RTM_GETROUTE: Network is unreachable (errno 101)")
            .satisfies(ex -> assertThat(((LinuxException)ex).errno()).isEqualTo(101));
    }

    @Test
    void solicitingAnIpv6NeighbourMakesTheKernelResolveItsMac()
    {
        assertThat(forgottenNeighbour6(VethLab.ADDRESS6_B)).as("no entry before").isEmpty();

        netlink6.solicitNeighbour6(vethIndex6, VethLab.ADDRESS6_B);

        assertThat(awaitUsable(netlink6, VethLab.ADDRESS6_B)).hasValueSatisfying(entry ->
        {
            assertThat(entry.mac()).isEqualTo(VethLab.MAC_B);
            assertThat(entry.state()).isEqualTo(Neighbour.NUD_REACHABLE);
            assertThat(entry.ifIndex()).isEqualTo(vethIndex6);
            assertThat(entry.usable()).isTrue();
        });
    }

    @Test
    void solicitingALinkLocalGatewayResolvesItOnItsInterface()
    {
        assertThat(forgottenNeighbour6(VethLab.LINK_LOCAL_B)).as("no entry before").isEmpty();

        netlink6.solicitNeighbour6(vethIndex6, VethLab.LINK_LOCAL_B);

        assertThat(awaitUsable(netlink6, VethLab.LINK_LOCAL_B)).hasValueSatisfying(entry ->
        {
            assertThat(entry.mac()).isEqualTo(VethLab.MAC_B);
            assertThat(entry.state()).isEqualTo(Neighbour.NUD_REACHABLE);
            assertThat(entry.ifIndex()).isEqualTo(vethIndex6);
        });
    }

    @Test
    void solicitingASilentIpv6AddressLeavesAnUnusableEntry()
    {
        netlink6.solicitNeighbour6(vethIndex6, SILENT_NEIGHBOUR6);

        assertThat(neighbour6(netlink6, SILENT_NEIGHBOUR6)).hasValueSatisfying(entry ->
        {
            assertThat(entry.state()).isIn(Neighbour.NUD_INCOMPLETE, Neighbour.NUD_FAILED);
            assertThat(entry.ifIndex()).isEqualTo(vethIndex6);
            assertThat(entry.usable()).isFalse();
        });
    }

    /** The IPv6 fallback, to a global and a link-local address; run from the namespace, as the datagram's socket lives there. */
    @Test
    void discardDatagram6FallbackAlsoResolvesTheNeighbour()
    {
        try (VethLab fresh = VethLab.create("v6nl"))
        {
            fresh.addIpv6();
            final List<Optional<Neighbour6>> resolved = VethLab.inNamespace(fresh.namespaceA(), () ->
            {
                try (RtNetlink local = RtNetlink.open())
                {
                    final int index = local.link(VethLab.INTERFACE_A).orElseThrow().index();
                    RtNetlink.sendDiscardDatagram6(index, VethLab.ADDRESS6_B);
                    RtNetlink.sendDiscardDatagram6(index, VethLab.LINK_LOCAL_B);
                    return List.of(awaitUsable(local, VethLab.ADDRESS6_B), awaitUsable(local, VethLab.LINK_LOCAL_B));
                }
            });

            assertThat(resolved).allSatisfy(entry ->
                assertThat(entry).hasValueSatisfying(neighbour -> assertThat(neighbour.mac()).isEqualTo(VethLab.MAC_B)));
        }
    }

    private static Optional<Neighbour> neighbour(final int ipv4)
    {
        return netlink.neighbours().stream().filter(entry -> entry.ipv4() == ipv4).findFirst();
    }

    private static Optional<Neighbour6> neighbour6(final RtNetlink rtNetlink, final Inet6Address address)
    {
        return rtNetlink.neighbours6().stream().filter(entry -> entry.address().equals(address)).findFirst();
    }

    private static Optional<Neighbour6> awaitUsable(final RtNetlink rtNetlink, final Inet6Address address)
    {
        final long deadline = System.nanoTime() + GIVE_UP_NS;
        Optional<Neighbour6> entry = neighbour6(rtNetlink, address);
        while (entry.filter(Neighbour6::usable).isEmpty() && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
            entry = neighbour6(rtNetlink, address);
        }
        return entry;
    }

    /**
     * Drops any entry for the address first: NDP traffic of other tests can leave one behind
     * (veth-b probing a's link-local address makes a learn b's from the probe).
     */
    private static Optional<Neighbour6> forgottenNeighbour6(final Inet6Address address)
    {
        lab6.ipIn(lab6.namespaceA(), "-6", "neigh", "flush", "to", address.getHostAddress(), "dev", VethLab.INTERFACE_A);
        return neighbour6(netlink6, address);
    }

    private static Inet6Address ipv6(final byte[] bytes)
    {
        try
        {
            return Inet6Address.getByAddress(null, bytes, -1);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException(ex);
        }
    }
}
