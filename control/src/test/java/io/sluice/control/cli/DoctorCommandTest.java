package io.sluice.control.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice doctor}'s arguments: refused in one line before anything is probed. */
class DoctorCommandTest
{
    @Test
    void isListedAndExplainsItself()
    {
        assertThat(CliRun.of("--help").out()).contains("doctor");
        final CliRun help = CliRun.of("doctor", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--iface", "--real", "--queues", "--cpus", "--json", "--state-dir", "PASS, WARN or FAIL");
    }

    @Test
    void badArgumentsAreUsageErrors()
    {
        for (final String[] args : new String[][]{
            { "doctor", "--real", "198.18.1" }, { "doctor", "--cpus", "3-1" }, { "doctor", "--queues", "0" },
            { "doctor", "--iface", "no/such" } })
        {
            final CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(CliException.EXIT_USAGE);
            assertThat(run.errLines()).hasSize(1);
            assertThat(run.errLines()[0]).startsWith("sluice: ");
        }
    }

    @Test
    void aStateDirectoryWithABadConfigurationFailsNamingTheLine(@TempDir final Path stateDir) throws IOException
    {
        Files.writeString(stateDir.resolve("forwarder.conf"), "vip add nonsense\n");
        final CliRun run = CliRun.of("doctor", "--state-dir", stateDir.toString());
        assertThat(run.exitCode()).isEqualTo(CliException.EXIT_FAILED);
        assertThat(run.errLines()).singleElement().asString().contains("forwarder.conf:1:");
    }
}
