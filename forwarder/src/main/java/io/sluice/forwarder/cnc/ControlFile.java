package io.sluice.forwarder.cnc;

import org.agrona.IoUtil;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastReceiver;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A mapping of {@code <state-dir>/sluice.cnc} (layout: {@link ControlFileDescriptor}). The
 * forwarder {@link #create creates} it, overwriting the file a previous forwarder left, and
 * deletes it when closed; clients {@link #open open} it, which fails with a one-line
 * {@link ControlFileException} when no live forwarder is behind it.
 */
public final class ControlFile implements AutoCloseable
{
    private final Path stateDir;
    private final Path file;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final UnsafeBuffer whole;
    private final boolean owner;
    private boolean closed;

    private ControlFile(final Path stateDir, final MappedByteBuffer mapped, final boolean owner)
    {
        this.stateDir = stateDir;
        this.file = stateDir.resolve(ControlFileDescriptor.FILE_NAME);
        this.mapped = mapped;
        this.owner = owner;
        this.whole = new UnsafeBuffer(mapped);
        this.header = new UnsafeBuffer(whole, 0, ControlFileDescriptor.HEADER_LENGTH);
    }

    /**
     * Creates the control file for a forwarder starting now, with the default number of counters.
     *
     * @throws ControlFileException if a live forwarder already owns this state directory, or the
     *                              file cannot be made.
     */
    public static ControlFile create(final Path stateDir)
    {
        return create(stateDir, ControlFileDescriptor.DEFAULT_MAX_COUNTERS);
    }

    /** As {@link #create(Path)} with room for {@code maxCounters} counters. */
    public static ControlFile create(final Path stateDir, final int maxCounters)
    {
        if (maxCounters < 1 || (long)maxCounters * 512 > Integer.MAX_VALUE / 2)
        {
            throw new IllegalArgumentException("maxCounters " + maxCounters + " is out of range");
        }
        final Path file = stateDir.resolve(ControlFileDescriptor.FILE_NAME);
        final long ownPid = ProcessHandle.current().pid();
        final long previousPid = previousOwner(file);
        if (previousPid != 0 && previousPid != ownPid && isAlive(previousPid))
        {
            throw new ControlFileException("a forwarder is already running at " + stateDir + " (pid " + previousPid + ")");
        }
        final MappedByteBuffer mapped;
        try
        {
            Files.createDirectories(stateDir);
            Files.deleteIfExists(file);
            // Not filled: a new file reads as zeros, and the counters sections stay sparse until used.
            mapped = IoUtil.mapNewFile(file.toFile(), ControlFileDescriptor.fileLength(maxCounters), false);
        }
        catch (final IOException | UncheckedIOException | IllegalStateException ex)
        {
            throw new ControlFileException("cannot create " + file + ": " + ex.getMessage(), ex);
        }
        final ControlFile controlFile = new ControlFile(stateDir, mapped, true);
        ControlFileDescriptor.fillHeader(controlFile.header, ownPid, System.currentTimeMillis(), maxCounters);
        ControlFileDescriptor.publishVersion(controlFile.header);
        return controlFile;
    }

    /**
     * Opens the control file of the forwarder running at {@code stateDir}.
     *
     * @param readOnly map it read-only (enough to read counters; commands need read-write).
     * @throws ControlFileException with a one-line reason when there is no usable live forwarder.
     */
    public static ControlFile open(final Path stateDir, final boolean readOnly)
    {
        final Path file = stateDir.resolve(ControlFileDescriptor.FILE_NAME);
        if (!Files.exists(file))
        {
            throw new ControlFileException("no forwarder running at " + stateDir + " (no " + ControlFileDescriptor.FILE_NAME + ")");
        }
        final MappedByteBuffer mapped;
        try
        {
            final long size = Files.size(file);
            if (size < ControlFileDescriptor.HEADER_LENGTH)
            {
                throw new ControlFileException(file + " is not a sluice control file (too short)");
            }
            if (!Files.isReadable(file) || (!readOnly && !Files.isWritable(file)))
            {
                throw new AccessDeniedException(file.toString());
            }
            mapped = IoUtil.mapExistingFile(
                file.toFile(), readOnly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE, "sluice.cnc");
        }
        catch (final AccessDeniedException ex)
        {
            throw new ControlFileException("cannot open " + file + ": permission denied (run sluice as root)", ex);
        }
        catch (final IOException | UncheckedIOException | IllegalStateException ex)
        {
            throw new ControlFileException("cannot open " + file + ": " + ex.getMessage(), ex);
        }
        final ControlFile controlFile = new ControlFile(stateDir, mapped, false);
        try
        {
            controlFile.check(mapped.capacity());
        }
        catch (final ControlFileException ex)
        {
            controlFile.close();
            throw ex;
        }
        return controlFile;
    }

    private void check(final long size)
    {
        if (header.getInt(ControlFileDescriptor.MAGIC_OFFSET) != ControlFileDescriptor.MAGIC)
        {
            throw new ControlFileException(file + " is not a sluice control file (bad magic)");
        }
        final int version = header.getIntVolatile(ControlFileDescriptor.VERSION_OFFSET);
        if (version == 0)
        {
            throw new ControlFileException("the forwarder at " + stateDir + " is still starting; try again");
        }
        if (version != ControlFileDescriptor.VERSION)
        {
            throw new ControlFileException("the forwarder at " + stateDir + " uses control file version " + version +
                ", this sluice uses " + ControlFileDescriptor.VERSION + "; run the same sluice version");
        }
        if (ControlFileDescriptor.fileLength(header) > size)
        {
            throw new ControlFileException(file + " is damaged (shorter than its header says)");
        }
        if (!isForwarderAlive())
        {
            throw new ControlFileException("forwarder at " + stateDir + " is not running (pid " + pid() + " gone)");
        }
    }

    public Path stateDir()
    {
        return stateDir;
    }

    public Path file()
    {
        return file;
    }

    public long pid()
    {
        return header.getLong(ControlFileDescriptor.PID_OFFSET);
    }

    public long startTimeMs()
    {
        return header.getLong(ControlFileDescriptor.START_TIME_MS_OFFSET);
    }

    /** Whether the process that made the file still runs. */
    public boolean isForwarderAlive()
    {
        return isAlive(pid());
    }

    public UnsafeBuffer toForwarderBuffer()
    {
        return section(ControlFileDescriptor.toForwarderOffset(), ControlFileDescriptor.TO_FORWARDER_LENGTH_OFFSET);
    }

    public UnsafeBuffer toClientsBuffer()
    {
        return section(ControlFileDescriptor.toClientsOffset(header), ControlFileDescriptor.TO_CLIENTS_LENGTH_OFFSET);
    }

    public UnsafeBuffer countersMetadataBuffer()
    {
        return section(ControlFileDescriptor.countersMetadataOffset(header), ControlFileDescriptor.COUNTERS_METADATA_LENGTH_OFFSET);
    }

    public UnsafeBuffer countersValuesBuffer()
    {
        return section(ControlFileDescriptor.countersValuesOffset(header), ControlFileDescriptor.COUNTERS_VALUES_LENGTH_OFFSET);
    }

    /** The command ring: clients write to it, the conductor reads it and stamps its heartbeat. */
    public RingBuffer toForwarder()
    {
        return new ManyToOneRingBuffer(toForwarderBuffer());
    }

    /** For the conductor: the transmitter of replies. */
    public BroadcastTransmitter newReplyTransmitter()
    {
        return new BroadcastTransmitter(toClientsBuffer());
    }

    /** For a client: a receiver that starts at the latest reply, so it sees only newer ones. */
    public BroadcastReceiver newReplyReceiver()
    {
        return new BroadcastReceiver(toClientsBuffer());
    }

    /**
     * For the forwarder: the manager that allocates counters. A freed counter's slot is reused
     * only after {@code freeToReuseTimeoutMs}, so a worker still holding an old table cannot
     * count into somebody else's counter.
     */
    public CountersManager countersManager(final EpochClock epochClock, final long freeToReuseTimeoutMs)
    {
        return new CountersManager(
            countersMetadataBuffer(), countersValuesBuffer(), StandardCharsets.US_ASCII, epochClock, freeToReuseTimeoutMs);
    }

    /** For {@code sluice stats}: reads counters without writing anything. */
    public CountersReader countersReader()
    {
        return new CountersReader(countersMetadataBuffer(), countersValuesBuffer(), StandardCharsets.US_ASCII);
    }

    /** Unmaps the file; the forwarder that created it also deletes it, so clients see it has gone. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (owner)
        {
            try
            {
                Files.deleteIfExists(file);
            }
            catch (final IOException ignored)
            {
                // A stale file is harmless: the next client sees its pid is gone.
            }
        }
        IoUtil.unmap(mapped);
    }

    private UnsafeBuffer section(final int offset, final int lengthField)
    {
        return new UnsafeBuffer(whole, offset, header.getInt(lengthField));
    }

    private static long previousOwner(final Path file)
    {
        try
        {
            if (!Files.exists(file) || Files.size(file) < ControlFileDescriptor.HEADER_LENGTH)
            {
                return 0;
            }
            final byte[] bytes = new byte[ControlFileDescriptor.HEADER_LENGTH];
            try (var in = Files.newInputStream(file))
            {
                if (in.readNBytes(bytes, 0, bytes.length) != bytes.length)
                {
                    return 0;
                }
            }
            final UnsafeBuffer previous = new UnsafeBuffer(bytes);
            return previous.getInt(ControlFileDescriptor.MAGIC_OFFSET) == ControlFileDescriptor.MAGIC ?
                previous.getLong(ControlFileDescriptor.PID_OFFSET) : 0;
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    private static boolean isAlive(final long pid)
    {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
