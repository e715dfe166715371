package io.sluice.control.cli;

import io.sluice.control.SluiceCli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One CLI invocation in-process, with what it printed. */
record CliRun(int exitCode, String out, String err)
{
    static CliRun of(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exitCode = SluiceCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    /** The error output's lines; the contract is exactly one on failure. */
    String[] errLines()
    {
        if (err.isEmpty())
        {
            return new String[0];
        }
        final String text = err.endsWith("\n") ? err.substring(0, err.length() - 1) : err;
        return text.split("\n", -1);
    }
}
