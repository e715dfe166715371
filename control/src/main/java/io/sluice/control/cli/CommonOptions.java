package io.sluice.control.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options every sluice command takes: where the forwarder lives, and JSON output. */
public final class CommonOptions
{
    public static final String DEFAULT_STATE_DIR = "/run/sluice";

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = DEFAULT_STATE_DIR,
        description = "Where the forwarder keeps its control file and configuration (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    public Path stateDir()
    {
        return stateDir;
    }

    public boolean json()
    {
        return json;
    }
}
