package io.sluice.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command to completion with a deadline, capturing its output. Output goes to temporary
 * files rather than pipes so a chatty command can never block on a full pipe while we wait.
 */
public final class Processes
{
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private Processes()
    {
    }

    /**
     * @throws IllegalStateException when the command cannot start or outlives the timeout (it is killed).
     */
    public static ExecResult run(final List<String> command, final Duration timeout)
    {
        return run(command, Path.of(""), "", timeout);
    }

    /**
     * Runs a command in a directory, with text on its standard input.
     *
     * @param directory where it runs; the empty path is this process's working directory.
     * @param input     what it reads on stdin before end of file (an empty string reads as /dev/null does).
     * @throws IllegalStateException when the command cannot start or outlives the timeout (it is killed).
     */
    public static ExecResult run(final List<String> command, final Path directory, final String input, final Duration timeout)
    {
        Path in = null;
        Path out = null;
        Path err = null;
        try
        {
            in = Files.createTempFile("sluice-exec-", ".in");
            Files.writeString(in, input, StandardCharsets.UTF_8);
            out = Files.createTempFile("sluice-exec-", ".out");
            err = Files.createTempFile("sluice-exec-", ".err");
            final Process process = new ProcessBuilder(command)
                .directory(directory.toAbsolutePath().toFile())
                .redirectInput(in.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
            {
                stop(process);
                throw new IllegalStateException(
                    String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s: killed");
            }
            return new ExecResult(List.copyOf(command), process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot run " + String.join(" ", command) + ": " + ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), ex);
        }
        finally
        {
            deleteQuietly(in);
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** SIGTERM, a grace period, then SIGKILL; returns once the process is gone. */
    public static void stop(final Process process)
    {
        if (!process.isAlive())
        {
            return;
        }
        process.destroy();
        try
        {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static void deleteQuietly(final Path path)
    {
        if (path == null)
        {
            return;
        }
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ignored)
        {
            // a leftover temporary file is not worth failing a run for
        }
    }
}
