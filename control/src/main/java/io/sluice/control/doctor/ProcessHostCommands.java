package io.sluice.control.doctor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@link HostCommands} by running the program: its stdout when it exits 0 within a few seconds. */
public final class ProcessHostCommands implements HostCommands
{
    private static final long TIMEOUT_MS = 5_000;

    @Override
    public Optional<String> run(final String... command)
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            final String out;
            try (InputStream stdout = process.getInputStream())
            {
                out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 ? Optional.of(out) : Optional.empty();
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
    }
}
