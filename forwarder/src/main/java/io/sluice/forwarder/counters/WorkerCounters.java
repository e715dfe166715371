package io.sluice.forwarder.counters;

import io.sluice.forwarder.dataplane.DropReason;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The counters one worker owns and alone writes: packets and bytes in and out, flows, and a
 * counter per {@link DropReason}. Allocated once when the worker is made.
 */
public final class WorkerCounters implements AutoCloseable
{
    public final AtomicCounter rxPackets;
    public final AtomicCounter txPackets;
    public final AtomicCounter rxBytes;
    public final AtomicCounter txBytes;
    public final AtomicCounter txErrors;
    public final AtomicCounter flowsCreated;
    public final AtomicCounter flowsEvicted;
    public final AtomicCounter batches;
    /** Once per duty cycle, packets or not: what the watchdog checks. */
    public final AtomicCounter heartbeat;
    public final AtomicCounter icmpEchoReplies;
    public final AtomicCounter icmpErrorsRelayed;
    public final AtomicCounter icmpTooBigSent;
    public final AtomicCounter natReplies;
    public final AtomicCounter partialChecksumsFinished;
    private final AtomicCounter[] dropsByCode;

    public WorkerCounters(final CountersManager counters, final int workerIndex)
    {
        rxPackets = allocate(counters, CounterTypes.WORKER_RX_PACKETS, workerIndex, 0, "worker " + workerIndex + " rx packets");
        txPackets = allocate(counters, CounterTypes.WORKER_TX_PACKETS, workerIndex, 0, "worker " + workerIndex + " tx packets");
        rxBytes = allocate(counters, CounterTypes.WORKER_RX_BYTES, workerIndex, 0, "worker " + workerIndex + " rx bytes");
        txBytes = allocate(counters, CounterTypes.WORKER_TX_BYTES, workerIndex, 0, "worker " + workerIndex + " tx bytes");
        txErrors = allocate(counters, CounterTypes.WORKER_TX_ERRORS, workerIndex, 0, "worker " + workerIndex + " tx errors");
        flowsCreated = allocate(counters, CounterTypes.WORKER_FLOWS_CREATED, workerIndex, 0, "worker " + workerIndex + " flows created");
        flowsEvicted = allocate(counters, CounterTypes.WORKER_FLOWS_EVICTED, workerIndex, 0, "worker " + workerIndex + " flows evicted");
        batches = allocate(counters, CounterTypes.WORKER_BATCHES, workerIndex, 0, "worker " + workerIndex + " batches");
        heartbeat = allocate(counters, CounterTypes.WORKER_HEARTBEAT, workerIndex, 0, "worker " + workerIndex + " heartbeat");
        icmpEchoReplies = allocate(
            counters, CounterTypes.WORKER_ICMP_ECHO_REPLIES, workerIndex, 0, "worker " + workerIndex + " icmp echo replies");
        icmpErrorsRelayed = allocate(
            counters, CounterTypes.WORKER_ICMP_ERRORS_RELAYED, workerIndex, 0, "worker " + workerIndex + " icmp errors relayed");
        icmpTooBigSent = allocate(
            counters, CounterTypes.WORKER_ICMP_TOO_BIG_SENT, workerIndex, 0, "worker " + workerIndex + " icmp too big sent");
        natReplies = allocate(counters, CounterTypes.WORKER_NAT_REPLIES, workerIndex, 0, "worker " + workerIndex + " nat replies");
        partialChecksumsFinished = allocate(counters, CounterTypes.WORKER_PARTIAL_CHECKSUMS_FINISHED, workerIndex, 0,
            "worker " + workerIndex + " partial checksums finished");
        int maxCode = 0;
        for (final DropReason reason : DropReason.values())
        {
            maxCode = Math.max(maxCode, reason.code());
        }
        dropsByCode = new AtomicCounter[maxCode + 1];
        for (final DropReason reason : DropReason.values())
        {
            dropsByCode[reason.code()] =
                allocate(counters, CounterTypes.DROPS, workerIndex, reason.code(), "drop " + reason.label());
        }
    }

    /** Counts one dropped packet under its reason; {@code code} is a {@link DropReason#code()}. */
    public void drop(final int code)
    {
        dropsByCode[code].incrementRelease();
    }

    public AtomicCounter drops(final DropReason reason)
    {
        return dropsByCode[reason.code()];
    }

    /**
     * Allocates a counter whose key holds the worker index at offset 0 and {@code detail} at
     * offset 4 (see {@link CounterTypes}).
     */
    public static AtomicCounter allocate(
        final CountersManager counters, final int typeId, final int workerIndex, final int detail, final String label)
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
        key.putInt(0, workerIndex);
        key.putInt(4, detail);
        return counters.newCounter(label, typeId, (buffer) -> buffer.putBytes(0, key, 0, 8));
    }

    @Override
    public void close()
    {
        rxPackets.close();
        txPackets.close();
        rxBytes.close();
        txBytes.close();
        txErrors.close();
        flowsCreated.close();
        flowsEvicted.close();
        batches.close();
        heartbeat.close();
        icmpEchoReplies.close();
        icmpErrorsRelayed.close();
        icmpTooBigSent.close();
        natReplies.close();
        partialChecksumsFinished.close();
        for (final AtomicCounter counter : dropsByCode)
        {
            if (counter != null)
            {
                counter.close();
            }
        }
    }
}
