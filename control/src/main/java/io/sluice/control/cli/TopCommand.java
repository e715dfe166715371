package io.sluice.control.cli;

import io.sluice.control.top.L7AdminException;
import io.sluice.control.top.LiveTop;
import io.sluice.control.top.SortKey;
import io.sluice.control.top.Terminal;
import io.sluice.control.top.TopJson;
import io.sluice.control.top.TopRenderer;
import io.sluice.control.top.TopSnapshot;
import io.sluice.control.top.TopSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sluice top [--once] [--json] [--interval 1s] [--l7 HOST:PORT]}: the forwarder's rates,
 * live and full-screen, read from its control file without sending it anything (and an L7
 * proxy's, from its admin endpoint). {@code --once} prints one snapshot as text,
 * {@code --json} as JSON; both take two samples an interval apart, so rates exist.
 */
@Command(name = "top", description = "Live rates of the running forwarder (and an L7 proxy): per VIP and real, drops, "
    + "workers, rings. Keys: q quit, p packets, b bytes, n name.", mixinStandardHelpOptions = true)
public final class TopCommand implements Callable<Integer>
{
    public static final long MIN_INTERVAL_MS = 100;
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s)?");

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--once", description = "Print one snapshot (the rates over one interval) as text and exit.")
    boolean once;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s",
        description = "Time between refreshes, e.g. 1s, 500ms, 2.5s (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--l7", paramLabel = "HOST:PORT", description = "Also show the L7 proxy whose admin endpoint listens there.")
    String l7;

    @Override
    public Integer call() throws InterruptedException
    {
        final long intervalMs = intervalMs();
        try (TopSources sources = TopSources.open(common.stateDir(), l7))
        {
            if (once || common.json())
            {
                final TopSources.Sample first = sources.sample(true);
                Thread.sleep(intervalMs);
                final TopSnapshot snapshot = sources.snapshot(first, sources.sample(true));
                final PrintWriter out = spec.commandLine().getOut();
                if (common.json())
                {
                    out.println(TopJson.write(snapshot));
                }
                else
                {
                    TopRenderer.lines(snapshot, SortKey.PACKETS, Integer.MAX_VALUE).forEach(out::println);
                }
                out.flush();
                return 0;
            }
            try (Terminal terminal = openTerminal())
            {
                new LiveTop(sources, terminal, intervalMs).run();
            }
            return 0;
        }
        catch (final L7AdminException ex)
        {
            throw new CliException(ex.getMessage());
        }
    }

    private static Terminal openTerminal()
    {
        try
        {
            return Terminal.open();
        }
        catch (final IllegalStateException ex)
        {
            throw new CliException("top needs a terminal (" + ex.getMessage() + "); --once or --json print one snapshot");
        }
    }

    private long intervalMs()
    {
        final Matcher matcher = DURATION.matcher(interval);
        if (!matcher.matches())
        {
            throw new ParameterException(spec.commandLine(), "--interval " + interval + " is not a duration such as 1s or 500ms");
        }
        final double value = Double.parseDouble(matcher.group(1));
        final long ms = Math.round("ms".equals(matcher.group(2)) ? value : value * 1000);
        if (ms < MIN_INTERVAL_MS)
        {
            throw new ParameterException(spec.commandLine(), "--interval " + interval + " is below " + MIN_INTERVAL_MS + " ms");
        }
        return ms;
    }
}
