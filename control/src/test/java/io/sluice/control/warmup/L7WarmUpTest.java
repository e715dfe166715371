package io.sluice.control.warmup;

import io.sluice.l7.proxy.Transport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short warm-up, on each transport this machine has: clients are answered, nothing
 * fails (the figures are small: a test JVM starts cold, with paranoid leak detection), and
 * afterwards the process listens on nothing it did not listen on before and runs no thread the
 * warm-up started.
 */
class L7WarmUpTest
{
    private static final Duration SHORT = Duration.ofSeconds(3);

    @Test
    void answersEveryClientAndLeavesNothingListeningOrRunning() throws Exception
    {
        for (final Transport transport : Transport.usable())
        {
            final Set<String> listeningBefore = listeningSockets();
            final LoadCounts counts = L7WarmUp.run(transport, 1, SHORT);
            assertThat(counts.answered()).as(transport.name()).isPositive();
            assertThat(counts.failed()).as(transport.name()).isZero();
            assertThat(counts.connections()).as("keep-alive, short and h2c connections").isGreaterThanOrEqualTo(20);
            assertThat(listeningSockets()).as("%s: the proxy's and the backends' listeners are closed", transport.name())
                .isEqualTo(listeningBefore);
            assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter((name) -> name.startsWith("sluice-warm-up-"))).as("the clients have ended").isEmpty();
        }
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
