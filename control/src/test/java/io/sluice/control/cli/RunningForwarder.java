package io.sluice.control.cli;

import io.sluice.forwarder.Forwarder;
import io.sluice.forwarder.IoPath;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.table.ForwardingTablePublisher;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A forwarder launched embedded in this process without sockets: the control file, a conductor
 * on its own thread, and one worker's counters (no packets move). Enough for the CLI to talk to.
 */
final class RunningForwarder implements AutoCloseable
{
    static final int MAX_COUNTERS = 2048;

    final ForwardingTablePublisher tables;
    final WorkerCounters worker;
    final AtomicReference<Throwable> conductorError = new AtomicReference<>();
    private final Forwarder forwarder;

    RunningForwarder(final Path stateDir)
    {
        forwarder = Forwarder.launch(new Forwarder.Context()
            .io(IoPath.NONE)
            .stateDir(stateDir)
            .flows(Forwarder.Context.MIN_FLOWS)
            .maxCounters(MAX_COUNTERS)
            .errorHandler(conductorError::set));
        tables = forwarder.context().tables();
        worker = forwarder.worker(0).counters();
    }

    @Override
    public void close()
    {
        forwarder.close();
    }
}
