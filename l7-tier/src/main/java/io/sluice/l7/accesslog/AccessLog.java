package io.sluice.l7.accesslog;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The access log: the event loops {@link #log} entries, one thread of its own formats them as
 * JSON lines ({@link AccessLogFormat}) and writes them, so no event loop ever waits for a disk
 * or a pipe. The queue between them is bounded: when it is full the entry is dropped and
 * counted ({@link #dropped}), because a proxy that stalls its traffic for its log is worse than
 * a log with a gap (which the count reveals).
 *
 * <p>{@link #log} takes no lock: a lock-free queue and a counter that reserves a place before
 * the entry goes in. The writer wakes every {@link #FLUSH_INTERVAL_NANOS} (sooner when a quarter
 * of the queue is full), writes what came and flushes once: a line waits up to 100 ms in memory,
 * as nginx's {@code flush=} and Envoy's flush interval let one wait, and the proxy's core is not
 * shared with a thread woken and a write made for every request (waking the writer per entry
 * cut sluice l7's rate by a third when both ran on one core). {@link #close} writes what is
 * queued, then stops the thread.
 */
public final class AccessLog implements AutoCloseable
{
    /** Entries that may wait to be written: a few seconds of a busy proxy's requests. */
    public static final int DEFAULT_CAPACITY = 65_536;
    /** How often the writer writes what was logged: the longest a line waits in memory. */
    private static final long FLUSH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int WRITE_BUFFER_CHARS = 64 * 1024;

    private final ConcurrentLinkedQueue<AccessLogEntry> queue = new ConcurrentLinkedQueue<>();
    /** Entries queued or being added: the bound is checked against it before an entry goes in. */
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final int capacity;
    /** Entries queued at which {@link #log} wakes the writer before its interval is up. */
    private final int wakeAt;
    private final Writer out;
    private final boolean closeOut;
    private final Thread writer;
    private volatile boolean writerParked;
    private volatile boolean running = true;

    /**
     * @param out      where the lines go (UTF-8).
     * @param closeOut whether {@link #close} closes {@code out} (not for standard output).
     * @param capacity entries that may wait to be written.
     */
    public AccessLog(final OutputStream out, final boolean closeOut, final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("access log capacity must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
        this.wakeAt = Math.max(1, capacity / 4);
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), WRITE_BUFFER_CHARS);
        this.closeOut = closeOut;
        this.writer = Thread.ofPlatform().name("sluice-access-log").daemon(true).start(this::writeUntilClosed);
    }

    /** To standard output (file descriptor 1, past {@link System#out}'s lock and its line flushing). */
    public static AccessLog toStandardOutput(final int capacity)
    {
        return new AccessLog(new FileOutputStream(FileDescriptor.out), false, capacity);
    }

    /** Appended to a file, created if need be. */
    public static AccessLog toFile(final Path file, final int capacity) throws IOException
    {
        return new AccessLog(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
            true, capacity);
    }

    /**
     * Queues an entry to be written; never blocks. Any thread.
     *
     * @return false when the queue was full (or the log closed) and the entry was dropped.
     */
    public boolean log(final AccessLogEntry entry)
    {
        if (!running)
        {
            dropped.increment();
            return false;
        }
        final int waiting = queued.incrementAndGet();
        if (waiting > capacity)
        {
            queued.decrementAndGet();
            dropped.increment();
            return false;
        }
        queue.offer(entry);
        // Only past a quarter of the queue: below it the writer's interval comes soon enough.
        if (waiting == wakeAt && writerParked)
        {
            LockSupport.unpark(writer);
        }
        return true;
    }

    /** Lines not written: dropped for a full queue, queued after {@link #close}, or lost to a failed write. */
    public long dropped()
    {
        return dropped.sum();
    }

    private void writeUntilClosed()
    {
        final StringBuilder line = new StringBuilder(512);
        while (true)
        {
            final boolean closing = !running; // read before the queue: what came before close() is written
            boolean unflushed = false;
            AccessLogEntry entry;
            while ((entry = queue.poll()) != null)
            {
                queued.decrementAndGet();
                line.setLength(0);
                AccessLogFormat.appendLine(line, entry);
                unflushed |= write(line);
            }
            if (unflushed)
            {
                flush();
            }
            if (closing)
            {
                return;
            }
            writerParked = true;
            LockSupport.parkNanos(this, FLUSH_INTERVAL_NANOS);
            writerParked = false;
        }
    }

    /** @return whether the line went into the buffer. */
    private boolean write(final CharSequence line)
    {
        try
        {
            out.append(line);
            return true;
        }
        catch (final IOException ex)
        {
            dropped.increment();
            return false;
        }
    }

    private void flush()
    {
        try
        {
            out.flush();
        }
        catch (final IOException ex)
        {
            // The buffered lines are lost; a log that cannot be written must not stop the proxy.
        }
    }

    /**
     * Writes what is queued, flushes, stops the writer thread; closes the output if this log owns
     * it. Close it after the proxy stopped: an entry logged while it closes may be lost uncounted.
     */
    @Override
    public void close()
    {
        if (!running)
        {
            return;
        }
        running = false;
        LockSupport.unpark(writer);
        try
        {
            writer.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        flush();
        if (closeOut)
        {
            try
            {
                out.close();
            }
            catch (final IOException ex)
            {
                // Nothing left to do with it.
            }
        }
    }
}
