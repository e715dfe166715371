package io.sluice.control.warmup;

import io.sluice.l7.config.L7Config;
import io.sluice.l7.config.L7ConfigLoader;
import io.sluice.l7.proxy.Transport;
import io.sluice.lab.tls.VipTlsFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short warm-up: on each transport this machine has, clients are answered and nothing fails
 * (the figures are small: a test JVM starts cold, with paranoid leak detection); with a TLS
 * listener in the configuration, over TLS too, with full and resumed handshakes; afterwards the
 * process listens on nothing it did not listen on before and runs no thread the warm-up started.
 */
class L7WarmUpTest
{
    private static final WarmUpLength SHORT = WarmUpLength.fixed(Duration.ofSeconds(3));
    /** Longer: in a cold test JVM the proxy's TLS contexts and the clients' first handshakes take seconds on a busy machine. */
    private static final WarmUpLength WITH_TLS = WarmUpLength.fixed(Duration.ofSeconds(8));
    /** Whether the JIT settles within it depends on the machine: either ending is right. */
    private static final WarmUpLength UNTIL_SETTLED = new WarmUpLength(Duration.ofSeconds(3), Duration.ofSeconds(15));
    private static final String ROUTES_AND_POOLS = """
        routes:
          - name: all
            to: pool
        pools:
          pool:
            servers:
              - { name: one, address: "127.0.0.1:8081" }
        """;

    @TempDir
    Path directory;

    @Test
    void answersEveryClientAndLeavesNothingListeningOrRunning() throws Exception
    {
        final L7Config cleartext = L7ConfigLoader.parse("""
            listeners:
              - name: web
                address: 127.0.0.1:8080
            """ + ROUTES_AND_POOLS, "l7.yaml");
        for (final Transport transport : Transport.usable())
        {
            final Set<String> listeningBefore = listeningSockets();
            final List<String> said = new ArrayList<>();
            final WarmedUp warmed = L7WarmUp.run(transport, 1, SHORT, cleartext, said::add);
            assertThat(warmed.ending()).isEqualTo("3 s, as asked");
            final LoadCounts counts = warmed.counts();
            assertThat(counts.http1()).as(transport.name()).isPositive();
            assertThat(counts.h2c()).as(transport.name()).isPositive();
            assertThat(counts.failed()).as(transport.name()).isZero();
            assertThat(counts.connections()).as("keep-alive, short and h2c connections").isGreaterThanOrEqualTo(20);
            assertThat(List.of(counts.http1OverTls(), counts.h2OverTls(), counts.fullHandshakes(), counts.resumedHandshakes()))
                .as("no TLS listener, no TLS").containsOnly(0L);
            assertThat(said).isEmpty();
            assertNothingLeft(transport.name(), listeningBefore);
        }
    }

    /**
     * The listener requires a client certificate, which the warm-up's clients do not have (its own
     * listener asks for none), and takes only clients that name its certificate ({@code sni: strict}).
     */
    @Test
    void warmsTlsAsTheFirstTlsListenerServesIt() throws Exception
    {
        final VipTlsFiles files = VipTlsFiles.make(directory.resolve("tls"), "web.sluice.test", "127.0.0.1");
        final L7Config served = L7ConfigLoader.parse("""
            listeners:
              - name: plain
                address: 127.0.0.1:8080
              - name: web
                address: 127.0.0.1:8443
                tls:
                  certificates: [ { cert: "%s", key: "%s" } ]
                  sni: strict
                  client_auth: required
                  client_ca: "%s"
            """.formatted(files.cert(), files.key(), files.ca()) + ROUTES_AND_POOLS, "l7.yaml");
        final Set<String> listeningBefore = listeningSockets();
        final List<String> said = new ArrayList<>();

        final LoadCounts counts = L7WarmUp.run(Transport.best(), 1, WITH_TLS, served, said::add).counts();

        assertThat(said).as("the TLS listener started").isEmpty();
        assertThat(counts.http1()).as(counts.summary()).isPositive();
        assertThat(counts.h2c()).as(counts.summary()).isPositive();
        assertThat(counts.http1OverTls()).as(counts.summary()).isPositive();
        assertThat(counts.h2OverTls()).as(counts.summary()).isPositive();
        assertThat(counts.fullHandshakes()).as(counts.summary()).isPositive();
        assertThat(counts.resumedHandshakes()).as("the JDK client resumed sessions: %s", counts.summary()).isPositive();
        assertThat(counts.failed()).as(counts.summary()).isZero();
        assertNothingLeft("TLS", listeningBefore);
    }

    /** A setting the TLS engine refuses when the proxy starts (the file's reader lets any IANA-shaped name through). */
    @Test
    void warmsCleartextAndSaysSoWhenTheTlsEngineRefusesTheListener() throws Exception
    {
        final VipTlsFiles files = VipTlsFiles.make(directory.resolve("tls"), "web.sluice.test", "127.0.0.1");
        final L7Config served = L7ConfigLoader.parse("""
            listeners:
              - name: web
                address: 127.0.0.1:8443
                tls:
                  certificates: [ { cert: "%s", key: "%s" } ]
                  ciphers: [TLS_NO_SUCH_SUITE_WITH_NOTHING]
            """.formatted(files.cert(), files.key()) + ROUTES_AND_POOLS, "l7.yaml");
        final Set<String> listeningBefore = listeningSockets();
        final List<String> said = new ArrayList<>();

        final LoadCounts counts = L7WarmUp.run(Transport.best(), 1, WITH_TLS, served, said::add).counts();

        assertThat(said).singleElement().asString().startsWith("the warm-up leaves TLS out: l7.yaml:")
            .contains("the TLS engine refuses it");
        assertThat(counts.http1()).isPositive();
        assertThat(counts.http1OverTls() + counts.h2OverTls() + counts.fullHandshakes()).isZero();
        assertThat(counts.failed()).isZero();
        assertNothingLeft("TLS refused", listeningBefore);
    }

    /** {@code --warm-up auto}: it lasts from its minimum to its maximum, and says which way it ended. */
    @Test
    void untilTheJitSettlesEndsWithinItsBoundsAndSaysWhy() throws Exception
    {
        final L7Config cleartext = L7ConfigLoader.parse("""
            listeners:
              - name: web
                address: 127.0.0.1:8080
            """ + ROUTES_AND_POOLS, "l7.yaml");
        final Set<String> listeningBefore = listeningSockets();
        final long startNs = System.nanoTime();

        final WarmedUp warmed = L7WarmUp.run(Transport.best(), 1, UNTIL_SETTLED, cleartext, (line) -> { });

        final Duration took = Duration.ofNanos(System.nanoTime() - startNs);
        assertThat(took).as(warmed.summary()).isBetween(UNTIL_SETTLED.minimum(), UNTIL_SETTLED.maximum().plusSeconds(5));
        assertThat(warmed.ending()).as(warmed.summary()).matches(
            "the JIT settled after ([3-9]|1[0-5]) s|reached the 15 s maximum with the JIT still compiling \\(\\d+ % of the last second\\)");
        assertThat(warmed.counts().http1()).as(warmed.summary()).isPositive();
        assertThat(warmed.counts().failed()).as(warmed.summary()).isZero();
        assertNothingLeft("auto", listeningBefore);
    }

    private static void assertNothingLeft(final String run, final Set<String> listeningBefore) throws IOException
    {
        assertThat(listeningSockets()).as("%s: the proxy's and the backends' listeners are closed", run)
            .isEqualTo(listeningBefore);
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
            .filter((name) -> name.startsWith("sluice-warm-up-"))).as("%s: the clients have ended", run).isEmpty();
    }

    /** The inodes of this process's TCP sockets in LISTEN state (/proc/net/tcp{,6} state 0A). */
    private static Set<String> listeningSockets() throws IOException
    {
        final Set<String> ours = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd")))
        {
            for (final Path fd : fds.toList())
            {
                try
                {
                    final String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:["))
                    {
                        ours.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                }
                catch (final IOException ex)
                {
                    // closed between the listing and the read
                }
            }
        }
        final Set<String> listening = new HashSet<>();
        for (final String table : List.of("/proc/net/tcp", "/proc/net/tcp6"))
        {
            final List<String> lines = Files.readAllLines(Path.of(table));
            for (final String line : lines.subList(1, lines.size())) // after the column names
            {
                final String[] fields = line.trim().split("\\s+");
                if ("0A".equals(fields[3]) && ours.contains(fields[9]))
                {
                    listening.add(fields[1] + " inode " + fields[9]);
                }
            }
        }
        return listening;
    }
}
