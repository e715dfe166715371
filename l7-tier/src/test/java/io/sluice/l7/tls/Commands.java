package io.sluice.l7.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Debian's clients (curl, openssl s_client) run as they are, their output read whole. */
final class Commands
{
    /**
     * @param status the exit status.
     * @param output standard output and standard error, interleaved as they came.
     */
    record Result(int status, String output)
    {
    }

    private Commands()
    {
    }

    /** Runs a command with {@code input} on its standard input; killed after 30 s. */
    static Result run(final List<String> command, final String input) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not end within 30 s");
        }
        return new Result(process.exitValue(), output.join());
    }

    private static String read(final InputStream in)
    {
        try
        {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
