package io.sluice.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Runs the real `sluice` command line as a separate process, exactly as a user would, and
 * captures what it did. The demo and the lab tests drive a forwarder only through this, so they
 * test the same jar and the same contract a person gets.
 */
public final class SluiceRunner
{
    /** A CLI call is budgeted at 0.5 s; this is only a guard against a hung process. */
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(30);

    private final SluiceHome home;
    private final List<String> trailingArgs;

    /**
     * @param trailingArgs appended to every call, e.g. {@code --state-dir /run/sluice-demo}.
     */
    public SluiceRunner(final SluiceHome home, final String... trailingArgs)
    {
        this.home = home;
        this.trailingArgs = List.of(trailingArgs);
    }

    /** Runs {@code sluice ARGS... TRAILING...} and waits for it. */
    public ExecResult run(final String... args)
    {
        return Processes.run(home.sluice(withTrailing(args).toArray(String[]::new)), CLI_TIMEOUT);
    }

    /** How the call looks to a person: {@code sluice ARGS... TRAILING...}. */
    public String display(final String... args)
    {
        return "sluice " + String.join(" ", withTrailing(args));
    }

    private List<String> withTrailing(final String... args)
    {
        final List<String> all = new ArrayList<>(args.length + trailingArgs.size());
        Collections.addAll(all, args);
        all.addAll(trailingArgs);
        return all;
    }
}
