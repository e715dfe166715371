package io.sluice.control.lab;

import io.sluice.control.SluiceCli;
import io.sluice.lab.Lab;
import io.sluice.lab.http.LoadReport;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `sluice decap` on a real: attached while it runs, passing the real's ordinary traffic untouched
 * (HTTP to it still succeeds), and gone when it stops, even by
 * SIGKILL. What it does to tunnelled packets is DecapLabTest's (native module).
 */
@ExtendWith(LabExtension.class)
class DecapLabIT
{
    @Test
    void decapOnARealPassesOrdinaryTrafficAndLeavesNothingBehind(final LabFixture fixture)
    {
        Privileges.requireRootAndIp();
        final Lab lab = fixture.lab();
        final String real = Lab.realHost(1);
        final Process decap = lab.spawn(real, fixture.home().javaMain(SluiceCli.class.getName(), "decap", "--iface", "eth0"));
        try
        {
            lab.awaitOutput(decap, "stripping IP-in-IP", Duration.ofSeconds(30));
            assertThat(lab.exec(real, "ip", "-d", "link", "show", "eth0").orThrow().stdout()).contains("name sluice_decap");

            // Straight to the real's own address: every packet crosses its eth0 and the program.
            final LoadReport report = fixture.load(Lab.realAddress(1), 30);
            assertThat(report.failures()).isEmpty();
            assertThat(report.servedBy(real)).as("requests served by the real running decap").isEqualTo(30);
        }
        finally
        {
            decap.destroyForcibly();
        }
        final long deadline = System.nanoTime() + 10_000_000_000L;
        String link;
        do
        {
            link = lab.exec(real, "ip", "-d", "link", "show", "eth0").orThrow().stdout();
        }
        while (link.contains("sluice_decap") && System.nanoTime() < deadline);
        assertThat(link).as("after SIGKILL").doesNotContain("sluice_decap");
    }
}
