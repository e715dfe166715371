package io.sluice.forwarder.cnc;

import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.CountersReader;

/**
 * The one definition of the layout of {@code <state-dir>/sluice.cnc}, the file a running
 * forwarder shares with every {@code sluice} command (the Aeron CnC file pattern). The
 * forwarder creates it at start; clients map it to send commands, read replies and read
 * counters without disturbing the data path.
 * <pre>
 *   0                   4                   8                                      16
 *   +-------------------+-------------------+--------------------------------------+
 *   | magic "SLCE"      | version (last)    | forwarder pid                        |
 *   +-------------------+-------------------+--------------------------------------+
 *   | start time, ms since the epoch        | to-forwarder len  | to-clients len   |
 *   +---------------------------------------+-------------------+------------------+
 *   | counters metadata length              | counters values length               |
 *   +---------------------------------------+--------------------------------------+
 *   | reserved, zero, up to HEADER_LENGTH (128)                                    |
 *   +==============================================================================+ 128
 *   | to-forwarder: Agrona many-to-one ring buffer (commands from any client)      |
 *   +==============================================================================+
 *   | to-clients: Agrona broadcast buffer (replies, tagged with correlation ids)   |
 *   +==============================================================================+
 *   | counters metadata (512 bytes a counter: state, type id, key, label)          |
 *   +==============================================================================+
 *   | counters values (128 bytes a counter, so writers never share a cache line)   |
 *   +==============================================================================+
 * </pre>
 * All fields are native byte order. Every section starts on a {@link #SECTION_ALIGNMENT}
 * boundary. The creator writes the version field last, with a release store: a client that
 * reads version 0 is looking at a file still being made.
 */
public final class ControlFileDescriptor
{
    public static final String FILE_NAME = "sluice.cnc";
    /** "SLCE" read as a little-endian int. */
    public static final int MAGIC = 0x45434C53;
    /** Bumped whenever the layout or the command protocol changes incompatibly. */
    public static final int VERSION = 2;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int PID_OFFSET = 8;
    public static final int START_TIME_MS_OFFSET = 16;
    public static final int TO_FORWARDER_LENGTH_OFFSET = 24;
    public static final int TO_CLIENTS_LENGTH_OFFSET = 28;
    public static final int COUNTERS_METADATA_LENGTH_OFFSET = 32;
    public static final int COUNTERS_VALUES_LENGTH_OFFSET = 36;
    public static final int HEADER_LENGTH = 128;
    public static final int SECTION_ALIGNMENT = 4096;

    /** Command ring data capacity: commands are tens of bytes, a few hundred can queue. */
    public static final int TO_FORWARDER_CAPACITY = 64 * 1024;
    /** Broadcast data capacity: replies of many clients at once, and configuration chunks. */
    public static final int TO_CLIENTS_CAPACITY = 1024 * 1024;
    /** Default number of counters: room for the configuration limits with a few workers. */
    public static final int DEFAULT_MAX_COUNTERS = 64 * 1024;

    private ControlFileDescriptor()
    {
    }

    public static int toForwarderLength()
    {
        return TO_FORWARDER_CAPACITY + RingBufferDescriptor.TRAILER_LENGTH;
    }

    public static int toClientsLength()
    {
        return TO_CLIENTS_CAPACITY + BroadcastBufferDescriptor.TRAILER_LENGTH;
    }

    public static int countersMetadataLength(final int maxCounters)
    {
        return maxCounters * CountersReader.METADATA_LENGTH;
    }

    public static int countersValuesLength(final int maxCounters)
    {
        return maxCounters * CountersReader.COUNTER_LENGTH;
    }

    /** Writes every header field except the version; see {@link #publishVersion}. */
    public static void fillHeader(final UnsafeBuffer header, final long pid, final long startTimeMs, final int maxCounters)
    {
        header.putInt(MAGIC_OFFSET, MAGIC);
        header.putLong(PID_OFFSET, pid);
        header.putLong(START_TIME_MS_OFFSET, startTimeMs);
        header.putInt(TO_FORWARDER_LENGTH_OFFSET, toForwarderLength());
        header.putInt(TO_CLIENTS_LENGTH_OFFSET, toClientsLength());
        header.putInt(COUNTERS_METADATA_LENGTH_OFFSET, countersMetadataLength(maxCounters));
        header.putInt(COUNTERS_VALUES_LENGTH_OFFSET, countersValuesLength(maxCounters));
    }

    /** The last write of a new file: from here on clients may use it. */
    public static void publishVersion(final UnsafeBuffer header)
    {
        header.putIntRelease(VERSION_OFFSET, VERSION);
    }

    public static int toForwarderOffset()
    {
        return align(HEADER_LENGTH);
    }

    public static int toClientsOffset(final UnsafeBuffer header)
    {
        return align(toForwarderOffset() + header.getInt(TO_FORWARDER_LENGTH_OFFSET));
    }

    public static int countersMetadataOffset(final UnsafeBuffer header)
    {
        return align(toClientsOffset(header) + header.getInt(TO_CLIENTS_LENGTH_OFFSET));
    }

    public static int countersValuesOffset(final UnsafeBuffer header)
    {
        return align(countersMetadataOffset(header) + header.getInt(COUNTERS_METADATA_LENGTH_OFFSET));
    }

    /** @return the file length the header's section lengths need. */
    public static long fileLength(final UnsafeBuffer header)
    {
        return (long)countersValuesOffset(header) + header.getInt(COUNTERS_VALUES_LENGTH_OFFSET);
    }

    /** @return the file length of a new file with this many counters. */
    public static long fileLength(final int maxCounters)
    {
        final UnsafeBuffer header = new UnsafeBuffer(new byte[HEADER_LENGTH]);
        fillHeader(header, 0, 0, maxCounters);
        return fileLength(header);
    }

    private static int align(final int offset)
    {
        return BitUtil.align(offset, SECTION_ALIGNMENT);
    }
}
