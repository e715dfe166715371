package io.sluice.control.doctor;

import io.sluice.forwarder.config.IpAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A real's checks: the VIP on lo, ARP sysctls, rp_filter and a decap path. */
class RealChecksTest
{
    private static final IpAddress VIP = IpAddress.parse("198.18.1.1");
    private static final String CONF = "/proc/sys/net/ipv4/conf/";

    @TempDir
    Path root;

    @Test
    void vipOnLoopbackPassesAsAHostAddressWarnsForAWiderPrefixAndFailsWhenMissingOrOnEthernet()
    {
        assertThat(new FakeHost(root).address("lo", "198.18.1.1", 32).run(new VipOnLoopbackCheck(VIP)).verdict())
            .isEqualTo(Verdict.PASS);
        assertThat(new FakeHost(root).address("lo", "198.18.1.1", 24).run(new VipOnLoopbackCheck(VIP)).verdict())
            .isEqualTo(Verdict.WARN);

        final Finding missing = new FakeHost(root).address("eth0", "198.18.0.11", 24).run(new VipOnLoopbackCheck(VIP));
        assertThat(missing.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(missing.fix()).isEqualTo("ip addr add 198.18.1.1/32 dev lo");

        final Finding onEthernet = new FakeHost(root).address("eth0", "198.18.1.1", 32).file("/sys/class/net/eth0/type", "1")
            .run(new VipOnLoopbackCheck(VIP));
        assertThat(onEthernet.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(onEthernet.fix()).isEqualTo("ip addr del 198.18.1.1/32 dev eth0; ip addr add 198.18.1.1/32 dev lo");
    }

    @Test
    void vipOnATunnelDevicePasses()
    {
        assertThat(new FakeHost(root).address("tunl0", "198.18.1.1", 32).file("/sys/class/net/tunl0/type", "768")
            .run(new VipOnLoopbackCheck(VIP)).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void arpPassesWhenQuietWarnsOnAnnounceAndFailsOnIgnore()
    {
        assertThat(arp("1", "2").run(new ArpSysctlCheck(VIP, null)).verdict()).isEqualTo(Verdict.PASS);
        assertThat(arp("1", "1").run(new ArpSysctlCheck(VIP, "eth0")).verdict()).isEqualTo(Verdict.WARN);
        final Finding answering = arp("0", "2").run(new ArpSysctlCheck(VIP, null));
        assertThat(answering.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(answering.detail()).contains("arp_ignore 0 on eth0");
        assertThat(answering.fix()).isEqualTo("sysctl -w net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2");
    }

    @Test
    void arpTakesTheLargerOfAllAndTheInterfaceAndPassesForIpv6()
    {
        final FakeHost host = arp("0", "0").file(CONF + "all/arp_ignore", "1").file(CONF + "all/arp_announce", "2");
        assertThat(host.run(new ArpSysctlCheck(VIP, null)).verdict()).isEqualTo(Verdict.PASS);
        assertThat(new FakeHost(root).run(new ArpSysctlCheck(IpAddress.parse("2001:2:0:1::1"), null)).verdict())
            .isEqualTo(Verdict.PASS);
    }

    @Test
    void rpFilterOnARealPassesOffWarnsLooseAndFailsStrict()
    {
        assertThat(rpFilter("0").run(new RpFilterCheck(null, true)).verdict()).isEqualTo(Verdict.PASS);
        assertThat(rpFilter("2").run(new RpFilterCheck(null, true)).verdict()).isEqualTo(Verdict.WARN);
        final Finding strict = rpFilter("1").run(new RpFilterCheck(null, true));
        assertThat(strict.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(strict.fix()).isEqualTo("sysctl -w net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0");
    }

    @Test
    void decapPassesWithSluiceDecapOrATunnelDeviceUpAndWarnsOtherwise()
    {
        final String decap = "2: eth0@if5: <UP> mtu 1500 xdp\\    prog/xdp id 9 name sluice_decap tag 01 jited \n";
        final Finding attached = new FakeHost(root).command(decap, "ip", "-details", "-oneline", "link", "show")
            .run(new DecapPathCheck("eth0"));
        assertThat(attached.verdict()).isEqualTo(Verdict.PASS);
        assertThat(attached.detail()).isEqualTo("sluice decap runs on eth0");

        assertThat(tunnel("0x1081").run(new DecapPathCheck(null)).verdict()).isEqualTo(Verdict.PASS);
        final Finding down = tunnel("0x80").run(new DecapPathCheck(null));
        assertThat(down.verdict()).isEqualTo(Verdict.WARN);
        assertThat(down.fix()).isEqualTo("ip link set dev tunl0 up");

        final Finding none = new FakeHost(root).file("/sys/class/net/eth0/type", "1").run(new DecapPathCheck("eth0"));
        assertThat(none.verdict()).isEqualTo(Verdict.WARN);
        assertThat(none.fix()).startsWith("sluice decap --iface eth0");
    }

    private FakeHost arp(final String ignore, final String announce)
    {
        return new FakeHost(root).file(CONF + "all/arp_ignore", "0").file(CONF + "all/arp_announce", "0")
            .file(CONF + "lo/arp_ignore", "0").file(CONF + "eth0/arp_ignore", ignore).file(CONF + "eth0/arp_announce", announce);
    }

    private FakeHost rpFilter(final String value)
    {
        return new FakeHost(root).file(CONF + "all/rp_filter", "0").file(CONF + "default/rp_filter", "1")
            .file(CONF + "lo/rp_filter", "1").file(CONF + "eth0/rp_filter", value);
    }

    private FakeHost tunnel(final String flags)
    {
        return new FakeHost(root).file("/sys/class/net/tunl0/type", "768").file("/sys/class/net/tunl0/flags", flags);
    }
}
