package io.sluice.control.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice l7 --warm-up} and {@code --warm-up-max}: a length outside 0-300 s (1-300 for the
 * maximum), or neither seconds nor auto, is a usage error of one line, before anything starts.
 */
class L7WarmUpOptionTest
{
    @Test
    void refusesAWarmUpOutsideItsRange()
    {
        for (final String seconds : new String[]{ "-1", "301" })
        {
            final CliRun run = CliRun.of("l7", "--config", "/nonexistent.yaml", "--warm-up", seconds);
            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(run.errLines()).as(run.err()).hasSize(1);
            assertThat(run.err()).startsWith("sluice: --warm-up " + seconds + " is outside 0-300");
        }
    }

    @Test
    void refusesAWarmUpThatIsNeitherSecondsNorAuto()
    {
        final CliRun run = CliRun.of("l7", "--config", "/nonexistent.yaml", "--warm-up", "long");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.errLines()).as(run.err()).hasSize(1);
        assertThat(run.err()).startsWith("sluice: --warm-up long is neither seconds nor auto");
    }

    @Test
    void refusesAMaximumOutsideItsRange()
    {
        for (final String seconds : new String[]{ "0", "301" })
        {
            final CliRun run = CliRun.of("l7", "--config", "/nonexistent.yaml", "--warm-up", "auto", "--warm-up-max", seconds);
            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(run.errLines()).as(run.err()).hasSize(1);
            assertThat(run.err()).startsWith("sluice: --warm-up-max " + seconds + " is outside 1-300");
        }
    }
}
