package io.sluice.l7.accesslog;

import io.sluice.l7.http.RequestRefusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access log's line, exactly; strings escaped so a hostile path cannot break the line; the
 * hand-off from many threads writing every line; and a full queue dropping and counting instead
 * of blocking the caller.
 */
class AccessLogTest
{
    private static final long START = Instant.parse("2025-03-01T12:00:00.123Z").toEpochMilli();

    private static AccessLogEntry entry(final String path)
    {
        return new AccessLogEntry(START, new InetSocketAddress("192.0.2.7", 50123), "GET", path, "api", "api-pool", "a1", 200, 12,
            512, 1_234_567, "5f0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e", null);
    }

    private static String line(final AccessLogEntry entry)
    {
        final StringBuilder out = new StringBuilder();
        AccessLogFormat.appendLine(out, entry);
        return out.toString();
    }

    @Test
    void oneJsonLinePerRequestFieldsInOrder()
    {
        assertThat(line(entry("/api/users?id=7"))).isEqualTo(
            "{\"time\":\"2025-03-01T12:00:00.123Z\",\"client\":\"192.0.2.7\",\"method\":\"GET\",\"path\":\"/api/users?id=7\","
                + "\"route\":\"api\",\"pool\":\"api-pool\",\"server\":\"a1\",\"status\":200,\"request_bytes\":12,\"response_bytes\":512,"
                + "\"duration_ms\":1.234,\"request_id\":\"5f0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e\",\"refused\":null,\"identity\":null}\n");
    }

    @Test
    void absentValuesAreNullAndTheClockStartsAtTheEpoch()
    {
        final AccessLogEntry refused = new AccessLogEntry(0, new InetSocketAddress("::1", 1), "POST", "/nowhere", null, null, null, 404,
            0, 25, 5, null, null);

        assertThat(line(refused)).isEqualTo(
            "{\"time\":\"1970-01-01T00:00:00.000Z\",\"client\":\"::1\",\"method\":\"POST\",\"path\":\"/nowhere\","
                + "\"route\":null,\"pool\":null,\"server\":null,\"status\":404,\"request_bytes\":0,\"response_bytes\":25,"
                + "\"duration_ms\":0.000,\"request_id\":null,\"refused\":null,\"identity\":null}\n");
    }

    @Test
    void aRefusedRequestNamesItsReasonWithTheStatusItWasAnswered()
    {
        final AccessLogEntry refused = new AccessLogEntry(START, new InetSocketAddress("192.0.2.7", 50123), "POST", "/upload", "api",
            "api-pool", "a1", 400, 5, 0, 2_000, "5f0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e", RequestRefusal.BAD_CHUNK_SIZE.label());
        final AccessLogEntry atTheHead = new AccessLogEntry(START, new InetSocketAddress("192.0.2.7", 50124), "GET", "/", null, null,
            null, 400, 0, 0, 1_000, null, RequestRefusal.MISSING_HOST.label());

        assertThat(line(refused)).isEqualTo(
            "{\"time\":\"2025-03-01T12:00:00.123Z\",\"client\":\"192.0.2.7\",\"method\":\"POST\",\"path\":\"/upload\","
                + "\"route\":\"api\",\"pool\":\"api-pool\",\"server\":\"a1\",\"status\":400,\"request_bytes\":5,\"response_bytes\":0,"
                + "\"duration_ms\":0.002,\"request_id\":\"5f0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e\",\"refused\":\"bad_chunk_size\","
                + "\"identity\":null}\n");
        assertThat(line(atTheHead)).as("refused before routing: no route, pool or server")
            .contains("\"route\":null,\"pool\":null,\"server\":null,\"status\":400,")
            .endsWith(",\"request_id\":null,\"refused\":\"missing_host\",\"identity\":null}\n");
    }

    @Test
    void durationIsMillisecondsToTheMicrosecond()
    {
        assertThat(line(new AccessLogEntry(START, null, "GET", "/", null, null, null, 0, 0, 0, 12_345_678_901L, null, null)))
            .contains("\"client\":null").contains("\"duration_ms\":12345.678,");
        assertThat(line(new AccessLogEntry(START, null, "GET", "/", null, null, null, 0, 0, 0, 40_000, null, null)))
            .contains("\"duration_ms\":0.040,");
    }

    @Test
    void quotesBackslashesAndControlCharactersInThePathAreEscaped()
    {
        final String path = "/a\"b\\c\u0001d\ne\tf\u007f\u2028g";

        assertThat(line(entry(path))).contains("\"path\":\"/a\\\"b\\\\c\\u0001d\\ne\\tf\u007f\\u2028g\",")
            .endsWith("}\n").hasLineCount(1);
    }

    @Test
    void everyLineFromManyThreadsIsWrittenWhole() throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int threads = 4;
        final int perThread = 5_000;
        final List<Thread> loggers = new ArrayList<>();
        final AccessLog log = new AccessLog(bytes, true, threads * perThread);
        try
        {
            for (int t = 0; t < threads; t++)
            {
                final int id = t;
                loggers.add(Thread.ofPlatform().start(() ->
                {
                    for (int i = 0; i < perThread; i++)
                    {
                        assertThat(log.log(entry("/t" + id + "/" + i))).isTrue();
                    }
                }));
            }
            for (final Thread logger : loggers)
            {
                logger.join();
            }
            log.close(); // writes what is queued
            assertThat(log.dropped()).isZero();
        }
        finally
        {
            log.close();
        }
        final List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(threads * perThread).allMatch((l) -> l.startsWith("{\"time\":") && l.endsWith("}"));
        assertThat(lines).contains(line(entry("/t3/4999")).strip(), line(entry("/t0/0")).strip());
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception
    {
        final BlockingOutput output = new BlockingOutput();
        final int capacity = 8;
        final AccessLog log = new AccessLog(output, true, capacity);
        try
        {
            assertThat(log.log(entry("/first"))).isTrue();
            assertThat(output.writing.await(5, TimeUnit.SECONDS)).as("the writer is stuck writing the first line").isTrue();
            for (int i = 0; i < capacity; i++)
            {
                assertThat(log.log(entry("/queued/" + i))).isTrue();
            }
            final long before = System.nanoTime();
            for (int i = 0; i < 5; i++)
            {
                assertThat(log.log(entry("/dropped/" + i))).isFalse();
            }
            assertThat(System.nanoTime() - before).as("dropping does not wait").isLessThan(TimeUnit.SECONDS.toNanos(1));
            assertThat(log.dropped()).isEqualTo(5);

            output.release.countDown();
            log.close();
            assertThat(log.log(entry("/after-close"))).isFalse();
            assertThat(log.dropped()).isEqualTo(6);
        }
        finally
        {
            output.release.countDown();
            log.close();
        }
        final String written = output.bytes.toString(StandardCharsets.UTF_8);
        assertThat(written.lines()).hasSize(1 + capacity);
        assertThat(written).contains("/first", "/queued/7").doesNotContain("/dropped/", "/after-close");
    }

    @Test
    void aLineIsWrittenWithinTheFlushIntervalWithoutWaitingForClose() throws Exception
    {
        final ByteArrayOutputStream output = new ByteArrayOutputStream(); // synchronized
        try (AccessLog log = new AccessLog(output, false, 1024))
        {
            log.log(entry("/soon"));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (output.size() == 0 && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            assertThat(output.toString(StandardCharsets.UTF_8)).as("flushed by the writer's interval, the log still open")
                .isEqualTo(line(entry("/soon")));
        }
    }

    @Test
    void aFileIsAppendedTo(@TempDir final Path directory) throws IOException
    {
        final Path file = directory.resolve("access.log");
        Files.writeString(file, "earlier\n");
        try (AccessLog log = AccessLog.toFile(file, 16))
        {
            log.log(entry("/x"));
        }
        assertThat(Files.readAllLines(file)).containsExactly("earlier", line(entry("/x")).strip());
    }

    /** An output whose first write waits until the test lets it go. */
    private static final class BlockingOutput extends OutputStream
    {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void write(final int b) throws IOException
        {
            write(new byte[] {(byte)b}, 0, 1);
        }

        @Override
        public synchronized void write(final byte[] b, final int off, final int len) throws IOException
        {
            writing.countDown();
            try
            {
                if (!release.await(10, TimeUnit.SECONDS))
                {
                    throw new IOException("never released");
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IOException(ex);
            }
            bytes.write(b, off, len);
        }
    }
}
