package io.sluice.control.lab;

import io.sluice.control.demo.KeepAliveConnection;
import io.sluice.lab.Lab;
import io.sluice.lab.udp.UdpEchoBackend;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * UDP VIPs end to end in each mode: every one of many flows (a socket, so a source port, each)
 * is answered, the answers come from the VIP's address and port (the client's socket is
 * connected to it and takes nothing else), every real serves some, and the reals see the
 * client's own address. Backends and ports of its own keep it apart from the other tests. In NAT
 * mode the reals' ICMP errors reach the client translated too. Each mode runs over IPv4 and IPv6.
 */
@ExtendWith(LabExtension.class)
class UdpLabIT
{
    private static final String VIP = LabFixture.VIPS.get(4);
    private static final String VIP6 = LabFixture.VIPS6.get(0);
    private static final int FLOWS = 30;
    private static final int ATTEMPTS = 3;
    private static final int REPLY_TIMEOUT_MS = 1_000;
    private static final String ROUTE_TABLE = "186";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void directServerReturn(final LabFixture fixture) throws Exception
    {
        runMode(fixture, "dsr", 5301, 5301);
    }

    @Test
    void tunnel(final LabFixture fixture) throws Exception
    {
        runMode(fixture, "tunnel", 5302, 5302);
    }

    @Test
    void nat(final LabFixture fixture) throws Exception
    {
        runMode(fixture, "nat", 5303, 6303);
    }

    @Test
    void directServerReturnOverIpv6(final LabFixture fixture) throws Exception
    {
        runMode(fixture, "dsr", 5304, 5304, true);
    }

    @Test
    void tunnelOverIpv6(final LabFixture fixture) throws Exception
    {
        runMode(fixture, "tunnel", 5305, 5305, true);
    }

    @Test
    void natOverIpv6(final LabFixture fixture) throws Exception
    {
        runMode(fixture, "nat", 5306, 6306, true);
    }

    private static void runMode(final LabFixture fixture, final String mode, final int vipPort, final int realPort) throws Exception
    {
        runMode(fixture, mode, vipPort, realPort, false);
    }

    /** @param ipv6 the VIP, reals and client are the lab's IPv6 ones ({@link #VIP6}). */
    private static void runMode(final LabFixture fixture, final String mode, final int vipPort, final int realPort, final boolean ipv6)
        throws Exception
    {
        Privileges.requireRootAndIp();
        final Lab lab = fixture.lab();
        final boolean nat = mode.equals("nat");
        final String vip = ipv6 ? VIP6 : VIP;
        final String client = ipv6 ? Lab.CLIENT_ADDRESS6 : lab.address(Lab.CLIENT);
        final String family = ipv6 ? "-6" : "-4";
        final List<Process> started = new ArrayList<>();
        try
        {
            for (final String real : lab.realHosts())
            {
                if (mode.equals("tunnel"))
                {
                    TunnelLabIT.startDecap(fixture, real, started);
                }
                if (nat)
                {
                    lab.exec(real, "ip", family, "route", "replace", client + (ipv6 ? "/128" : "/32"), "via",
                        ipv6 ? Lab.FORWARDER_ADDRESS6 : Lab.FORWARDER_ADDRESS, "dev", "eth0", "table", ROUTE_TABLE).orThrow();
                    lab.exec(real, "ip", family, "rule", "add", "priority", ROUTE_TABLE, "ipproto", "udp", "sport",
                        Integer.toString(realPort), "lookup", ROUTE_TABLE).orThrow();
                    lab.exec(real, "ip", family, "rule", "add", "priority", ROUTE_TABLE, "ipproto", ipv6 ? "ipv6-icmp" : "icmp",
                        "lookup", ROUTE_TABLE).orThrow();
                }
                // Bound to the VIP, a DSR or tunnel real answers from it; a NAT real answers from its own address.
                final Process backend = lab.spawn(real, fixture.home().javaMain(UdpEchoBackend.class.getName(),
                    "--name", real, "--port", Integer.toString(realPort), "--bind", nat ? (ipv6 ? "::" : "0.0.0.0") : vip));
                started.add(backend);
                lab.awaitOutput(backend, UdpEchoBackend.READY, START_TIMEOUT);
            }
            final String key = (ipv6 ? "[" + vip + "]" : vip) + ":" + vipPort + "/udp";
            LabFixture.assertSucceeded(fixture.sluice("vip", "add", key, "--mode", mode));
            for (int k = 1; k <= LabFixture.REALS; k++)
            {
                final String address = ipv6 ? Lab.realAddress6(k) : Lab.realAddress(k);
                LabFixture.assertSucceeded(fixture.sluice("real", "add", key,
                    !nat ? address : ipv6 ? "[" + address + "]:" + realPort : address + ":" + realPort));
            }

            final List<String> answers = KeepAliveConnection.inNamespace(lab.namespace(Lab.CLIENT), () -> probe(vip, vipPort));

            assertThat(answers).as("answered flows").hasSize(FLOWS);
            final Map<String, Integer> servedBy = new HashMap<>();
            for (final String answer : answers)
            {
                final String[] fields = answer.split(" ");
                assertThat(fields[1]).as("the address the real saw").isEqualTo(client);
                servedBy.merge(fields[0], 1, Integer::sum);
            }
            assertThat(servedBy.keySet()).as("reals that answered").containsExactlyInAnyOrderElementsOf(lab.realHosts());

            if (nat)
            {
                // With the backends gone the reals answer "port unreachable"; translated back, it
                // names the VIP's port, so the client's connected socket learns it at once.
                for (final Process process : started)
                {
                    lab.stop(process);
                }
                assertThat(KeepAliveConnection.inNamespace(lab.namespace(Lab.CLIENT), () -> refused(vip, vipPort)))
                    .as("the client's socket was told the port is unreachable").isTrue();
            }
        }
        finally
        {
            for (final Process process : started)
            {
                lab.stop(process);
            }
            if (nat)
            {
                for (final String real : lab.realHosts())
                {
                    lab.exec(real, "ip", family, "rule", "del", "priority", ROUTE_TABLE);
                    lab.exec(real, "ip", family, "rule", "del", "priority", ROUTE_TABLE);
                    lab.exec(real, "ip", family, "route", "flush", "table", ROUTE_TABLE);
                }
            }
        }
    }

    /** Sends to the VIP from a connected socket until the kernel reports the port unreachable (or gives up). */
    private static boolean refused(final String vip, final int vipPort) throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket())
        {
            socket.connect(new InetSocketAddress(vip, vipPort));
            socket.setSoTimeout(REPLY_TIMEOUT_MS);
            final byte[] request = "anyone there?".getBytes(StandardCharsets.UTF_8);
            for (int attempt = 0; attempt < ATTEMPTS; attempt++)
            {
                socket.send(new DatagramPacket(request, request.length));
                try
                {
                    socket.receive(new DatagramPacket(new byte[512], 512));
                }
                catch (final java.net.PortUnreachableException unreachable)
                {
                    return true;
                }
                catch (final SocketTimeoutException lost)
                {
                    // sent again
                }
            }
            return false;
        }
    }

    /**
     * One datagram per flow, each from a socket of its own connected to the VIP (so an answer
     * from any other address or port is not taken), retried a few times: the first datagrams to
     * a newly added real may meet an unresolved next hop. @return the answers.
     */
    private static List<String> probe(final String vip, final int vipPort) throws IOException
    {
        final List<String> answers = new ArrayList<>();
        for (int flow = 0; flow < FLOWS; flow++)
        {
            try (DatagramSocket socket = new DatagramSocket())
            {
                socket.connect(new InetSocketAddress(vip, vipPort));
                socket.setSoTimeout(REPLY_TIMEOUT_MS);
                final byte[] request = ("probe " + flow).getBytes(StandardCharsets.UTF_8);
                for (int attempt = 0; attempt < ATTEMPTS; attempt++)
                {
                    socket.send(new DatagramPacket(request, request.length));
                    final DatagramPacket reply = new DatagramPacket(new byte[512], 512);
                    try
                    {
                        socket.receive(reply);
                        answers.add(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8));
                        break;
                    }
                    catch (final SocketTimeoutException lost)
                    {
                        // sent again below
                    }
                }
            }
        }
        return answers;
    }
}
