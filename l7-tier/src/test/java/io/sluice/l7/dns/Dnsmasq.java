package io.sluice.l7.dns;

import io.sluice.l7.proxyprotocol.ChildServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's dnsmasq (package dnsmasq-base, the binary without the service) for one test, never the host's: on
 * 127.0.0.1 at a port free a moment before, answering only from a hosts file in the test's directory with a TTL of
 * 1 s, and NXDOMAIN for other names under {@code test}. {@link #answer} rewrites the file and sends SIGHUP; it can
 * be stopped and started again on the same port. Missing, it fails the test with one line naming the package.
 */
final class Dnsmasq implements AutoCloseable
{
    private static final Path BINARY = Path.of("/usr/sbin/dnsmasq");

    private final Path dir;
    private final int port;
    private ChildServer process;

    private Dnsmasq(final Path dir, final int port)
    {
        this.dir = dir;
        this.port = port;
    }

    /** Starts one answering {@code hosts} ({@code /etc/hosts} lines: {@code 127.0.0.2 api.test}). */
    static Dnsmasq start(final Path dir, final String hosts) throws IOException, InterruptedException
    {
        if (!Files.isExecutable(BINARY))
        {
            throw new IllegalStateException("needs dnsmasq (Debian package dnsmasq-base; sudo ./sluice test installs it)");
        }
        final Dnsmasq dnsmasq = new Dnsmasq(dir, ChildServer.freePort());
        dnsmasq.begin(hosts);
        return dnsmasq;
    }

    /** {@code 127.0.0.1:PORT}, as {@code dns.servers} names it. */
    String address()
    {
        return "127.0.0.1:" + port;
    }

    /** Answers {@code hosts} from now on (the file rewritten, then SIGHUP: dnsmasq reads it again). */
    void answer(final String hosts) throws IOException, InterruptedException
    {
        Files.writeString(hosts(), hosts, StandardCharsets.US_ASCII);
        final String pid = Files.readString(dir.resolve("dnsmasq.pid")).trim();
        final Process kill = new ProcessBuilder("kill", "-HUP", pid).inheritIO().start();
        if (kill.waitFor() != 0)
        {
            throw new IllegalStateException("kill -HUP " + pid + " failed");
        }
    }

    /** Stops it (SIGTERM): queries go unanswered. */
    void stop()
    {
        process.close();
    }

    /**
     * Starts it (again, after {@link #stop}) on its port, answering {@code hosts}; ready once the port takes a TCP
     * connection (dnsmasq answers over TCP on the same port as over UDP).
     */
    void begin(final String hosts) throws IOException, InterruptedException
    {
        Files.writeString(hosts(), hosts, StandardCharsets.US_ASCII);
        process = ChildServer.start(List.of(BINARY.toString(), "--keep-in-foreground", "--conf-file=/dev/null",
            "--no-resolv", "--no-hosts", "--addn-hosts=" + hosts(), "--local-ttl=1", "--local=/test/",
            "--listen-address=127.0.0.1", "--bind-interfaces", "--port=" + port, "--user=root",
            "--pid-file=" + dir.resolve("dnsmasq.pid"), "--log-facility=-", "--log-queries"), dir.resolve("dnsmasq.log"), port);
    }

    private Path hosts()
    {
        return dir.resolve("hosts");
    }

    @Override
    public void close()
    {
        stop();
    }
}
