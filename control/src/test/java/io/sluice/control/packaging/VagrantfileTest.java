package io.sluice.control.packaging;

import io.sluice.lab.ExecResult;
import io.sluice.lab.Processes;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vagrant validate} on vagrant/Vagrantfile, and bash's syntax check of its provisioning
 * script. Validating needs no box and no network; booting the machines needs both, and KVM, which
 * the machines the suite runs on do not have (the README says what is run and what is not).
 * Vagrant's own state goes to a temporary directory, not into the repository or the home directory.
 */
final class VagrantfileTest
{
    private static final Path VAGRANT = Path.of("..", "vagrant").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void theTopologyValidates()
    {
        Privileges.require(Files.isExecutable(Path.of("/usr/bin/vagrant")),
            "needs vagrant (Debian packages vagrant and vagrant-libvirt, installed by ./sluice test)");

        final ExecResult validate = Processes.run(List.of("env", "VAGRANT_CWD=" + VAGRANT,
            "VAGRANT_DOTFILE_PATH=" + dir.resolve("dotfile"), "VAGRANT_HOME=" + dir.resolve("home"),
            "vagrant", "validate"), Duration.ofSeconds(120));

        assertThat(validate.exitCode()).as(validate.stderr()).isZero();
        assertThat(validate.stdout()).contains("Vagrantfile validated successfully.");
    }

    @Test
    void theProvisioningScriptParses()
    {
        final ExecResult syntax = Processes.run(List.of("bash", "-n", VAGRANT.resolve("provision").toString()),
            Duration.ofSeconds(30));

        assertThat(syntax.stderr()).isEmpty();
        assertThat(syntax.exitCode()).isZero();
    }
}
