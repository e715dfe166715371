package io.sluice.l7.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The watcher says once that files changed, after they stopped changing; files it does not watch it ignores. */
class CertificateWatcherTest
{
    @TempDir
    Path directory;

    @Test
    void aChangeIsReportedOnceTheFilesHaveSettled() throws Exception
    {
        final Path cert = Files.writeString(directory.resolve("a.pem"), "one");
        final Path key = Files.writeString(directory.resolve("a.key"), "one");
        final Path other = Files.writeString(directory.resolve("other"), "one");
        final AtomicInteger changes = new AtomicInteger();
        try (CertificateWatcher watcher = new CertificateWatcher(changes::incrementAndGet))
        {
            watcher.watch(List.of(cert, key));
            Files.writeString(other, "two, longer");
            Thread.sleep(2500);
            assertThat(changes.get()).as("an unwatched file").isZero();

            Files.writeString(directory.resolve("a.pem.new"), "two, longer");
            Files.move(directory.resolve("a.pem.new"), cert, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Thread.sleep(500);
            Files.writeString(key, "two, longer"); // the key half a second later: still one change, made when both are in
            Thread.sleep(3500);
            assertThat(changes.get()).isEqualTo(1);
        }
    }

    @Test
    void noThreadRunsUntilThereIsAFileToWatch()
    {
        final long before = watcherThreads();
        try (CertificateWatcher watcher = new CertificateWatcher(() -> { }))
        {
            watcher.watch(List.of()); // a configuration without TLS
            assertThat(watcherThreads()).as("watcher threads (those of closed watchers only end)").isLessThanOrEqualTo(before);
        }
    }

    private static long watcherThreads()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter((thread) -> thread.getName().equals("sluice-l7-certificate-watcher")).count();
    }
}
