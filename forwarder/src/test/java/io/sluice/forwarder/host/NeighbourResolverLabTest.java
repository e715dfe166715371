package io.sluice.forwarder.host;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.linux.NetworkNamespace;
import io.sluice.linux.netlink.RtNetlink;
import io.sluice.linux.testing.Privileges;
import io.sluice.linux.testing.VethLab;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resolver against a real kernel: side a of a {@link VethLab} resolves next hops through
 * its own routes and ARP, side b answers ARP for 198.18.250.2 with veth-b's MAC.
 *
 * <p>Every resolver call runs on one thread that entered side a's namespace, as the conductor
 * thread would be in the forwarder's namespace: the netlink socket is opened there, and the
 * fallback solicitation (a datagram from a new socket) is made there too. The waits below wait
 * for the kernel's ARP, with a fail-safe for a broken setup; nothing asserts on time.
 */
@Tag("lab")
class NeighbourResolverLabTest
{
    private static final int SILENT_NEIGHBOUR = 0xC612_FA4D;   // 198.18.250.77: on-link, nobody has it
    private static final int BEHIND_GATEWAY = 0xC612_FC07;     // 198.18.252.7, routed via 198.18.250.2
    private static final long GIVE_UP_NS = 10_000_000_000L;
    private static final long POLL_MS = 50;

    private VethLab lab;
    private ExecutorService sideA;
    private NeighbourResolver resolver;

    @AfterEach
    void tearDown() throws Exception
    {
        if (resolver != null)
        {
            onSideA(() ->
            {
                resolver.close();
                return null;
            });
        }
        if (sideA != null)
        {
            sideA.shutdownNow();
        }
        CloseHelper.quietClose(lab);
    }

    @Test
    void onLinkNeighbourResolvesToItsMacOnceTheKernelHasAskedForIt() throws Exception
    {
        Privileges.requireRootAndIp();
        startResolver();
        assertThat(neighbourEntry(VethLab.ADDRESS_B)).as("neighbour table before the first call").isEmpty();

        final long first = resolve(VethLab.ADDRESS_B);

        assertThat(first).as("first answer: the kernel does not know the MAC yet").isZero();
        // Nothing else in the lab sends IPv4 to b, so an entry for b with its MAC means the
        // first call made the kernel ask.
        assertThat(awaitNeighbourEntryContaining(VethLab.ADDRESS_B, "lladdr " + VethLab.mac(VethLab.MAC_B)))
            .as("kernel's entry after the first call").contains("lladdr " + VethLab.mac(VethLab.MAC_B));
        assertThat(awaitResolved(VethLab.ADDRESS_B)).as("a later answer").isEqualTo(VethLab.MAC_B);
    }

    @Test
    void onLinkAddressNobodyHasStaysUnresolved() throws Exception
    {
        Privileges.requireRootAndIp();
        startResolver();

        assertThat(resolve(SILENT_NEIGHBOUR)).as("first answer").isZero();
        // The kernel asked (an entry exists) and gave up after its probes: FAILED.
        assertThat(awaitNeighbourEntryContaining(SILENT_NEIGHBOUR, "FAILED"))
            .as("kernel's entry after its ARP probes went unanswered").contains("FAILED").doesNotContain("lladdr");

        assertThat(resolve(SILENT_NEIGHBOUR)).as("answer after the kernel gave up").isZero();
        // The same resolver does resolve an address that answers: the zero above is the silence.
        assertThat(awaitResolved(VethLab.ADDRESS_B)).isEqualTo(VethLab.MAC_B);
        assertThat(resolve(SILENT_NEIGHBOUR)).as("still unresolved once another neighbour is known").isZero();
    }

    @Test
    void addressBehindAGatewayResolvesToTheGatewaysMac() throws Exception
    {
        Privileges.requireRootAndIp();
        startResolver();
        lab.ipIn(lab.namespaceA(), "route", "add", "198.18.252.0/24", "via", VethLab.ipv4(VethLab.ADDRESS_B));

        assertThat(resolve(BEHIND_GATEWAY)).as("first answer: the gateway's MAC is not known yet").isZero();
        assertThat(awaitResolved(BEHIND_GATEWAY)).as("the gateway's (veth-b's) MAC").isEqualTo(VethLab.MAC_B);

        assertThat(neighbourEntry(BEHIND_GATEWAY)).as("no neighbour entry for the off-link address itself").isEmpty();
        assertThat(neighbourEntry(VethLab.ADDRESS_B)).contains("lladdr " + VethLab.mac(VethLab.MAC_B));
    }

    private void startResolver() throws Exception
    {
        lab = VethLab.create("nr");
        sideA = Executors.newSingleThreadExecutor(runnable -> Thread.ofPlatform().name("side-a").daemon().unstarted(runnable));
        resolver = onSideA(() ->
        {
            NetworkNamespace.enter(lab.namespaceA());
            final RtNetlink netlink = RtNetlink.open();
            try
            {
                final int ifIndex = netlink.link(VethLab.INTERFACE_A).orElseThrow().index();
                return new NeighbourResolver(netlink, ifIndex);
            }
            catch (final RuntimeException ex)
            {
                netlink.close();
                throw ex;
            }
        });
    }

    private long resolve(final int ipv4) throws Exception
    {
        return onSideA(() -> resolver.resolveMac(IpAddress.ipv4(ipv4)));
    }

    /** Asks the resolver again and again (as the conductor's refresh does) until it has a MAC, or gives up with 0. */
    private long awaitResolved(final int ipv4) throws Exception
    {
        final long deadline = System.nanoTime() + GIVE_UP_NS;
        long mac = resolve(ipv4);
        while (mac == 0 && System.nanoTime() < deadline)
        {
            Thread.sleep(POLL_MS);
            mac = resolve(ipv4);
        }
        return mac;
    }

    /** Side a's neighbour table entry for the address as {@code ip neigh} prints it; empty when there is none. */
    private String neighbourEntry(final int ipv4)
    {
        return lab.ipIn(lab.namespaceA(), "neigh", "show", VethLab.ipv4(ipv4), "dev", VethLab.INTERFACE_A).strip();
    }

    /** Reads the kernel's entry (not through the resolver) until it contains the text, or gives up with what is there. */
    private String awaitNeighbourEntryContaining(final int ipv4, final String text) throws InterruptedException
    {
        final long deadline = System.nanoTime() + GIVE_UP_NS;
        String entry = neighbourEntry(ipv4);
        while (!entry.contains(text) && System.nanoTime() < deadline)
        {
            Thread.sleep(POLL_MS);
            entry = neighbourEntry(ipv4);
        }
        return entry;
    }

    private <T> T onSideA(final Callable<T> work) throws Exception
    {
        try
        {
            return sideA.submit(work).get();
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof Exception cause)
            {
                throw cause;
            }
            throw ex;
        }
    }
}
