package io.sluice.control.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@link HostCommands} by running the program: its stdout when it exits 0 within a few seconds.
 * The output goes to a file, not a pipe, so a long listing ({@code ip link} on a host with
 * thousands of interfaces) cannot block the program while the timeout runs.
 */
public final class ProcessHostCommands implements HostCommands
{
    private static final long TIMEOUT_MS = 5_000;

    @Override
    public Optional<String> run(final String... command)
    {
        Path output = null;
        try
        {
            output = Files.createTempFile("sluice-doctor-", ".out");
            final Process process = new ProcessBuilder(command).redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 ? Optional.of(Files.readString(output, StandardCharsets.UTF_8)) : Optional.empty();
        }
        catch (final IOException ex)
        {
            return Optional.empty(); // not installed
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        finally
        {
            deleteQuietly(output);
        }
    }

    private static void deleteQuietly(final Path file)
    {
        if (file != null)
        {
            try
            {
                Files.deleteIfExists(file);
            }
            catch (final IOException ignored)
            {
                // a temporary file left in /tmp is harmless
            }
        }
    }
}
