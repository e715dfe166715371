package io.sluice.control.doctor;

/**
 * Everything a check may look at, each part replaceable in tests.
 *
 * @param files    /proc, /sys and the like, under a root path.
 * @param commands {@code ethtool} and {@code ip}, for what the kernel tells no file.
 * @param kernel   probes that ask the kernel by trying (sockets, bpf(2), an XDP attachment).
 * @param network  interfaces, addresses, routes and neighbours (rtnetlink).
 */
public record Host(HostFiles files, HostCommands commands, KernelProbes kernel, HostNetwork network)
{
}
