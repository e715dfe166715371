/**
 * rtnetlink, off the data path: {@link io.sluice.linux.netlink.RtNetlink} lists links,
 * addresses, main-table IPv4 routes and the IPv4 (ARP) and IPv6 (NDP) neighbours, looks a route
 * up for one IPv4 or IPv6 destination and asks the kernel to resolve a neighbour's MAC; the
 * records are plain values with IPv4 addresses as the int the wire carries, IPv6 addresses as
 * {@link java.net.Inet6Address}es without a scope id, and MACs as 48 bits in a long.
 */
package io.sluice.linux.netlink;
