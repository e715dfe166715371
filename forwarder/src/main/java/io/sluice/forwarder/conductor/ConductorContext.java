package io.sluice.forwarder.conductor;

import io.sluice.forwarder.maglev.MaglevTable;
import io.sluice.forwarder.table.ForwardingTablePublisher;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.status.CountersManager;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything a {@link ConductorAgent} works with, checked once here.
 *
 * @param commands           the to-forwarder command ring (many CLI producers, the conductor consumes).
 * @param replies            the to-clients broadcast buffer replies go out on.
 * @param counters           where VIP, real and conductor counters are allocated. It should be
 *                           made with a free-to-reuse timeout (see
 *                           {@link ConductorAgent#COUNTER_FREE_TO_REUSE_TIMEOUT_MS}) so a worker
 *                           still holding an old table cannot count into a reused slot.
 * @param tables             where new forwarding tables are published for the workers.
 * @param workerCount        number of workers; every VIP and real gets a counter per worker.
 * @param resolver           finds the next-hop MAC of each real.
 * @param configFile         the persisted configuration, loaded at start and rewritten after
 *                           every change; null for none.
 * @param epochClock         for the consumer heartbeat clients check.
 * @param nanoClock          for the duty cycle's schedule (MAC refresh).
 * @param vipSet             told the set of VIPs when it changes.
 * @param maglevTableSize    Maglev lookup table size M, a prime (normally {@link MaglevTable#DEFAULT_SIZE}).
 * @param bgpSettings        the BGP settings clients read and change; null for a forwarder without BGP.
 */
public record ConductorContext(
    RingBuffer commands,
    BroadcastTransmitter replies,
    CountersManager counters,
    ForwardingTablePublisher tables,
    int workerCount,
    NextHopResolver resolver,
    Path configFile,
    EpochClock epochClock,
    NanoClock nanoClock,
    VipSetListener vipSet,
    int maglevTableSize,
    BgpSettings bgpSettings)
{
    public ConductorContext
    {
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(replies, "replies");
        Objects.requireNonNull(counters, "counters");
        Objects.requireNonNull(tables, "tables");
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(epochClock, "epochClock");
        Objects.requireNonNull(nanoClock, "nanoClock");
        Objects.requireNonNull(vipSet, "vipSet");
        if (workerCount < 1)
        {
            throw new IllegalArgumentException("workerCount must be at least 1, was " + workerCount);
        }
        if (maglevTableSize < 1)
        {
            throw new IllegalArgumentException("maglevTableSize must be positive, was " + maglevTableSize);
        }
    }

    /** A context with the default Maglev table size; {@code bgpSettings} null for a forwarder without BGP. */
    public ConductorContext(
        final RingBuffer commands,
        final BroadcastTransmitter replies,
        final CountersManager counters,
        final ForwardingTablePublisher tables,
        final int workerCount,
        final NextHopResolver resolver,
        final Path configFile,
        final EpochClock epochClock,
        final NanoClock nanoClock,
        final VipSetListener vipSet,
        final BgpSettings bgpSettings)
    {
        this(commands, replies, counters, tables, workerCount, resolver, configFile, epochClock, nanoClock,
            vipSet, MaglevTable.DEFAULT_SIZE, bgpSettings);
    }
}
