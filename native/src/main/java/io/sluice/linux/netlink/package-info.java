/**
 * rtnetlink, off the data path: {@link io.sluice.linux.netlink.RtNetlink} lists links,
 * addresses, main-table IPv4 routes and neighbours, looks a route up for one destination and asks
 * the kernel to resolve a neighbour's MAC; the records are plain values with IPv4 addresses as
 * the int the wire carries and MACs as 48 bits in a long.
 */
package io.sluice.linux.netlink;
