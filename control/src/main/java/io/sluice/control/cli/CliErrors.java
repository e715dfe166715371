package io.sluice.control.cli;

import io.sluice.forwarder.cnc.ControlFileException;
import io.sluice.forwarder.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;

/**
 * How sluice reports bad input and failures: exactly one line on stderr, {@code sluice: <reason>},
 * never a stack trace or a usage dump. Usage errors (bad arguments) exit with 2 and point at the
 * command's help; refused or failed operations exit with 1. Set {@code SLUICE_DEBUG=1} to get
 * the stack trace of an unexpected failure as well.
 */
public final class CliErrors implements IParameterExceptionHandler, IExecutionExceptionHandler
{
    @Override
    public int handleParseException(final ParameterException ex, final String[] args)
    {
        final CommandLine command = ex.getCommandLine();
        final String qualifiedName = command.getCommandSpec().qualifiedName();
        command.getErr().println("sluice: " + oneLine(ex.getMessage()) + " (try '" + qualifiedName + " --help')");
        command.getErr().flush();
        return CliException.EXIT_USAGE;
    }

    @Override
    public int handleExecutionException(final Exception ex, final CommandLine command, final ParseResult parseResult)
    {
        final PrintWriter err = command.getErr();
        final int exitCode;
        if (ex instanceof CliException cli)
        {
            err.println("sluice: " + oneLine(cli.getMessage()));
            exitCode = cli.exitCode();
        }
        else if (ex instanceof ControlFileException || ex instanceof ConfigException)
        {
            err.println("sluice: " + oneLine(ex.getMessage()));
            exitCode = CliException.EXIT_FAILED;
        }
        else
        {
            err.println("sluice: internal error: " + oneLine(String.valueOf(ex)) + " (set SLUICE_DEBUG=1 for details)");
            if (System.getenv("SLUICE_DEBUG") != null)
            {
                ex.printStackTrace(err);
            }
            exitCode = CliException.EXIT_FAILED;
        }
        err.flush();
        return exitCode;
    }

    /** Keeps the promise of one line even when a message carries a newline. */
    static String oneLine(final String message)
    {
        if (message == null)
        {
            return "unknown error";
        }
        final String stripped = message.strip();
        final int newline = stripped.indexOf('\n');
        return (newline < 0 ? stripped : stripped.substring(0, newline)).replace('\r', ' ');
    }
}
