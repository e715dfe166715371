package io.sluice.l7.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Looks at the TLS files (certificates, keys, CA bundles, ticket keys) once a second and says
 * when they have changed and then stayed still for a look: a renewal that writes the
 * certificate and then the key is taken once, whole, rather than refused half way. Polling
 * rather than a WatchService: it sees a file replaced by a rename or through a symbolic link
 * (Kubernetes' secret volumes swap a directory link) as well as one written in place, at the
 * cost of a stat per file per second. Its own daemon thread: a slow disk never stalls an event loop. The thread
 * starts with the first file to watch: a proxy without TLS has none, and no thread waking every second.
 */
public final class CertificateWatcher implements AutoCloseable
{
    private static final long PERIOD_MILLIS = 1000;

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor((task) ->
    {
        final Thread watcher = new Thread(task, "sluice-l7-certificate-watcher");
        watcher.setDaemon(true);
        return watcher;
    });
    private final Runnable changed;
    /** Guarded by this: the files and what they looked like at the last look. */
    private Map<Path, Stamp> stamps = Map.of();
    private boolean settling;
    /** Guarded by this: whether the looks are scheduled (from the first file on, then until closed). */
    private boolean looking;

    /** @param changed called on the watcher's thread once changed files have settled. */
    public CertificateWatcher(final Runnable changed)
    {
        this.changed = changed;
    }

    /** Watches these files from now on (those a reload names), taking them as they are now. */
    public synchronized void watch(final List<Path> files)
    {
        final Map<Path, Stamp> now = new HashMap<>();
        for (final Path file : files)
        {
            now.put(file, Stamp.of(file));
        }
        stamps = now;
        settling = false;
        if (!looking && !files.isEmpty())
        {
            thread.scheduleWithFixedDelay(this::look, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
            looking = true;
        }
    }

    private void look()
    {
        final boolean settled;
        synchronized (this)
        {
            final Map<Path, Stamp> now = new HashMap<>();
            for (final Path file : stamps.keySet())
            {
                now.put(file, Stamp.of(file));
            }
            final boolean moved = !now.equals(stamps);
            stamps = now;
            settled = settling && !moved;
            settling = moved;
        }
        if (settled)
        {
            changed.run();
        }
    }

    @Override
    public void close()
    {
        thread.shutdownNow();
    }

    /**
     * What a file looked like: its modification time, size and identity (a file replaced by a
     * rename has another inode even with the same time and size); no key and -1s for a file that is not there.
     */
    private record Stamp(Object key, long modifiedMillis, long size)
    {
        static Stamp of(final Path file)
        {
            try
            {
                final BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new Stamp(attributes.fileKey(), attributes.lastModifiedTime().toMillis(), attributes.size());
            }
            catch (final IOException ex)
            {
                return new Stamp(null, -1, -1); // gone for now: a change like any other, refused if it stays so
            }
        }
    }
}
