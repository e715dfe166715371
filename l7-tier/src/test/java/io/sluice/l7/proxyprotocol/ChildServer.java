package io.sluice.l7.proxyprotocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real server (Debian's HAProxy or nginx) run as a child process for one test, from a
 * configuration file in the test's directory, its output in a log file beside it; ready once its
 * port takes connections, stopped (SIGTERM, then SIGKILL) when closed.
 */
public final class ChildServer implements AutoCloseable
{
    private final Process process;
    private final Path log;

    private ChildServer(final Process process, final Path log)
    {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} and waits up to 10 s for {@code port} on 127.0.0.1 to take a connection. */
    public static ChildServer start(final List<String> command, final Path log, final int port)
        throws IOException, InterruptedException
    {
        final ChildServer child = new ChildServer(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
            .start(), log);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline)
        {
            if (!child.process.isAlive())
            {
                throw new IllegalStateException(command.getFirst() + " exited " + child.process.exitValue() + ": " + child.output());
            }
            try (Socket probe = new Socket())
            {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return child;
            }
            catch (final IOException notYet)
            {
                Thread.sleep(50);
            }
        }
        child.close();
        throw new IllegalStateException(command.getFirst() + " did not listen on " + port + " within 10 s: " + child.output());
    }

    /**
     * Debian's nginx in the foreground, its files in {@code dir}, serving the {@code server} blocks
     * given; ready once {@code port} on 127.0.0.1 takes connections.
     */
    public static ChildServer nginx(final Path dir, final String servers, final int port) throws IOException, InterruptedException
    {
        final Path config = dir.resolve("nginx.conf");
        Files.writeString(config, """
            daemon off;
            master_process off;
            pid %1$s/nginx.pid;
            error_log %1$s/error.log info;
            events { worker_connections 64; }
            http {
              access_log off;
              client_body_temp_path %1$s/body;
              proxy_temp_path %1$s/proxy;
              fastcgi_temp_path %1$s/fastcgi;
              uwsgi_temp_path %1$s/uwsgi;
              scgi_temp_path %1$s/scgi;
            %2$s}
            """.formatted(dir, servers.indent(2)), StandardCharsets.US_ASCII);
        final String errors = dir.resolve("error.log").toString();
        return start(List.of("/usr/sbin/nginx", "-p", dir.toString(), "-c", config.toString(), "-e", errors), dir.resolve("nginx.out"),
            port);
    }

    public String output()
    {
        try
        {
            return Files.readString(log, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "(no output: " + ex.getMessage() + ")";
        }
    }

    @Override
    public void close()
    {
        process.destroy();
        try
        {
            if (!process.waitFor(5, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** A port free a moment ago on loopback (a configuration file needs a fixed one). */
    public static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
