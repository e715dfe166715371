package io.sluice.control.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice top --once} against an embedded forwarder whose worker counts packets while top samples. */
class TopCommandTest
{
    @TempDir
    Path stateDir;

    @Test
    void onceAsJsonShowsTheWorkersRates() throws InterruptedException
    {
        try (RunningForwarder forwarder = new RunningForwarder(stateDir))
        {
            final AtomicBoolean counting = new AtomicBoolean(true);
            final Thread traffic = Thread.ofPlatform().start(() ->
            {
                while (counting.get())
                {
                    forwarder.worker.rxPackets.incrementRelease();
                    forwarder.worker.flowsCreated.incrementRelease();
                    Thread.onSpinWait();
                }
            });
            final CliRun run;
            try
            {
                run = CliRun.of("top", "--once", "--json", "--interval", "200ms", "--state-dir", stateDir.toString());
            }
            finally
            {
                counting.set(false);
                traffic.join();
            }

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("\"workers\":[{\"worker\":0,\"rx_packets_per_s\":");
            assertThat(run.out()).doesNotContain("\"rx_packets_per_s\":0.0");
            assertThat(run.out()).contains("\"load_percent\":100.0");
        }
    }

    @Test
    void onceAsTextPrintsTheReport()
    {
        try (RunningForwarder _ = new RunningForwarder(stateDir))
        {
            final CliRun run = CliRun.of("top", "--once", "--interval", "100ms", "--state-dir", stateDir.toString());

            assertThat(run.exitCode()).as(run.err()).isZero();
            final long pid = ProcessHandle.current().pid();
            assertThat(run.out()).startsWith("sluice top  forwarder " + stateDir + " (pid " + pid + ")  rates over ");
            assertThat(run.out()).contains("no VIPs", "no drops", "WORKER");
        }
    }

    @Test
    void withoutATerminalTheLiveScreenSaysWhatToUseInstead()
    {
        try (RunningForwarder _ = new RunningForwarder(stateDir))
        {
            final CliRun run = CliRun.of("top", "--state-dir", stateDir.toString());

            assertThat(run.exitCode()).isEqualTo(CliException.EXIT_FAILED);
            assertThat(run.errLines()).singleElement().asString().startsWith("sluice: top needs a terminal").contains("--once");
        }
    }

    @Test
    void aBadIntervalIsAUsageError()
    {
        final CliRun tooShort = CliRun.of("top", "--once", "--interval", "10ms", "--state-dir", stateDir.toString());
        final CliRun notADuration = CliRun.of("top", "--once", "--interval", "soon", "--state-dir", stateDir.toString());

        assertThat(tooShort.exitCode()).isEqualTo(CliException.EXIT_USAGE);
        assertThat(tooShort.errLines()).singleElement().asString().contains("below 100 ms");
        assertThat(notADuration.exitCode()).isEqualTo(CliException.EXIT_USAGE);
        assertThat(notADuration.errLines()).singleElement().asString().contains("not a duration");
    }

    @Test
    void anUnreachableL7EndpointFailsTheSnapshotInOneLine()
    {
        final CliRun run =
            CliRun.of("top", "--once", "--interval", "100ms", "--l7", "127.0.0.1:1", "--state-dir", stateDir.toString());

        assertThat(run.exitCode()).isEqualTo(CliException.EXIT_FAILED);
        assertThat(run.errLines()).singleElement().asString()
            .startsWith("sluice: cannot read the L7 admin endpoint at 127.0.0.1:1/metrics");
    }
}
