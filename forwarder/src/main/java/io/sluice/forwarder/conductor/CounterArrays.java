package io.sluice.forwarder.conductor;

import io.sluice.forwarder.counters.WorkerCounters;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/** One counter per worker for a VIP or real, allocated and freed together. */
final class CounterArrays
{
    private CounterArrays()
    {
    }

    /**
     * @throws IllegalStateException when the counters buffer is full; nothing stays allocated then.
     */
    static AtomicCounter[] allocate(
        final CountersManager counters, final int typeId, final int workerCount, final int detail, final String label)
    {
        return allocate(counters, typeId, workerCount, detail, label, false);
    }

    /**
     * As {@link #allocate}, each worker's counter labelled {@code label + " worker " + index}: for a
     * value that is read per worker, never summed (a self-test report).
     */
    static AtomicCounter[] allocateLabelledByWorker(
        final CountersManager counters, final int typeId, final int workerCount, final int detail, final String label)
    {
        return allocate(counters, typeId, workerCount, detail, label, true);
    }

    private static AtomicCounter[] allocate(final CountersManager counters, final int typeId, final int workerCount,
        final int detail, final String label, final boolean labelByWorker)
    {
        final AtomicCounter[] perWorker = new AtomicCounter[workerCount];
        try
        {
            for (int worker = 0; worker < workerCount; worker++)
            {
                perWorker[worker] = WorkerCounters.allocate(counters, typeId, worker, detail,
                    labelByWorker ? label + " worker " + worker : label);
            }
        }
        catch (final RuntimeException ex)
        {
            close(perWorker);
            throw ex;
        }
        return perWorker;
    }

    /** Frees the counters; a worker still holding an old table may count into them until reused. */
    static void close(final AtomicCounter[] perWorker)
    {
        for (final AtomicCounter counter : perWorker)
        {
            if (counter != null)
            {
                counter.close();
            }
        }
    }
}
