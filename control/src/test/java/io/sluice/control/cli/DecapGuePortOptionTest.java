package io.sluice.control.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice decap --gue-port}: a value that is no UDP port is a usage error of one line, before anything is attached. */
class DecapGuePortOptionTest
{
    @Test
    void refusesAPortOutsideOneTo65535()
    {
        for (final String port : new String[]{ "0", "65536", "-1" })
        {
            final CliRun run = CliRun.of("decap", "--iface", "eth0", "--gue-port", port);
            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(run.errLines()).as(run.err()).hasSize(1);
            assertThat(run.err()).startsWith("sluice: --gue-port " + port + " is not a UDP port (1-65535)");
        }
    }

    @Test
    void refusesAPortThatIsNoNumber()
    {
        final CliRun run = CliRun.of("decap", "--iface", "eth0", "--gue-port", "gue");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.errLines()).as(run.err()).hasSize(1);
        assertThat(run.err()).contains("--gue-port").contains("gue");
    }
}
