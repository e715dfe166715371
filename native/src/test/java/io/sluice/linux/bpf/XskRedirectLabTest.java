package io.sluice.linux.bpf;

import io.sluice.linux.testing.EthernetFrames;
import io.sluice.linux.testing.Privileges;
import io.sluice.linux.testing.VethLab;
import io.sluice.linux.xdp.XdpSocket;
import io.sluice.linux.xdp.XdpSocketOptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The redirect path with a real AF_XDP socket in the XSKMAP. A test run sees rx_queue_index 0
 * and does not deliver a redirected packet, but bpf_redirect_map still finds (or misses) the
 * queue's socket, so the action and the counters tell the REDIRECTED path from the fallback.
 * The socket needs an interface to bind to: the veth of a lab namespace.
 */
final class XskRedirectLabTest
{
    static final int VIP = 0xC612_0101;

    @Test
    void aVipPacketIsRedirectedWhenItsQueueHasASocketAndPassedWhenItHasNone()
    {
        Privileges.requireRootAndIp();
        try (VethLab lab = VethLab.create("xskvip"))
        {
            VethLab.inNamespace(lab.namespaceB(), () ->
            {
                try (VipRedirectProgram program = VipRedirectProgram.load(1);
                    XdpSocket socket = openSocket())
                {
                    program.addIpv4Vip(VIP, 53, 17);
                    final byte[] toVip = udp(VIP, 53);

                    assertThat(program.program().testRun(toVip)).as("no socket yet").isEqualTo(LoadedProgram.XDP_PASS);
                    assertThat(program.count(XdpVerdict.NO_SOCKET)).isEqualTo(1);

                    program.bindQueue(0, socket.fd());
                    assertThat(program.program().testRun(toVip)).isEqualTo(LoadedProgram.XDP_REDIRECT);
                    assertThat(program.program().testRun(udp(VIP, 54))).as("not a VIP")
                        .isEqualTo(LoadedProgram.XDP_PASS);
                    assertThat(program.count(XdpVerdict.REDIRECTED)).isEqualTo(1);
                    assertThat(program.count(XdpVerdict.NOT_A_VIP)).isEqualTo(1);

                    assertThat(program.xsks().deleteInt(0)).isTrue();
                    assertThat(program.program().testRun(toVip)).as("socket removed").isEqualTo(LoadedProgram.XDP_PASS);
                    assertThat(program.count(XdpVerdict.NO_SOCKET)).isEqualTo(2);
                    assertThat(program.count(XdpVerdict.REDIRECTED)).isEqualTo(1);
                }
                return null;
            });
        }
    }

    @Test
    void theRedirectAllProgramSendsEveryPacketToTheQueuesSocket()
    {
        Privileges.requireRootAndIp();
        try (VethLab lab = VethLab.create("xskall"))
        {
            VethLab.inNamespace(lab.namespaceB(), () ->
            {
                try (BpfMap xsks = BpfMap.createXskMap("test_xsks", 1);
                    LoadedProgram program = XskRedirectAllProgram.load(xsks);
                    XdpSocket socket = openSocket())
                {
                    final byte[] arp = EthernetFrames.other(-1L, 0x0200_c612_0064L, EthernetFrames.ETHERTYPE_ARP, 28);

                    final TestRunResult empty = program.testRunWithOutput(arp);
                    assertThat(empty.action()).as("empty slot: the fallback").isEqualTo(LoadedProgram.XDP_PASS);
                    assertThat(empty.packet()).as("left as it was").isEqualTo(arp);

                    xsks.updateInt(0, socket.fd());
                    assertThat(program.testRun(arp)).isEqualTo(LoadedProgram.XDP_REDIRECT);
                    assertThat(program.testRun(udp(VIP, 53))).isEqualTo(LoadedProgram.XDP_REDIRECT);
                }
                return null;
            });
        }
    }

    private static XdpSocket openSocket()
    {
        return XdpSocket.open(VethLab.INTERFACE_B, BpfTestSupport.ifIndex(VethLab.INTERFACE_B), 0,
            XdpSocketOptions.defaults());
    }

    static byte[] udp(final int destination, final int port)
    {
        return VipRedirectProgramTest.udp(destination, port);
    }
}
