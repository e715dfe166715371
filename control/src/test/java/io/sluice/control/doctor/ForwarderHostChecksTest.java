package io.sluice.control.doctor;

import io.sluice.forwarder.config.VipConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.sluice.control.doctor.InterfaceChecksTest.vips;
import static org.assertj.core.api.Assertions.assertThat;

/** The forwarder host's checks: forwarding sysctls, routes to VIPs, and the reals' neighbours. */
class ForwarderHostChecksTest
{
    private static final List<VipConfig> DSR = vips("""
        vip add 198.18.1.1:80/tcp --mode dsr
        real add 198.18.1.1:80/tcp 198.18.0.11
        real add 198.18.1.1:80/tcp 198.18.0.12
        """);

    @TempDir
    Path root;

    @Test
    void ipForwardPassesOffFailsOnAndWarnsUnreadable()
    {
        final String path = "/proc/sys/net/ipv4/ip_forward";
        assertThat(new FakeHost(root).file(path, "0\n").run(ForwardingCheck.ipv4()).verdict()).isEqualTo(Verdict.PASS);
        final Finding on = new FakeHost(root).file(path, "1\n").run(ForwardingCheck.ipv4());
        assertThat(on.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(on.fix()).isEqualTo("sysctl -w net.ipv4.ip_forward=0");
        assertThat(new FakeHost(root).run(ForwardingCheck.ipv4()).verdict()).isEqualTo(Verdict.WARN);
    }

    @Test
    void ipv6ForwardingFailsOnWithItsOwnFix()
    {
        final String path = "/proc/sys/net/ipv6/conf/all/forwarding";
        assertThat(new FakeHost(root).file(path, "0").run(ForwardingCheck.ipv6()).verdict()).isEqualTo(Verdict.PASS);
        final Finding on = new FakeHost(root).file(path, "1").run(ForwardingCheck.ipv6());
        assertThat(on.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(on.fix()).isEqualTo("sysctl -w net.ipv6.conf.all.forwarding=0");
    }

    @Test
    void vipRoutesPassWarnForALocalVipAndForAnUnroutedIpv6Vip()
    {
        assertThat(new FakeHost(root).route("198.18.1.1", "eth0", "198.18.0.1", false).run(new VipRouteCheck(DSR)).verdict())
            .isEqualTo(Verdict.PASS);
        assertThat(new FakeHost(root).run(new VipRouteCheck(List.of())).verdict()).isEqualTo(Verdict.PASS);

        final Finding local = new FakeHost(root).route("198.18.1.1", "lo", null, true).run(new VipRouteCheck(DSR));
        assertThat(local.verdict()).isEqualTo(Verdict.WARN);
        assertThat(local.fix()).isEqualTo("ip addr del 198.18.1.1/32 dev lo");

        final Finding unrouted = new FakeHost(root).run(new VipRouteCheck(vips("vip add [2001:2:0:1::1]:80/tcp\n")));
        assertThat(unrouted.verdict()).isEqualTo(Verdict.WARN);
        assertThat(unrouted.fix()).isEqualTo("ip -6 route add blackhole 2001:2:0:1::1/128");
    }

    @Test
    void realNeighboursPassWhenResolvedWarnWhenNotYetAndFailWhenUnanswered()
    {
        final FakeHost resolved = onLink().neighbour("eth0", "198.18.0.11", "REACHABLE", true)
            .neighbour("eth0", "198.18.0.12", "STALE", true);
        assertThat(resolved.run(new RealNeighbourCheck(DSR)).verdict()).isEqualTo(Verdict.PASS);

        final Finding notYet = onLink().neighbour("eth0", "198.18.0.11", "REACHABLE", true).run(new RealNeighbourCheck(DSR));
        assertThat(notYet.verdict()).isEqualTo(Verdict.WARN);
        assertThat(notYet.fix()).isEqualTo("ping -c1 -I eth0 198.18.0.12");

        final Finding failed = onLink().neighbour("eth0", "198.18.0.11", "FAILED", false).run(new RealNeighbourCheck(DSR));
        assertThat(failed.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(failed.detail()).contains("198.18.0.11 on eth0 is FAILED").contains("no neighbour entry for 198.18.0.12");
    }

    @Test
    void realNeighboursFailForADsrRealBehindAGatewayOrWithoutARoute()
    {
        final Finding routed = new FakeHost(root).route("198.18.0.11", "eth0", "198.18.0.1", false)
            .route("198.18.0.12", "eth0", null, false).run(new RealNeighbourCheck(DSR));
        assertThat(routed.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(routed.detail()).contains("DSR real 198.18.0.11 is reached via 198.18.0.1");

        final Finding tunnelled = new FakeHost(root).route("10.9.0.5", "eth0", "198.18.0.1", false)
            .neighbour("eth0", "198.18.0.1", "REACHABLE", true)
            .run(new RealNeighbourCheck(vips("vip add 198.18.1.1:80/tcp --mode tunnel\nreal add 198.18.1.1:80/tcp 10.9.0.5\n")));
        assertThat(tunnelled.verdict()).isEqualTo(Verdict.PASS);

        assertThat(new FakeHost(root).run(new RealNeighbourCheck(DSR)).fix()).startsWith("ip route add 198.18.0.11/32");
    }

    private FakeHost onLink()
    {
        return new FakeHost(root).route("198.18.0.11", "eth0", null, false).route("198.18.0.12", "eth0", null, false);
    }
}
