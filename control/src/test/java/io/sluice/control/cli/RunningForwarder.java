package io.sluice.control.cli;

import io.sluice.control.cnc.ControlFile;
import io.sluice.forwarder.conductor.ConductorAgent;
import io.sluice.forwarder.conductor.ConductorContext;
import io.sluice.forwarder.conductor.ConfigFileStore;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.table.ForwardingTablePublisher;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.CountersManager;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A forwarder's control plane in this process: the control file, a conductor on its own
 * thread, and one worker's counters (no packets move). Enough for the CLI to talk to.
 */
final class RunningForwarder implements AutoCloseable
{
    static final int MAX_COUNTERS = 2048;

    final ControlFile controlFile;
    final ForwardingTablePublisher tables = new ForwardingTablePublisher();
    final WorkerCounters worker;
    final Map<Integer, Long> macs = new ConcurrentHashMap<>();
    final AtomicReference<Throwable> conductorError = new AtomicReference<>();
    private final AgentRunner runner;

    RunningForwarder(final Path stateDir)
    {
        controlFile = ControlFile.create(stateDir, MAX_COUNTERS);
        try
        {
            final CountersManager counters =
                controlFile.countersManager(SystemEpochClock.INSTANCE, ConductorAgent.COUNTER_FREE_TO_REUSE_TIMEOUT_MS);
            // Allocated before the conductor thread starts: a CountersManager has one writer at a time.
            worker = new WorkerCounters(counters, 0);
            final ConductorAgent conductor = new ConductorAgent(new ConductorContext(
                controlFile.toForwarder(),
                controlFile.newReplyTransmitter(),
                counters,
                tables,
                1,
                (ipv4) -> macs.getOrDefault(ipv4, 0L),
                stateDir.resolve(ConfigFileStore.DEFAULT_FILE_NAME),
                SystemEpochClock.INSTANCE,
                SystemNanoClock.INSTANCE,
                (vips) -> { }));
            runner = new AgentRunner(new SleepingMillisIdleStrategy(1), conductorError::set, null, conductor);
            AgentRunner.startOnThread(runner);
        }
        catch (final RuntimeException ex)
        {
            controlFile.close();
            throw ex;
        }
    }

    @Override
    public void close()
    {
        try
        {
            runner.close();
        }
        finally
        {
            controlFile.close();
        }
    }
}
