package io.sluice.linux.testing;

import io.sluice.linux.NetworkNamespace;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Two network namespaces joined by a veth pair, for tests that need real packets:
 *
 * <pre>
 *  sluice-TAG-RANDOM-a                         sluice-TAG-RANDOM-b
 *  veth-a 198.18.250.1/24 02:00:c6:12:fa:01 ── veth-b 198.18.250.2/24 02:00:c6:12:fa:02
 * </pre>
 *
 * The veth ends are created directly inside the namespaces, so the host's own interfaces are
 * never touched. {@link #close()} deletes both namespaces (and with them the pair); use it in
 * try-with-resources or {@code @AfterAll}. Call {@link Privileges#requireRootAndIp()} first.
 *
 * <p>IPv6 on request: {@link #addIpv6()} gives the ends 2001:2::1/64 and 2001:2::2/64.
 */
public final class VethLab implements AutoCloseable
{
    public static final String INTERFACE_A = "veth-a";
    public static final String INTERFACE_B = "veth-b";
    public static final long MAC_A = 0x0200_c612_fa01L;
    public static final long MAC_B = 0x0200_c612_fa02L;
    /** 198.18.250.1 and .2 as the int the wire carries. */
    public static final int ADDRESS_A = 0xC612_FA01;
    public static final int ADDRESS_B = 0xC612_FA02;
    public static final int PREFIX_LENGTH = 24;
    /** 2001:2::1 and ::2, which {@link #addIpv6()} gives veth-a and veth-b. */
    public static final Inet6Address ADDRESS6_A = ipv6("2001:2::1");
    public static final Inet6Address ADDRESS6_B = ipv6("2001:2::2");
    public static final int PREFIX6_LENGTH = 64;
    /** The link-local addresses the kernel makes from MAC_A and MAC_B (EUI-64: ff:fe in the middle, the U/L bit flipped). */
    public static final Inet6Address LINK_LOCAL_A = ipv6("fe80::c6ff:fe12:fa01");
    public static final Inet6Address LINK_LOCAL_B = ipv6("fe80::c6ff:fe12:fa02");

    private static final long IPV6_READY_TIMEOUT_NS = 10_000_000_000L;

    private final String namespaceA;
    private final String namespaceB;
    private final List<String> created = new ArrayList<>();

    private VethLab(final String tag)
    {
        final String base = "sluice-" + tag + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        this.namespaceA = base + "-a";
        this.namespaceB = base + "-b";
    }

    /** @param tag a short word naming the test, part of the namespace names. */
    public static VethLab create(final String tag)
    {
        final VethLab lab = new VethLab(tag);
        try
        {
            lab.addNamespace(lab.namespaceA);
            lab.addNamespace(lab.namespaceB);
            run("ip", "link", "add", INTERFACE_A, "address", mac(MAC_A), "netns", lab.namespaceA, "type", "veth",
                "peer", "name", INTERFACE_B, "address", mac(MAC_B), "netns", lab.namespaceB);
            lab.ipIn(lab.namespaceA, "addr", "add", ipv4(ADDRESS_A) + "/" + PREFIX_LENGTH, "dev", INTERFACE_A);
            lab.ipIn(lab.namespaceB, "addr", "add", ipv4(ADDRESS_B) + "/" + PREFIX_LENGTH, "dev", INTERFACE_B);
            lab.ipIn(lab.namespaceA, "link", "set", INTERFACE_A, "up");
            lab.ipIn(lab.namespaceB, "link", "set", INTERFACE_B, "up");
            lab.ipIn(lab.namespaceA, "link", "set", "lo", "up");
            lab.ipIn(lab.namespaceB, "link", "set", "lo", "up");
            return lab;
        }
        catch (final RuntimeException ex)
        {
            lab.close();
            throw ex;
        }
    }

    /**
     * Gives veth-a {@link #ADDRESS6_A}/64 and veth-b {@link #ADDRESS6_B}/64 and returns once both
     * ends can use IPv6 right away: IPv6 enabled, duplicate address detection off, and the
     * link-local address (which the kernel sends Neighbour Solicitations from) made again without
     * it and from the MAC, by taking each end down and up. That also drops the routes through the
     * pair: call this before adding any.
     */
    public void addIpv6()
    {
        addIpv6(namespaceA, INTERFACE_A, ADDRESS6_A);
        addIpv6(namespaceB, INTERFACE_B, ADDRESS6_B);
        awaitLinkLocal(namespaceA, INTERFACE_A);
        awaitLinkLocal(namespaceB, INTERFACE_B);
    }

    private void addIpv6(final String namespace, final String device, final Inet6Address address)
    {
        run("ip", "netns", "exec", namespace, "sysctl", "-qw",
            "net.ipv6.conf." + device + ".disable_ipv6=0", "net.ipv6.conf." + device + ".accept_dad=0");
        ipIn(namespace, "link", "set", device, "down");
        ipIn(namespace, "link", "set", device, "addrgenmode", "eui64");
        ipIn(namespace, "link", "set", device, "up");
        ipIn(namespace, "-6", "addr", "add", address.getHostAddress() + "/" + PREFIX6_LENGTH, "dev", device, "nodad");
    }

    /** The link-local address appears once the peer's carrier is seen, a moment after the link is up. */
    private void awaitLinkLocal(final String namespace, final String device)
    {
        final long deadline = System.nanoTime() + IPV6_READY_TIMEOUT_NS;
        while (!ipIn(namespace, "-6", "addr", "show", "dev", device, "scope", "link", "-tentative").contains("inet6 fe80:"))
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException(device + " in " + namespace + " has no usable link-local address: " +
                    ipIn(namespace, "-6", "addr", "show", "dev", device));
            }
            Thread.onSpinWait();
        }
    }

    public String namespaceA()
    {
        return namespaceA;
    }

    public String namespaceB()
    {
        return namespaceB;
    }

    /** Runs {@code ip -n NAMESPACE ARGS...}; throws with ip's output when it fails. */
    public String ipIn(final String namespace, final String... args)
    {
        final List<String> command = new ArrayList<>(List.of("ip", "-n", namespace));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    /** Runs the work on a new thread that first enters the namespace, waits for it and returns its result. */
    public static <T> T inNamespace(final String namespace, final Callable<T> work)
    {
        return onNewThread("netns-" + namespace, () ->
        {
            NetworkNamespace.enter(namespace);
            return work.call();
        });
    }

    /** Runs the work on a new thread (which inherits the caller's namespace) and returns its result. */
    public static <T> T onNewThread(final Callable<T> work)
    {
        return onNewThread("lab-worker", work);
    }

    private static <T> T onNewThread(final String name, final Callable<T> work)
    {
        final AtomicReference<T> result = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread = Thread.ofPlatform().name(name).unstarted(() ->
        {
            try
            {
                result.set(work.call());
            }
            catch (final Throwable t)
            {
                failure.set(t);
            }
        });
        thread.start();
        try
        {
            thread.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name, ex);
        }
        if (failure.get() instanceof RuntimeException runtime)
        {
            throw runtime;
        }
        if (failure.get() instanceof Error error)
        {
            throw error;
        }
        if (failure.get() != null)
        {
            throw new IllegalStateException(name + " failed", failure.get());
        }
        return result.get();
    }

    @Override
    public void close()
    {
        for (int i = created.size() - 1; i >= 0; i--)
        {
            try
            {
                run("ip", "netns", "del", created.get(i));
            }
            catch (final RuntimeException ignored)
            {
                // keep deleting the rest; a leftover shows up in `ip netns list` with our prefix
            }
        }
        created.clear();
    }

    public static String ipv4(final int address)
    {
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." +
            ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }

    /** @param literal an IPv6 address in text, not an IPv4-mapped one (Java makes those IPv4). */
    public static Inet6Address ipv6(final String literal)
    {
        return (Inet6Address)InetAddress.ofLiteral(literal);
    }

    public static String mac(final long mac)
    {
        return String.format("%02x:%02x:%02x:%02x:%02x:%02x",
            (mac >>> 40) & 0xFF, (mac >>> 32) & 0xFF, (mac >>> 24) & 0xFF, (mac >>> 16) & 0xFF, (mac >>> 8) & 0xFF, mac & 0xFF);
    }

    /** Runs a command, returns its output; throws naming the command and its output when it fails. */
    public static String run(final String... command)
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            final int exit = process.waitFor();
            if (exit != 0)
            {
                throw new IllegalStateException(String.join(" ", command) + " exited " + exit + ": " + output.strip());
            }
            return output;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot run " + String.join(" ", command), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), ex);
        }
    }

    private void addNamespace(final String name)
    {
        run("ip", "netns", "add", name);
        created.add(name);
    }
}
