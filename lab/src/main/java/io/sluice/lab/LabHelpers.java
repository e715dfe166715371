package io.sluice.lab;

import picocli.CommandLine;

/** What the lab's command-line helpers share: picocli set up so bad input is one line on stderr. */
public final class LabHelpers
{
    /** Exit code for bad arguments, as in the `sluice` command line. */
    public static final int BAD_ARGUMENTS = 2;

    private LabHelpers()
    {
    }

    public static CommandLine commandLine(final Object command)
    {
        final CommandLine commandLine = new CommandLine(command);
        commandLine.setParameterExceptionHandler((ex, args) ->
        {
            ex.getCommandLine().getErr().println(ex.getCommandLine().getCommandName() + ": " + ex.getMessage());
            return BAD_ARGUMENTS;
        });
        return commandLine;
    }
}
