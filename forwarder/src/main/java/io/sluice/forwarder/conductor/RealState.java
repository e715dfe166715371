package io.sluice.forwarder.conductor;

import io.sluice.forwarder.table.RealEntry;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * What the conductor keeps for one real while it exists: its id (kept across tables, so flows
 * remembered by id survive unrelated changes), its counters and its last resolved MAC. Touched
 * by the conductor thread only.
 */
final class RealState
{
    final int id;
    final int address;
    final int port;
    final int weight;
    final AtomicCounter[] packetsByWorker;
    final AtomicCounter[] bytesByWorker;
    long mac;

    RealState(
        final int id,
        final int address,
        final int port,
        final int weight,
        final AtomicCounter[] packetsByWorker,
        final AtomicCounter[] bytesByWorker)
    {
        this.id = id;
        this.address = address;
        this.port = port;
        this.weight = weight;
        this.packetsByWorker = packetsByWorker;
        this.bytesByWorker = bytesByWorker;
    }

    RealEntry toEntry()
    {
        return new RealEntry(id, address, port, weight, mac, packetsByWorker, bytesByWorker);
    }

    void freeCounters()
    {
        CounterArrays.close(packetsByWorker);
        CounterArrays.close(bytesByWorker);
    }
}
