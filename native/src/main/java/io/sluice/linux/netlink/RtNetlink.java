package io.sluice.linux.netlink;

import io.sluice.linux.Errno;
import io.sluice.linux.Libc;
import io.sluice.linux.LinuxException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * The kernel's routing tables through one NETLINK_ROUTE socket: links, addresses, IPv4 routes,
 * IPv4 and IPv6 route lookups, the neighbour tables (ARP and NDP), and asking the kernel to
 * resolve a neighbour.
 *
 * <p>IPv4 addresses cross this API as the int the wire carries; IPv6 addresses as
 * {@link Inet6Address}es without a scope id (a link-local address goes with an interface index
 * instead: {@link RouteLookup6#outputIfIndex()}, {@link Neighbour6#ifIndex()}). Inet6Address is a
 * value with equals and hashCode, so the records compare and hash as values and can key maps.
 *
 * <p>Answers come from the network namespace of the thread that opened it. Off the data path:
 * allocates freely; one thread at a time. Failures are {@link LinuxException}s named after the
 * request, e.g. {@code RTM_GETROUTE: Network is unreachable (errno 101)}.
 */
public final class RtNetlink implements AutoCloseable
{
    private static final int MAX_DUMP_ATTEMPTS = 3;
    private static final int DISCARD_PORT = 9;
    private static final int RTN_LOCAL = 2;
    private static final int SOLICIT_FLAGS =
        Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_CREATE | Netlink.NLM_F_REPLACE;
    private static final ValueLayout.OfShort NETWORK_SHORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt NETWORK_INT = JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);

    private final NetlinkSocket socket;

    private RtNetlink(final NetlinkSocket socket)
    {
        this.socket = socket;
    }

    /** Opens a NETLINK_ROUTE socket in the calling thread's network namespace. */
    public static RtNetlink open()
    {
        return new RtNetlink(NetlinkSocket.open(Netlink.NETLINK_ROUTE));
    }

    public List<Link> links()
    {
        return dump(() -> new NetlinkRequest(Netlink.RTM_GETLINK, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP)
            .u8(0).u8(0).u16(0).u32(0).u32(0).u32(0), RtNetlink::parseLink);
    }

    public Optional<Link> link(final String name)
    {
        for (final Link link : links())
        {
            if (link.name().equals(name))
            {
                return Optional.of(link);
            }
        }
        return Optional.empty();
    }

    /** @return the IPv4 and IPv6 addresses of every interface. */
    public List<InterfaceAddress> addresses()
    {
        return dump(() -> new NetlinkRequest(Netlink.RTM_GETADDR, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP)
            .u8(0).u8(0).u8(0).u8(0).u32(0), RtNetlink::parseAddress);
    }

    /** @return the IPv4 unicast routes of the main table. */
    public List<Route> routes()
    {
        return dump(() -> new NetlinkRequest(Netlink.RTM_GETROUTE, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP)
            .u8(Libc.AF_INET).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u32(0), RtNetlink::parseRoute);
    }

    /**
     * Asks the kernel which way it would send to {@code ipv4} (like {@code ip route get}).
     *
     * @throws LinuxException e.g. {@code RTM_GETROUTE: Network is unreachable (errno 101)}.
     */
    public RouteLookup routeTo(final int ipv4)
    {
        final NetlinkRequest request = new NetlinkRequest(Netlink.RTM_GETROUTE, Netlink.NLM_F_REQUEST)
            .u8(Libc.AF_INET).u8(32).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u32(0)
            .ipv4Attribute(Netlink.RTA_DST, ipv4);
        return lookUpRoute(request, Addresses.ipv4(ipv4), (attributes, routeType) -> new RouteLookup(
            attributes.u32(Netlink.RTA_OIF, 0), attributes.ipv4(Netlink.RTA_GATEWAY),
            attributes.ipv4(Netlink.RTA_PREFSRC), routeType == RTN_LOCAL));
    }

    /**
     * Asks the kernel which way it would send to {@code destination} (like {@code ip -6 route get}).
     * A link-local destination is looked up without an interface: the kernel picks one.
     *
     * @throws LinuxException e.g. {@code RTM_GETROUTE: Network is unreachable (errno 101)}.
     */
    public RouteLookup6 routeTo6(final Inet6Address destination)
    {
        final NetlinkRequest request = new NetlinkRequest(Netlink.RTM_GETROUTE, Netlink.NLM_F_REQUEST)
            .u8(Libc.AF_INET6).u8(128).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u32(0)
            .ipv6Attribute(Netlink.RTA_DST, destination);
        return lookUpRoute(request, Addresses.ipv6(destination), (attributes, routeType) -> new RouteLookup6(
            attributes.u32(Netlink.RTA_OIF, 0), attributes.ipv6(Netlink.RTA_GATEWAY),
            attributes.ipv6(Netlink.RTA_PREFSRC), routeType == RTN_LOCAL));
    }

    /** @return the IPv4 neighbour (ARP) entries of every interface. */
    public List<Neighbour> neighbours()
    {
        return dump(() -> new NetlinkRequest(Netlink.RTM_GETNEIGH, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP)
            .u8(Libc.AF_INET).u8(0).u16(0).u32(0).u16(0).u8(0).u8(0), RtNetlink::parseNeighbour);
    }

    /** @return the IPv6 neighbour (NDP) entries of every interface. */
    public List<Neighbour6> neighbours6()
    {
        return dump(() -> new NetlinkRequest(Netlink.RTM_GETNEIGH, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP)
            .u8(Libc.AF_INET6).u8(0).u16(0).u32(0).u16(0).u8(0).u8(0), RtNetlink::parseNeighbour6);
    }

    /**
     * Makes the kernel resolve the MAC of an on-link address now, without sending anything from
     * Java: RTM_NEWNEIGH with NLM_F_CREATE and NTF_USE, as {@code ip neigh replace ADDR dev IF use}
     * does, creates the entry if needed and kicks off ARP for it. The answer shows up later in
     * {@link #neighbours()}. Should the kernel refuse, one UDP datagram to the discard port (9)
     * from a socket bound to the interface makes it resolve the address the ordinary way.
     */
    public void solicitNeighbour(final int ifIndex, final int ipv4)
    {
        solicit(solicitation(Libc.AF_INET, ifIndex).ipv4Attribute(Netlink.NDA_DST, ipv4),
            () -> sendDiscardDatagram(ifIndex, ipv4));
    }

    /**
     * The IPv6 {@link #solicitNeighbour}: the same RTM_NEWNEIGH with NTF_USE, for which the kernel
     * sends a Neighbour Solicitation ({@code ip -6 neigh replace ADDR dev IF use}); the answer
     * shows up later in {@link #neighbours6()}. The fallback is the same datagram, over IPv6.
     *
     * <p>The kernel sends a solicitation only from a link-local address of the interface that has
     * finished duplicate address detection; until then the entry waits, INCOMPLETE, and the kernel
     * retries (three times a second apart by default).
     *
     * @param address an on-link address of {@code ifIndex}, link-local ones included.
     */
    public void solicitNeighbour6(final int ifIndex, final Inet6Address address)
    {
        solicit(solicitation(Libc.AF_INET6, ifIndex).ipv6Attribute(Netlink.NDA_DST, address),
            () -> sendDiscardDatagram6(ifIndex, address));
    }

    @Override
    public void close()
    {
        socket.close();
    }

    /** RTM_NEWNEIGH for an entry of {@code ifIndex} with NTF_USE, up to NDA_DST, which the caller adds. */
    private static NetlinkRequest solicitation(final int family, final int ifIndex)
    {
        return new NetlinkRequest(Netlink.RTM_NEWNEIGH, SOLICIT_FLAGS)
            .u8(family).u8(0).u16(0).u32(ifIndex).u16(0).u8(Netlink.NTF_USE).u8(0);
    }

    private void solicit(final NetlinkRequest request, final Runnable fallback)
    {
        try
        {
            socket.exchange(request, SOLICIT_FLAGS, (buffer, at, length, type) ->
            {
            });
        }
        catch (final LinuxException refused)
        {
            try
            {
                fallback.run();
            }
            catch (final LinuxException fallbackFailed)
            {
                refused.addSuppressed(fallbackFailed);
                throw refused;
            }
        }
    }

    @FunctionalInterface
    private interface RouteLookupParser<T>
    {
        T parse(NetlinkAttributes attributes, int routeType);
    }

    /** Sends one RTM_GETROUTE for a single destination and parses the route the kernel answers with. */
    private <T> T lookUpRoute(final NetlinkRequest request, final String destination, final RouteLookupParser<T> parser)
    {
        final List<T> answers = new ArrayList<>(1);
        socket.exchange(request, Netlink.NLM_F_REQUEST, (buffer, at, length, type) ->
        {
            if (type == Netlink.RTM_NEWROUTE)
            {
                final int body = at + Netlink.HEADER_LENGTH;
                final NetlinkAttributes attributes =
                    NetlinkAttributes.parse(buffer, body + (int)Netlink.RTMSG.byteSize(), at + length);
                final int routeType = buffer.get(JAVA_BYTE, body + 7) & 0xFF;
                answers.add(parser.parse(attributes, routeType));
            }
        });
        if (answers.isEmpty())
        {
            throw new IllegalStateException("RTM_GETROUTE: the kernel answered without a route for " + destination);
        }
        return answers.getFirst();
    }

    @FunctionalInterface
    private interface RequestFactory
    {
        NetlinkRequest create();
    }

    @FunctionalInterface
    private interface Parser<T>
    {
        /** @return the parsed entry, or null to skip the message. */
        T parse(MemorySegment buffer, int at, int length, int type);
    }

    private <T> List<T> dump(final RequestFactory requests, final Parser<T> parser)
    {
        final List<T> entries = new ArrayList<>();
        for (int attempt = 1; ; attempt++)
        {
            entries.clear();
            final boolean consistent = socket.exchange(requests.create(), Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP,
                (buffer, at, length, type) ->
                {
                    final T entry = parser.parse(buffer, at, length, type);
                    if (entry != null)
                    {
                        entries.add(entry);
                    }
                });
            if (consistent || attempt == MAX_DUMP_ATTEMPTS)
            {
                return entries;
            }
        }
    }

    private static Link parseLink(final MemorySegment buffer, final int at, final int length, final int type)
    {
        if (type != Netlink.RTM_NEWLINK)
        {
            return null;
        }
        final int body = at + Netlink.HEADER_LENGTH;
        final int index = buffer.get(JAVA_INT_UNALIGNED, body + 4);
        final int flags = buffer.get(JAVA_INT_UNALIGNED, body + 8);
        final NetlinkAttributes attributes =
            NetlinkAttributes.parse(buffer, body + (int)Netlink.IFINFOMSG.byteSize(), at + length);
        return new Link(index, attributes.string(Netlink.IFLA_IFNAME), attributes.mac(Netlink.IFLA_ADDRESS),
            attributes.u32(Netlink.IFLA_MTU, 0), (flags & Netlink.IFF_UP) != 0);
    }

    private static InterfaceAddress parseAddress(final MemorySegment buffer, final int at, final int length, final int type)
    {
        if (type != Netlink.RTM_NEWADDR)
        {
            return null;
        }
        final int body = at + Netlink.HEADER_LENGTH;
        final int family = buffer.get(JAVA_BYTE, body) & 0xFF;
        final int prefixLength = buffer.get(JAVA_BYTE, body + 1) & 0xFF;
        final int ifIndex = buffer.get(JAVA_INT_UNALIGNED, body + 4);
        final NetlinkAttributes attributes =
            NetlinkAttributes.parse(buffer, body + (int)Netlink.IFADDRMSG.byteSize(), at + length);
        final int which = attributes.has(Netlink.IFA_LOCAL) ? Netlink.IFA_LOCAL : Netlink.IFA_ADDRESS;
        final InetAddress address = Addresses.of(family, attributes.bytes(which));
        return address == null ? null : new InterfaceAddress(ifIndex, family, address, prefixLength);
    }

    private static Route parseRoute(final MemorySegment buffer, final int at, final int length, final int type)
    {
        if (type != Netlink.RTM_NEWROUTE)
        {
            return null;
        }
        final int body = at + Netlink.HEADER_LENGTH;
        final int family = buffer.get(JAVA_BYTE, body) & 0xFF;
        final int prefixLength = buffer.get(JAVA_BYTE, body + 1) & 0xFF;
        final int headerTable = buffer.get(JAVA_BYTE, body + 4) & 0xFF;
        final int routeType = buffer.get(JAVA_BYTE, body + 7) & 0xFF;
        final NetlinkAttributes attributes =
            NetlinkAttributes.parse(buffer, body + (int)Netlink.RTMSG.byteSize(), at + length);
        final int table = attributes.u32(Netlink.RTA_TABLE, headerTable);
        if (family != Libc.AF_INET || table != Netlink.RT_TABLE_MAIN || routeType != Netlink.RTN_UNICAST)
        {
            return null;
        }
        int gateway = attributes.ipv4(Netlink.RTA_GATEWAY);
        int outputIfIndex = attributes.u32(Netlink.RTA_OIF, 0);
        if (attributes.has(Netlink.RTA_MULTIPATH) && attributes.payloadLength(Netlink.RTA_MULTIPATH) >= Netlink.RTNEXTHOP.byteSize())
        {
            final int hop = attributes.payloadOffset(Netlink.RTA_MULTIPATH);
            final int hopLength = buffer.get(JAVA_SHORT_UNALIGNED, hop) & 0xFFFF;
            outputIfIndex = buffer.get(JAVA_INT_UNALIGNED, hop + 4);
            final NetlinkAttributes hopAttributes =
                NetlinkAttributes.parse(buffer, hop + (int)Netlink.RTNEXTHOP.byteSize(), hop + hopLength);
            gateway = hopAttributes.ipv4(Netlink.RTA_GATEWAY);
        }
        return new Route(attributes.ipv4(Netlink.RTA_DST), prefixLength, gateway, outputIfIndex,
            attributes.ipv4(Netlink.RTA_PREFSRC));
    }

    private static Neighbour parseNeighbour(final MemorySegment buffer, final int at, final int length, final int type)
    {
        if (type != Netlink.RTM_NEWNEIGH)
        {
            return null;
        }
        final int body = at + Netlink.HEADER_LENGTH;
        final int family = buffer.get(JAVA_BYTE, body) & 0xFF;
        if (family != Libc.AF_INET)
        {
            return null;
        }
        final int ifIndex = buffer.get(JAVA_INT_UNALIGNED, body + 4);
        final int state = buffer.get(JAVA_SHORT_UNALIGNED, body + 8) & 0xFFFF;
        final NetlinkAttributes attributes =
            NetlinkAttributes.parse(buffer, body + (int)Netlink.NDMSG.byteSize(), at + length);
        return new Neighbour(ifIndex, attributes.ipv4(Netlink.NDA_DST), attributes.mac(Netlink.NDA_LLADDR), state);
    }

    private static Neighbour6 parseNeighbour6(final MemorySegment buffer, final int at, final int length, final int type)
    {
        if (type != Netlink.RTM_NEWNEIGH)
        {
            return null;
        }
        final int body = at + Netlink.HEADER_LENGTH;
        final int family = buffer.get(JAVA_BYTE, body) & 0xFF;
        if (family != Libc.AF_INET6)
        {
            return null;
        }
        final int ifIndex = buffer.get(JAVA_INT_UNALIGNED, body + 4);
        final int state = buffer.get(JAVA_SHORT_UNALIGNED, body + 8) & 0xFFFF;
        final NetlinkAttributes attributes =
            NetlinkAttributes.parse(buffer, body + (int)Netlink.NDMSG.byteSize(), at + length);
        final Inet6Address address = attributes.ipv6(Netlink.NDA_DST);
        return address == null ? null : new Neighbour6(ifIndex, address, attributes.mac(Netlink.NDA_LLADDR), state);
    }

    /** The fallback of {@link #solicitNeighbour}: the kernel resolves the next hop to send this. */
    static void sendDiscardDatagram(final int ifIndex, final int ipv4)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment destination = arena.allocate(16, 4);
            destination.set(JAVA_SHORT, 0, (short)Libc.AF_INET);
            destination.set(NETWORK_SHORT, 2, (short)DISCARD_PORT);
            destination.set(NETWORK_INT, 4, ipv4);
            sendOneByteDatagram(Libc.AF_INET, ifIndex, destination, "udp " + Addresses.ipv4(ipv4) + ":9");
        }
    }

    /** The fallback of {@link #solicitNeighbour6}: the same datagram over IPv6. */
    static void sendDiscardDatagram6(final int ifIndex, final Inet6Address address)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment destination = arena.allocate(Netlink.SOCKADDR_IN6);
            destination.set(JAVA_SHORT, 0, (short)Libc.AF_INET6);
            destination.set(NETWORK_SHORT, Netlink.SIN6_PORT, (short)DISCARD_PORT);
            MemorySegment.copy(address.getAddress(), 0, destination, JAVA_BYTE, Netlink.SIN6_ADDR, Addresses.IPV6_BYTES);
            // No scope id even for a link-local destination: the socket is bound to the interface.
            sendOneByteDatagram(Libc.AF_INET6, ifIndex, destination, "udp [" + Addresses.ipv6(address) + "]:9");
        }
    }

    /** One byte over UDP from a socket bound to {@code ifIndex}, to a sockaddr_in or sockaddr_in6 of {@code family}. */
    private static void sendOneByteDatagram(final int family, final int ifIndex, final MemorySegment destination,
        final String name)
    {
        final MemorySegment errno = Libc.errnoState();
        final int fd = LinuxException.check(family == Libc.AF_INET6 ? "socket(AF_INET6, SOCK_DGRAM)" : "socket(AF_INET, SOCK_DGRAM)",
            Libc.socket(errno, family, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK, 0));
        try (Arena arena = Arena.ofConfined())
        {
            LinuxException.check("setsockopt(SOL_SOCKET, SO_BINDTOIFINDEX)",
                Libc.setsockopt(errno, fd, Libc.SOL_SOCKET, Libc.SO_BINDTOIFINDEX, ifIndex));
            final MemorySegment payload = arena.allocate(1);
            final long sent = Libc.sendto(errno, fd, payload, 1, Libc.MSG_DONTWAIT, destination, (int)destination.byteSize());
            // EAGAIN: the datagram waits for ARP or NDP in the neighbour queue, which is what we want.
            if (sent < 0 && sent != -Errno.EAGAIN)
            {
                LinuxException.check("sendto(" + name + ")", sent);
            }
        }
        finally
        {
            Libc.close(errno, fd);
        }
    }
}
