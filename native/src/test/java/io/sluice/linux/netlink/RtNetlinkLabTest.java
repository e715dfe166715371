package io.sluice.linux.netlink;

import io.sluice.linux.Libc;
import io.sluice.linux.LinuxException;
import io.sluice.linux.testing.Privileges;
import io.sluice.linux.testing.VethLab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** rtnetlink answers inside namespace a of a veth lab (its socket is opened there). */
@Tag("lab")
class RtNetlinkLabTest
{
    private static final int REMOTE_NETWORK = 0xC612_FC00;     // 198.18.252.0/24 via b
    private static final int SILENT_NEIGHBOUR = 0xC612_FA63;   // 198.18.250.99: on-link, nobody answers
    private static final int CONNECTED_NETWORK = 0xC612_FA00;
    private static final long GIVE_UP_NS = 10_000_000_000L;

    private static VethLab lab;
    private static RtNetlink netlink;
    private static int vethIndex;

    @BeforeAll
    static void createLab()
    {
        Privileges.requireRootAndIp();
        lab = VethLab.create("nt");
        lab.ipIn(lab.namespaceA(), "route", "add", "198.18.252.0/24", "via", VethLab.ipv4(VethLab.ADDRESS_B));
        netlink = VethLab.inNamespace(lab.namespaceA(), RtNetlink::open);
        vethIndex = netlink.link(VethLab.INTERFACE_A).orElseThrow().index();
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

    private static Optional<Neighbour> neighbour(final int ipv4)
    {
        return netlink.neighbours().stream().filter(entry -> entry.ipv4() == ipv4).findFirst();
    }
}
