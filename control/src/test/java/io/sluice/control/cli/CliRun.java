package io.sluice.control.cli;

import io.sluice.control.SluiceCli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;

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

    /** {@link #of} with {@code --state-dir DIR} after the arguments. */
    static CliRun inStateDir(final Path stateDir, final String... args)
    {
        final String[] withDir = Arrays.copyOf(args, args.length + 2);
        withDir[args.length] = "--state-dir";
        withDir[args.length + 1] = stateDir.toString();
        return of(withDir);
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
