package io.sluice.control.packaging;

import io.sluice.lab.ExecResult;
import io.sluice.lab.Processes;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code systemd-analyze verify} on both units, as one instance each. verify needs no systemd as
 * PID 1, but it does need every ExecStart binary to exist: the copies it checks run the repository's
 * own launcher where an installed unit runs {@code /usr/local/bin/sluice}, a symbolic link to it.
 */
final class SystemdUnitsTest
{
    private static final Path UNITS = Path.of("..", "packaging", "systemd");
    private static final Path LAUNCHER = Path.of("..", "sluice").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void bothUnitsVerifyCleanly() throws IOException
    {
        Privileges.require(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")),
            "needs systemd-analyze (Debian package systemd)");
        final Path forwarder = instance("sluice-forwarder@.service", "sluice-forwarder@eth0.service");
        final Path l7 = instance("sluice-l7@.service", "sluice-l7@edge.service");

        final ExecResult verify = Processes.run(
            List.of("systemd-analyze", "verify", "--man=no", forwarder.toString(), l7.toString()), Duration.ofSeconds(60));

        assertThat(verify.stderr()).isEmpty();
        assertThat(verify.exitCode()).isZero();
    }

    @Test
    void reloadMeansApplyForTheForwarderAndSighupForTheProxy() throws IOException
    {
        assertThat(Files.readString(UNITS.resolve("sluice-forwarder@.service")))
            .contains("ExecReload=/usr/local/bin/sluice apply /etc/sluice/forwarder-%i.yaml --state-dir /run/sluice/%i")
            .contains("KillSignal=SIGTERM")
            .contains("LimitMEMLOCK=infinity");
        assertThat(Files.readString(UNITS.resolve("sluice-l7@.service")))
            .contains("ExecStart=/usr/local/bin/sluice l7 --config /etc/sluice/l7/%i.yaml")
            .contains("ExecReload=/bin/kill -HUP $MAINPID");
    }

    private Path instance(final String template, final String instance) throws IOException
    {
        final String unit = Files.readString(UNITS.resolve(template)).replace("/usr/local/bin/sluice", LAUNCHER.toString());
        return Files.writeString(dir.resolve(instance), unit);
    }
}
