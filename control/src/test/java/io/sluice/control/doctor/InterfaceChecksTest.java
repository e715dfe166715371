package io.sluice.control.doctor;

import io.sluice.forwarder.config.ConfigText;
import io.sluice.forwarder.config.VipConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks of the forwarder's interface: XDP, queues, offloads, MTU, rp_filter and IRQs. */
class InterfaceChecksTest
{
    private static final String[] IP_LINKS = { "ip", "-details", "-oneline", "link", "show" };
    private static final String[] ETHTOOL_K = { "ethtool", "-k", "eth0" };

    @TempDir
    Path root;

    @Test
    void otherXdpProgramPassesWhenNoneWarnsForSluiceAndFailsForAnother()
    {
        final String clean = "1: lo: <LOOPBACK,UP> mtu 65536\\    link/loopback\n2: eth0@if9: <UP> mtu 1500\\    veth\n";
        assertThat(new FakeHost(root).command(clean, IP_LINKS).run(new OtherXdpProgramCheck("eth0")).verdict())
            .isEqualTo(Verdict.PASS);

        final String sluice = "2: eth0@if9: <UP> mtu 1500 xdp\\    prog/xdp id 42 name sluice_vip tag 0123 jited \n";
        assertThat(new FakeHost(root).command(sluice, IP_LINKS).run(new OtherXdpProgramCheck("eth0")).verdict())
            .isEqualTo(Verdict.WARN);

        final String other = "2: eth0: <UP> mtu 1500 xdpgeneric\\    prog/xdp id 7 name xdp_filter tag 0123 jited \n";
        final Finding taken = new FakeHost(root).command(other, IP_LINKS).run(new OtherXdpProgramCheck("eth0"));
        assertThat(taken.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(taken.detail()).contains("xdp_filter (id 7)");
        assertThat(taken.fix()).startsWith("ip link set dev eth0 xdp off");
    }

    @Test
    void otherXdpProgramLooksAtItsInterfaceOnly()
    {
        final String elsewhere = "3: eth1: <UP> mtu 1500 xdp\\    prog/xdp id 7 name xdp_filter tag 0123 jited \n" +
            "2: eth0: <UP> mtu 1500\\    veth\n";
        assertThat(new FakeHost(root).command(elsewhere, IP_LINKS).run(new OtherXdpProgramCheck("eth0")).verdict())
            .isEqualTo(Verdict.PASS);
    }

    @Test
    void xdpAttachPassesNativeWarnsGenericAndFailsWhenNothingAttaches()
    {
        final Finding nativeXdp = new FakeHost(root).xdp(new KernelProbes.XdpAttachment("native", "zero-copy", null, false))
            .run(new XdpAttachCheck("eth0"));
        assertThat(nativeXdp.verdict()).isEqualTo(Verdict.PASS);
        assertThat(nativeXdp.detail()).isEqualTo("native XDP on eth0, AF_XDP bind mode zero-copy");

        final Finding generic = new FakeHost(root).xdp(new KernelProbes.XdpAttachment("generic", "copy", null, false))
            .run(new XdpAttachCheck("eth0"));
        assertThat(generic.verdict()).isEqualTo(Verdict.WARN);
        assertThat(generic.fix()).contains("--xdp-mode generic");

        final Finding none = new FakeHost(root)
            .xdp(new KernelProbes.XdpAttachment(null, null, "bpf(BPF_LINK_CREATE): EINVAL", false))
            .run(new XdpAttachCheck("eth0"));
        assertThat(none.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(none.fix()).isEqualTo("sluice forwarder --io packet --iface eth0");
    }

    @Test
    void xdpAttachFailsWhenTheSocketDoesNotBindAndWarnsWhenTheInterfaceIsTaken()
    {
        assertThat(new FakeHost(root).xdp(new KernelProbes.XdpAttachment("native", null, "bind: EBUSY", false))
            .run(new XdpAttachCheck("eth0")).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(new FakeHost(root).xdp(new KernelProbes.XdpAttachment(null, null, "EBUSY", true))
            .run(new XdpAttachCheck("eth0")).verdict()).isEqualTo(Verdict.WARN);
    }

    @Test
    void queuesPassWhenTheyMatchFailEitherWayAndWarnWhenNoneAreListed()
    {
        final FakeHost twoQueues = new FakeHost(root).file("/sys/class/net/eth0/queues/rx-0/rps_cpus", "0")
            .file("/sys/class/net/eth0/queues/rx-1/rps_cpus", "0").file("/sys/class/net/eth0/queues/tx-0/xps_cpus", "0");
        assertThat(twoQueues.run(new QueueCountCheck("eth0", 2)).verdict()).isEqualTo(Verdict.PASS);

        final Finding unread = twoQueues.run(new QueueCountCheck("eth0", 1));
        assertThat(unread.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(unread.detail()).contains("queues 1-1 reach no socket");
        assertThat(unread.fix()).startsWith("ethtool -L eth0 combined 1");

        assertThat(twoQueues.run(new QueueCountCheck("eth0", 4)).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(twoQueues.run(new QueueCountCheck("eth9", 1)).verdict()).isEqualTo(Verdict.WARN);
    }

    @Test
    void lroPassesWhenOffFailsWhenOnAndWarnsWithoutEthtool()
    {
        assertThat(new FakeHost(root).command("large-receive-offload: off [fixed]\n", ETHTOOL_K).run(new LroCheck("eth0"))
            .verdict())
            .isEqualTo(Verdict.PASS);
        final Finding on = new FakeHost(root).command("large-receive-offload: on\n", ETHTOOL_K).run(new LroCheck("eth0"));
        assertThat(on.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(on.fix()).isEqualTo("ethtool -K eth0 lro off");
        assertThat(new FakeHost(root).run(new LroCheck("eth0")).verdict()).isEqualTo(Verdict.WARN);
    }

    @Test
    void groPassesAfterNativeXdpAndWarnsForGenericXdpOrHardwareGro()
    {
        final String groOn = "generic-receive-offload: on\nrx-gro-hw: off [fixed]\n";
        assertThat(new FakeHost(root).command(groOn, ETHTOOL_K).run(new GroCheck("eth0")).verdict()).isEqualTo(Verdict.PASS);

        final Finding generic = new FakeHost(root).command(groOn, ETHTOOL_K)
            .xdp(new KernelProbes.XdpAttachment("generic", "copy", null, false)).run(new GroCheck("eth0"));
        assertThat(generic.verdict()).isEqualTo(Verdict.WARN);
        assertThat(generic.fix()).isEqualTo("ethtool -K eth0 gro off");

        final Finding hardware = new FakeHost(root).command("generic-receive-offload: on\nrx-gro-hw: on\n", ETHTOOL_K)
            .run(new GroCheck("eth0"));
        assertThat(hardware.verdict()).isEqualTo(Verdict.WARN);
        assertThat(hardware.fix()).isEqualTo("ethtool -K eth0 rx-gro-hw off");
    }

    @Test
    void checksumOffloadPassesNamingVethAndWarnsWithoutReceiveChecksumming()
    {
        final Finding veth = new FakeHost(root).command("rx-checksumming: on\ntx-checksumming: on\n", ETHTOOL_K)
            .command("driver: veth\nversion: 1.0\n", "ethtool", "-i", "eth0").run(new ChecksumOffloadCheck("eth0"));
        assertThat(veth.verdict()).isEqualTo(Verdict.PASS);
        assertThat(veth.detail()).contains("finished by the workers");

        final Finding off = new FakeHost(root).command("rx-checksumming: off\ntx-checksumming: on\n", ETHTOOL_K)
            .run(new ChecksumOffloadCheck("eth0"));
        assertThat(off.verdict()).isEqualTo(Verdict.WARN);
        assertThat(off.fix()).isEqualTo("ethtool -K eth0 rx on");
    }

    @Test
    void tunnelMtuPassesWithRoomWarnsWithoutTunnelVipsAndFailsWithThem()
    {
        final List<VipConfig> tunnel = vips("vip add 198.18.1.1:80/tcp --mode tunnel\n");
        assertThat(new FakeHost(root).file("/sys/class/net/eth0/mtu", "1520").run(new TunnelMtuCheck("eth0", tunnel)).verdict())
            .isEqualTo(Verdict.PASS);
        assertThat(new FakeHost(root).file("/sys/class/net/eth0/mtu", "1500").run(new TunnelMtuCheck("eth0", List.of()))
            .verdict())
            .isEqualTo(Verdict.WARN);
        final Finding tight = new FakeHost(root).file("/sys/class/net/eth0/mtu", "1500").run(new TunnelMtuCheck("eth0", tunnel));
        assertThat(tight.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(tight.fix()).startsWith("ip link set dev eth0 mtu 1520");
    }

    @Test
    void tunnelMtuWantsRoomForAnIpv6HeaderForIpv6TunnelVips()
    {
        final List<VipConfig> tunnel6 = vips("vip add [2001:2:0:1::1]:80/tcp --mode tunnel\n");
        final Finding tight = new FakeHost(root).file("/sys/class/net/eth0/mtu", "1520").run(new TunnelMtuCheck("eth0", tunnel6));
        assertThat(tight.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(tight.fix()).startsWith("ip link set dev eth0 mtu 1540");
    }

    @Test
    void rpFilterOnTheForwarderPassesOffOrLooseAndWarnsStrict()
    {
        assertThat(rpFilter("0", "2").run(new RpFilterCheck("eth0", false)).verdict()).isEqualTo(Verdict.PASS);
        final Finding strict = rpFilter("1", "0").run(new RpFilterCheck("eth0", false));
        assertThat(strict.verdict()).isEqualTo(Verdict.WARN);
        assertThat(strict.fix()).isEqualTo("sysctl -w net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.eth0.rp_filter=2");
    }

    @Test
    void irqAffinityPassesOnWorkerCpusAndWarnsElsewhere()
    {
        final FakeHost host = new FakeHost(root)
            .file("/proc/interrupts", """
                           CPU0       CPU1
                  24:          5          0   PCI-MSI 1048576-edge      eth0-TxRx-0
                  25:          0          7   PCI-MSI 1048577-edge      eth0-TxRx-1
                  26:          0          0   PCI-MSI 1048578-edge      eth1-TxRx-0
                """)
            .file("/proc/irq/24/smp_affinity_list", "0\n").file("/proc/irq/25/smp_affinity_list", "1\n");
        assertThat(host.run(new IrqAffinityCheck("eth0", 2, List.of(0, 1))).verdict()).isEqualTo(Verdict.PASS);
        assertThat(host.run(new IrqAffinityCheck("eth0", 2, List.of())).verdict()).isEqualTo(Verdict.PASS);

        final Finding crossed = host.run(new IrqAffinityCheck("eth0", 2, List.of(1, 0)));
        assertThat(crossed.verdict()).isEqualTo(Verdict.WARN);
        assertThat(crossed.detail()).contains("queue 0 (IRQ 24) on CPUs 0, its worker on 1");
        assertThat(crossed.fix()).isEqualTo("systemctl stop irqbalance; echo 1 > /proc/irq/24/smp_affinity_list");
    }

    @Test
    void irqAffinityWarnsWhenQueuesShareACpuAndPassesWithoutIrqs()
    {
        final FakeHost shared = new FakeHost(root)
            .file("/proc/interrupts", " 24:  5  0  PCI-MSI  eth0-0\n 25:  0  7  PCI-MSI  eth0-1\n")
            .file("/proc/irq/24/smp_affinity_list", "0-1\n").file("/proc/irq/25/smp_affinity_list", "0-1\n");
        assertThat(shared.run(new IrqAffinityCheck("eth0", 2, List.of())).verdict()).isEqualTo(Verdict.WARN);
        assertThat(new FakeHost(root).file("/proc/interrupts", "  0:  5  IO-APIC  timer\n")
            .run(new IrqAffinityCheck("eth0", 2, List.of())).verdict()).isEqualTo(Verdict.PASS);
    }

    private FakeHost rpFilter(final String all, final String iface)
    {
        return new FakeHost(root).file("/proc/sys/net/ipv4/conf/all/rp_filter", all)
            .file("/proc/sys/net/ipv4/conf/eth0/rp_filter", iface);
    }

    static List<VipConfig> vips(final String configText)
    {
        return ConfigText.parse(configText, "test").vips();
    }
}
