package io.sluice.l7.redis;

import io.sluice.l7.proxyprotocol.ChildServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Debian's redis-server for one test, never the host's service: its own configuration, port
 * (free on 127.0.0.1 a moment before) and directory, nothing saved to disk. It can be stopped
 * and started again on the same port, paused (SIGSTOP: up but silent, as a hung Redis is) and
 * asked things through redis-cli. Missing, it fails the test with one line naming the package,
 * as this module's tests do for nginx and HAProxy ({@code ./sluice test} installs them all).
 */
final class RedisServer implements AutoCloseable
{
    private static final Path SERVER = Path.of("/usr/bin/redis-server");
    private static final Path CLI = Path.of("/usr/bin/redis-cli");

    private final Path dir;
    private final int port;
    private ChildServer process;

    private RedisServer(final Path dir, final int port)
    {
        this.dir = dir;
        this.port = port;
    }

    /**
     * Starts one in {@code dir}, ready once its port takes connections.
     *
     * @param configuration more lines of redis.conf ({@code requirepass s3cret}, an ACL {@code user} line).
     */
    static RedisServer start(final Path dir, final String... configuration) throws IOException, InterruptedException
    {
        if (!Files.isExecutable(SERVER) || !Files.isExecutable(CLI))
        {
            throw new IllegalStateException("needs redis-server and redis-cli (Debian package redis-server; sudo ./sluice test "
                + "installs it)");
        }
        final RedisServer server = new RedisServer(dir, ChildServer.freePort());
        Files.writeString(dir.resolve("redis.conf"), String.join("\n", List.of(
            "port " + server.port,
            "bind 127.0.0.1",
            "save \"\"",
            "appendonly no",
            "dir " + dir,
            "daemonize no",
            "logfile \"\"",
            String.join("\n", configuration))) + "\n", StandardCharsets.US_ASCII);
        server.begin();
        return server;
    }

    InetSocketAddress address()
    {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** Stops it (SIGTERM): its clients' connections close. */
    void stop()
    {
        process.close();
    }

    /** Starts it again on the same port, empty. */
    void begin() throws IOException, InterruptedException
    {
        process = ChildServer.start(List.of(SERVER.toString(), dir.resolve("redis.conf").toString()), dir.resolve("redis.log"),
            port);
    }

    /**
     * SIGSTOP: connections stay open, nothing is answered (redis-cli would hang too).
     *
     * @return the process id, for {@link #resume}.
     */
    String pause() throws IOException, InterruptedException
    {
        final String pid = pid();
        signal("-STOP", pid);
        return pid;
    }

    /** SIGCONT after {@link #pause}. */
    void resume(final String pid) throws IOException, InterruptedException
    {
        signal("-CONT", pid);
    }

    /** The server's process id, from INFO (ChildServer keeps its Process to itself). */
    String pid() throws IOException, InterruptedException
    {
        for (final String line : cli("INFO", "server").split("\r?\n"))
        {
            if (line.startsWith("process_id:"))
            {
                return line.substring("process_id:".length()).trim();
            }
        }
        throw new IllegalStateException("INFO server named no process_id");
    }

    /** redis-cli's answer to one command, trimmed; {@code -n DB} or {@code --user/--pass} may come first. */
    String cli(final String... command) throws IOException, InterruptedException
    {
        final List<String> line = new ArrayList<>(List.of(CLI.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port)));
        line.addAll(List.of(command));
        final Process cli = new ProcessBuilder(line).redirectErrorStream(true).start();
        final String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!cli.waitFor(10, TimeUnit.SECONDS))
        {
            cli.destroyForcibly();
            throw new IllegalStateException(String.join(" ", line) + " did not end within 10 s");
        }
        return output.trim();
    }

    /** Clients connected now, the redis-cli asking not counted. */
    int clients()
    {
        try
        {
            final String info = cli("INFO", "clients");
            for (final String line : info.split("\r?\n"))
            {
                if (line.startsWith("connected_clients:"))
                {
                    return Integer.parseInt(line.substring("connected_clients:".length()).trim()) - 1;
                }
            }
            throw new IllegalStateException("INFO clients named no connected_clients: " + info);
        }
        catch (final IOException | InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Waits up to 10 s for {@code condition}, failing with {@code what}: connections are made and
     * closed on the event loops, after the call that asked for them has returned.
     */
    static void waitFor(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void signal(final String signal, final String pid) throws IOException, InterruptedException
    {
        final Process kill = new ProcessBuilder("kill", signal, pid).inheritIO().start();
        if (kill.waitFor() != 0)
        {
            throw new IllegalStateException("kill " + signal + " " + pid + " failed");
        }
    }

    @Override
    public void close()
    {
        process.close();
    }
}
