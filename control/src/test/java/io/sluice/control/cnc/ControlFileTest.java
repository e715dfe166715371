package io.sluice.control.cnc;

import io.sluice.forwarder.cnc.ControlFile;
import io.sluice.forwarder.cnc.ControlFileDescriptor;
import io.sluice.forwarder.cnc.ControlFileException;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControlFileTest
{
    private static final int MAX_COUNTERS = 256;

    @TempDir
    Path stateDir;

    @Test
    void clientSeesWhatTheForwarderWrote()
    {
        try (ControlFile forwarder = ControlFile.create(stateDir, MAX_COUNTERS))
        {
            final CountersManager counters = forwarder.countersManager(SystemEpochClock.INSTANCE, 0);
            final AtomicCounter counter = counters.newCounter("vip 198.18.1.1:80/tcp packets", 10);
            counter.set(42);
            forwarder.toForwarder().consumerHeartbeatTime(1234L);

            try (ControlFile client = ControlFile.open(stateDir, true))
            {
                assertThat(client.pid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(client.startTimeMs()).isEqualTo(forwarder.startTimeMs());
                assertThat(client.isForwarderAlive()).isTrue();
                assertThat(client.toForwarder().consumerHeartbeatTime()).isEqualTo(1234L);
                final CounterSnapshot snapshot = CounterSnapshot.read(client.countersReader(), 0);
                assertThat(snapshot.value(10, "vip 198.18.1.1:80/tcp packets")).isEqualTo(42L);
            }
        }
    }

    @Test
    void sectionsDoNotOverlapAndFitTheFile() throws Exception
    {
        try (ControlFile forwarder = ControlFile.create(stateDir, MAX_COUNTERS))
        {
            final long[] starts = {
                forwarder.toForwarderBuffer().addressOffset(), forwarder.toClientsBuffer().addressOffset(),
                forwarder.countersMetadataBuffer().addressOffset(), forwarder.countersValuesBuffer().addressOffset() };
            final int[] lengths = {
                forwarder.toForwarderBuffer().capacity(), forwarder.toClientsBuffer().capacity(),
                forwarder.countersMetadataBuffer().capacity(), forwarder.countersValuesBuffer().capacity() };
            for (int i = 0; i + 1 < starts.length; i++)
            {
                assertThat(starts[i] + lengths[i]).isLessThanOrEqualTo(starts[i + 1]);
            }
            assertThat(starts[3] + lengths[3] - (starts[0] - ControlFileDescriptor.toForwarderOffset()))
                .isEqualTo(Files.size(forwarder.file()));
            assertThat(lengths[2]).isEqualTo(MAX_COUNTERS * 512);
        }
    }

    @Test
    void noFileMeansNoForwarder()
    {
        assertThatThrownBy(() -> ControlFile.open(stateDir, false))
            .isInstanceOf(ControlFileException.class)
            .hasMessage("no forwarder running at " + stateDir + " (no sluice.cnc)");
    }

    @Test
    void deadPidMeansNotRunning() throws Exception
    {
        final long deadPid = deadPid();
        writeFileOf(deadPid, ControlFileDescriptor.VERSION);

        assertThatThrownBy(() -> ControlFile.open(stateDir, true))
            .isInstanceOf(ControlFileException.class)
            .hasMessage("forwarder at " + stateDir + " is not running (pid " + deadPid + " gone)");
    }

    @Test
    void fileOfAnotherVersionOrStillBeingMadeIsRefused() throws Exception
    {
        writeFileOf(ProcessHandle.current().pid(), 0);
        assertThatThrownBy(() -> ControlFile.open(stateDir, true)).hasMessageContaining("is still starting");

        writeFileOf(ProcessHandle.current().pid(), 99);
        assertThatThrownBy(() -> ControlFile.open(stateDir, true)).hasMessageContaining("uses control file version 99");

        Files.writeString(stateDir.resolve(ControlFileDescriptor.FILE_NAME), "x".repeat(200));
        assertThatThrownBy(() -> ControlFile.open(stateDir, true)).hasMessageEndingWith("is not a sluice control file (bad magic)");
    }

    @Test
    void createReplacesTheFileOfADeadForwarderButNotOfALiveOne() throws Exception
    {
        writeFileOf(deadPid(), ControlFileDescriptor.VERSION);
        try (ControlFile forwarder = ControlFile.create(stateDir, MAX_COUNTERS))
        {
            assertThat(forwarder.pid()).isEqualTo(ProcessHandle.current().pid());
        }

        final Process other = new ProcessBuilder("sleep", "30").start();
        try
        {
            writeFileOf(other.pid(), ControlFileDescriptor.VERSION);
            assertThatThrownBy(() -> ControlFile.create(stateDir, MAX_COUNTERS))
                .isInstanceOf(ControlFileException.class)
                .hasMessage("a forwarder is already running at " + stateDir + " (pid " + other.pid() + ")");
        }
        finally
        {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void closingTheForwardersFileDeletesIt()
    {
        final ControlFile forwarder = ControlFile.create(stateDir, MAX_COUNTERS);
        final Path file = forwarder.file();
        assertThat(file).exists();

        forwarder.close();

        assertThat(file).doesNotExist();
    }

    private void writeFileOf(final long pid, final int version) throws Exception
    {
        final long length = ControlFileDescriptor.fileLength(MAX_COUNTERS);
        final byte[] bytes = new byte[(int)length];
        final UnsafeBuffer header = new UnsafeBuffer(bytes, 0, ControlFileDescriptor.HEADER_LENGTH);
        ControlFileDescriptor.fillHeader(header, pid, 1L, MAX_COUNTERS);
        header.putInt(ControlFileDescriptor.VERSION_OFFSET, version);
        Files.write(stateDir.resolve(ControlFileDescriptor.FILE_NAME), bytes);
    }

    private static long deadPid() throws Exception
    {
        final Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }
}
