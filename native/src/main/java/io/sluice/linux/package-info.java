/**
 * Linux through Panama FFM, with nothing but the JDK: {@link io.sluice.linux.Libc} links each
 * C function once and returns raw results ({@code -errno} on failure), {@link io.sluice.linux.LinuxException}
 * names the failed call and its errno, {@link io.sluice.linux.NetworkNamespace} moves a thread
 * into a named network namespace, {@link io.sluice.linux.AnonymousMemory} maps large tables in
 * huge pages that become resident only when written. The JVM needs
 * {@code --enable-native-access=ALL-UNNAMED}.
 *
 * <p>Subpackages: {@code packet} (AF_PACKET TPACKET_V3 rings, batched sendmmsg, classic BPF
 * filters) and {@code netlink} (rtnetlink: links, addresses, routes, neighbours).
 */
package io.sluice.linux;
