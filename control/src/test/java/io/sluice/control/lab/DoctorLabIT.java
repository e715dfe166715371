package io.sluice.control.lab;

import io.sluice.lab.ExecResult;
import io.sluice.lab.Lab;
import io.sluice.lab.SluiceHome;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `sluice doctor` inside a lab of its own (no forwarder runs there, so the interface is free):
 * on the forwarder's host its XDP probe attaches natively to the veth and leaves nothing behind;
 * on a real set up for DSR nothing fails, and on a real that was not (no VIP on lo, ARP answered)
 * the checks fail with the commands that fix it.
 */
class DoctorLabIT
{
    private static final String LAB = LabFixture.named("doc" + LabFixture.IO.charAt(0));
    private static final String VIP = Lab.DEFAULT_VIP;

    private static Lab lab;
    private static SluiceHome home;
    private static Path stateDir;

    @BeforeAll
    static void up() throws IOException
    {
        Privileges.requireRootAndIp();
        home = SluiceHome.locate();
        home.requireJar();
        stateDir = Files.createTempDirectory("sluice-doctor-");
        lab = Lab.up(LAB, 2, List.of(VIP));
    }

    @AfterAll
    static void down() throws IOException
    {
        if (lab != null)
        {
            lab.close();
        }
        if (stateDir != null)
        {
            Files.deleteIfExists(stateDir);
        }
    }

    @Test
    void onTheForwardersHostNativeXdpAttachesToTheVethAndIsGoneAfterwards()
    {
        final ExecResult doctor = doctor(Lab.FORWARDER, "--iface", "eth0", "--queues", "2");

        assertThat(doctor.stdout()).as(doctor.stderr())
            .containsPattern("(?m)^PASS  xdp-attach +native XDP on eth0, AF_XDP bind mode copy$");
        assertThat(doctor.stdout()).containsPattern("(?m)^PASS  xdp-other +no XDP program on eth0$");
        assertThat(doctor.stdout()).containsPattern("(?m)^PASS  queues +eth0 has 2 RX queue\\(s\\), as --queues 2$");
        assertThat(doctor.stdout()).containsPattern("(?m)^PASS  ip-forward ");
        assertThat(lab.exec(Lab.FORWARDER, "ip", "-details", "link", "show", "dev", "eth0").orThrow().stdout())
            .as("the probe's program is detached").doesNotContain("prog/xdp");
    }

    @Test
    void aRealSetUpForDsrPasses()
    {
        final ExecResult doctor = doctor(Lab.realHost(1), "--real", VIP, "--iface", "eth0");

        assertThat(doctor.exitCode()).as(doctor.stdout() + doctor.stderr()).isZero();
        assertThat(doctor.stdout()).containsPattern("(?m)^PASS  vip-on-lo +VIP 198.18.1.1/32 on lo$")
            .containsPattern("(?m)^PASS  arp ").containsPattern("(?m)^PASS  rp-filter ").contains("0 failed");
    }

    @Test
    void aRealNotSetUpFailsWithTheFix()
    {
        final String real = Lab.realHost(2);
        lab.exec(real, "ip", "addr", "del", VIP + "/32", "dev", "lo").orThrow();
        lab.exec(real, "sysctl", "-q", "-w", "net.ipv4.conf.all.arp_ignore=0", "net.ipv4.conf.eth0.arp_ignore=0").orThrow();

        final ExecResult doctor = doctor(real, "--real", VIP, "--iface", "eth0");

        assertThat(doctor.exitCode()).as(doctor.stdout() + doctor.stderr()).isEqualTo(1);
        assertThat(doctor.stdout())
            .containsPattern("(?m)^FAIL  vip-on-lo +VIP 198.18.1.1 is on no interface.* — ip addr add 198.18.1.1/32 dev lo$")
            .containsPattern("(?m)^FAIL  arp +arp_ignore 0 on eth0.* — sysctl -w net.ipv4.conf.all.arp_ignore=1 " +
                "net.ipv4.conf.all.arp_announce=2$");

        final ExecResult json = doctor(real, "--real", VIP, "--iface", "eth0", "--json");
        assertThat(json.stdout()).startsWith("{\"ok\":false,\"checks\":[")
            .contains("{\"verdict\":\"FAIL\",\"check\":\"vip-on-lo\"");
    }

    private static ExecResult doctor(final String host, final String... args)
    {
        final List<String> command = new ArrayList<>(home.sluice("doctor", "--state-dir", stateDir.toString()));
        command.addAll(List.of(args));
        return lab.exec(host, command.toArray(String[]::new));
    }
}
