package io.sluice.lab;

import java.util.List;

/**
 * How a finished command ended: its exit code and everything it printed.
 *
 * @param command  what was run, for messages.
 * @param exitCode the process exit code.
 * @param stdout   standard output, whole.
 * @param stderr   standard error, whole.
 */
public record ExecResult(List<String> command, int exitCode, String stdout, String stderr)
{
    public boolean ok()
    {
        return exitCode == 0;
    }

    /** @return this result when the command succeeded. @throws IllegalStateException otherwise, with its stderr. */
    public ExecResult orThrow()
    {
        if (exitCode != 0)
        {
            throw new IllegalStateException(
                String.join(" ", command) + " exited " + exitCode + ": " + stderr.strip());
        }
        return this;
    }

    /** The non-blank lines of standard error: a command that fails cleanly prints exactly one. */
    public List<String> stderrLines()
    {
        return stderr.lines().filter(line -> !line.isBlank()).toList();
    }
}
