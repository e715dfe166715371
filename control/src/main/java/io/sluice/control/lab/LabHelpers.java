package io.sluice.control.lab;

import picocli.CommandLine;

/** What the lab's command-line helpers share: picocli set up so bad input is one line on stderr. */
final class LabHelpers
{
    /** Exit code for bad arguments, as in the `sluice` command line. */
    static final int BAD_ARGUMENTS = 2;

    private LabHelpers()
    {
    }

    static CommandLine commandLine(final Object command)
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
