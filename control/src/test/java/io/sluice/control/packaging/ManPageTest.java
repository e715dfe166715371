package io.sluice.control.packaging;

import io.sluice.control.SluiceCli;
import io.sluice.control.cli.ManPage;
import io.sluice.lab.ExecResult;
import io.sluice.lab.Processes;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice.1} renders with {@code man -l} at a narrow width without a single warning, and names every command. */
final class ManPageTest
{
    @TempDir
    Path dir;

    @Test
    void rendersWithoutWarningsAndNamesEveryCommand() throws IOException
    {
        Privileges.require(Files.isExecutable(Path.of("/usr/bin/man")), "needs man (Debian package man-db)");
        final Path page = dir.resolve("sluice.1");
        ManPage.main(new String[]{ page.toString() });

        final ExecResult man = Processes.run(
            List.of("env", "MANWIDTH=72", "man", "--warnings=all", "-l", page.toString()), Duration.ofSeconds(60));

        assertThat(man.stderr()).isEmpty();
        assertThat(man.exitCode()).isZero();
        final StringWriter discard = new StringWriter();
        for (final String command : SluiceCli.commandLine(new PrintWriter(discard), new PrintWriter(discard))
            .getSubcommands().keySet())
        {
            assertThat(man.stdout()).contains("sluice " + command);
        }
        assertThat(man.stdout()).contains("sluice vip add", "--scheduler", "sluice real add");
    }
}
