package io.sluice.control.doctor;

import io.sluice.forwarder.config.IpAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which checks run for which host, and the report's two forms. */
class DoctorTest
{
    @TempDir
    Path root;

    @Test
    void aForwardersHostGetsItsInterfaceChecksOnlyWithAnInterface()
    {
        final List<String> withInterface = names(new DoctorOptions("eth0", null, 1, List.of(), List.of()));
        assertThat(withInterface).containsSubsequence("af-xdp", "ip-forward", "xdp-other", "xdp-attach", "queues",
            "irq-affinity", "vip-routes", "real-neighbours", "cpu-governor");
        assertThat(withInterface).doesNotContain("vip-on-lo");

        assertThat(names(new DoctorOptions(null, null, 1, List.of(), List.of()))).doesNotContain("xdp-attach", "queues");
    }

    @Test
    void aRealGetsTheRealsChecksAndNoForwardersOnes()
    {
        final List<String> real = names(new DoctorOptions("eth0", IpAddress.parse("198.18.1.1"), 1, List.of(), List.of()));
        assertThat(real).containsSubsequence("af-xdp", "vip-on-lo", "arp", "rp-filter", "decap", "clocksource");
        assertThat(real).doesNotContain("ip-forward", "xdp-attach", "real-neighbours");
    }

    @Test
    void theReportFailsOnAnyFailAndPrintsLinesOrJson()
    {
        final DoctorReport report = new DoctorReport(List.of(Finding.pass("bpf", "works"),
            Finding.fail("ip-forward", "on", "sysctl -w net.ipv4.ip_forward=0"), Finding.warn("gro", "on \"x\"", "ethtool -K")));
        assertThat(report.failed()).isTrue();
        assertThat(report.text()).isEqualTo("""
            PASS  bpf         works
            FAIL  ip-forward  on — sysctl -w net.ipv4.ip_forward=0
            WARN  gro         on "x" — ethtool -K
            1 passed, 1 warned, 1 failed
            """);
        assertThat(report.json()).startsWith("{\"ok\":false,\"checks\":[{\"verdict\":\"PASS\",\"check\":\"bpf\"")
            .contains("\"detail\":\"on \\\"x\\\"\"");
        assertThat(new DoctorReport(List.of(Finding.warn("gro", "on", "x"))).failed()).isFalse();
    }

    @Test
    void aRealWithItsVipOnLoAndQuietArpHasNoFailure()
    {
        final String conf = "/proc/sys/net/ipv4/conf/";
        final FakeHost real = new FakeHost(root).address("lo", "198.18.1.1", 32)
            .file(conf + "all/arp_ignore", "1").file(conf + "all/arp_announce", "2").file(conf + "all/rp_filter", "0")
            .file(conf + "eth0/rp_filter", "0").file(BpfJitCheck.SYSCTL, "1");
        final DoctorReport report = Doctor.run(real.host(),
            new DoctorOptions(null, IpAddress.parse("198.18.1.1"), 1, List.of(), List.of()));
        assertThat(report.failed()).as(report.text()).isFalse();
    }

    private List<String> names(final DoctorOptions options)
    {
        return Doctor.run(new FakeHost(root).host(), options).findings().stream().map(Finding::check).toList();
    }
}
