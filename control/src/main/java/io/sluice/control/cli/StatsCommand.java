package io.sluice.control.cli;

import io.sluice.forwarder.cnc.ControlFile;
import io.sluice.forwarder.cnc.ControlFileException;
import io.sluice.control.cnc.CounterSnapshot;
import org.agrona.concurrent.status.CountersReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code sluice stats [--watch [--interval-ms N]]}: reads the running forwarder's counters from
 * its control file (no command is sent, the forwarder does not notice) and prints totals, or
 * with {@code --watch} the rates over each interval until interrupted.
 */
@Command(name = "stats", description = "Show the running forwarder's counters: per VIP and real, drops, workers.",
    mixinStandardHelpOptions = true)
public final class StatsCommand implements Callable<Integer>
{
    public static final long MIN_INTERVAL_MS = 100;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--watch", description = "Print rates every interval until Ctrl-C.")
    boolean watch;

    @Option(names = "--interval-ms", paramLabel = "N", defaultValue = "1000",
        description = "The --watch interval in milliseconds (default: ${DEFAULT-VALUE}).")
    long intervalMs;

    /** Stops --watch after this many reports; for tests and scripts. 0 = until interrupted. */
    @Option(names = "--count", paramLabel = "N", defaultValue = "0", hidden = true)
    int count;

    @Override
    public Integer call() throws InterruptedException
    {
        if (intervalMs < MIN_INTERVAL_MS)
        {
            throw new ParameterException(spec.commandLine(), "--interval-ms " + intervalMs + " is below " + MIN_INTERVAL_MS);
        }
        final PrintWriter out = spec.commandLine().getOut();
        try (ControlFile controlFile = ControlFile.open(common.stateDir(), true))
        {
            final CountersReader counters = controlFile.countersReader();
            CounterSnapshot previous = CounterSnapshot.read(counters, System.nanoTime());
            if (!watch)
            {
                print(out, StatsReport.of(previous), 0);
                return 0;
            }
            for (int reports = 0; count == 0 || reports < count; reports++)
            {
                Thread.sleep(intervalMs);
                if (!controlFile.isForwarderAlive())
                {
                    throw new ControlFileException("forwarder at " + common.stateDir() + " stopped (pid " + controlFile.pid() + " gone)");
                }
                final CounterSnapshot current = CounterSnapshot.read(counters, System.nanoTime());
                final double seconds = (current.takenAtNs() - previous.takenAtNs()) / (double)TimeUnit.SECONDS.toNanos(1);
                if (!common.json() && reports > 0)
                {
                    out.println();
                }
                print(out, StatsReport.of(current.minus(previous), current), seconds);
                previous = current;
            }
            return 0;
        }
    }

    private void print(final PrintWriter out, final StatsReport report, final double seconds)
    {
        if (common.json())
        {
            out.println(report.json(seconds));
        }
        else
        {
            report.printText(out, seconds);
        }
        out.flush();
    }
}
