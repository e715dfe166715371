package io.sluice.forwarder.conductor;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.ConfigException;
import io.sluice.forwarder.config.ForwarderConfig;
import io.sluice.forwarder.config.RealSpec;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.config.VipConfig;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.config.VipSpec;
import io.sluice.forwarder.counters.CounterTypes;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.maglev.MaglevSecondaries;
import io.sluice.forwarder.maglev.MaglevTable;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.LeastConnection;
import io.sluice.forwarder.table.RoundRobin;
import io.sluice.forwarder.table.VipEntry;
import org.agrona.collections.IntHashSet;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conductor's side of the forwarding table: per VIP and real the ids, counters, MACs and
 * Maglev tables, reconciled with each new {@link ForwarderConfig} in two steps so a change that
 * cannot be saved leaves nothing behind: {@link #plan} allocates what the new configuration
 * needs without touching the current state, then {@link #commit} adopts it and frees what went,
 * or {@link #abort} frees what the plan allocated.
 */
final class ForwardingState
{
    /** MAC refreshes (about a second apart) a real's next hop gets to resolve before it stops holding its VIP back. */
    static final int MAC_PATIENCE_REFRESHES = 3;

    private final CountersManager counters;
    private final int workerCount;
    private final NextHopResolver resolver;
    private final int maglevTableSize;
    private Map<VipKey, VipState> vips = new LinkedHashMap<>();
    private int nextVipId = 1;
    private int nextRealId = 1;

    /** A reconciliation in progress: the next state, and the counters it added or leaves behind. */
    static final class Plan
    {
        private final Map<VipKey, VipState> next = new LinkedHashMap<>();
        private final List<AtomicCounter[]> added = new ArrayList<>();
        /** Health counters of reals that stay but whose VIP no longer checks them: freed on commit. */
        private final List<AtomicCounter[]> replacedHealth = new ArrayList<>();
    }

    ForwardingState(
        final CountersManager counters, final int workerCount, final NextHopResolver resolver, final int maglevTableSize)
    {
        this.counters = counters;
        this.workerCount = workerCount;
        this.resolver = resolver;
        this.maglevTableSize = maglevTableSize;
    }

    /**
     * Prepares the state for {@code config}: VIPs and reals that stay keep their ids, counters and
     * MACs; new ones get fresh ids and counters and their MAC is asked for.
     *
     * @throws ConfigException when the control file has no room for the counters needed; nothing
     *                         stays allocated then.
     */
    Plan plan(final ForwarderConfig config)
    {
        final Plan plan = new Plan();
        try
        {
            for (final VipConfig vip : config.vips())
            {
                plan.next.put(vip.key(), planVip(plan, vip));
            }
        }
        catch (final IllegalStateException ex)
        {
            abort(plan);
            throw new ConfigException("the control file has no room for more counters (" + ex.getMessage() + ")");
        }
        catch (final RuntimeException ex)
        {
            abort(plan);
            throw ex;
        }
        return plan;
    }

    /** Adopts a plan: frees the counters of every VIP and real it no longer has. */
    void commit(final Plan plan)
    {
        final IntHashSet keptVips = new IntHashSet();
        final IntHashSet keptReals = new IntHashSet();
        for (final VipState vip : plan.next.values())
        {
            keptVips.add(vip.id);
            for (final RealState real : vip.reals)
            {
                keptReals.add(real.id);
            }
        }
        for (final VipState vip : vips.values())
        {
            if (!keptVips.contains(vip.id))
            {
                vip.freeCounters();
            }
            for (final RealState real : vip.reals)
            {
                if (!keptReals.contains(real.id))
                {
                    real.freeCounters();
                }
            }
        }
        for (final AtomicCounter[] health : plan.replacedHealth)
        {
            CounterArrays.close(health);
        }
        vips = plan.next;
    }

    /** Drops a plan: frees the counters it allocated; the current state is as before. */
    void abort(final Plan plan)
    {
        for (final AtomicCounter[] perWorker : plan.added)
        {
            CounterArrays.close(perWorker);
        }
        plan.added.clear();
    }

    /** @return a table of the current state, tagged with {@code version}. */
    ForwardingTable table(final long version)
    {
        final VipEntry[] entries = new VipEntry[vips.size()];
        int i = 0;
        for (final VipState vip : vips.values())
        {
            entries[i++] = vip.toEntry();
        }
        return new ForwardingTable(entries, version);
    }

    /**
     * @return the VIPs whose table sends flows somewhere: at least one healthy real whose next
     *         hop's MAC is known, and no healthy real whose MAC is still being resolved (during
     *         its first {@link #MAC_PATIENCE_REFRESHES} refreshes: announced earlier, the VIP would
     *         drop that real's share of new flows as no-next-hop; after that a real that never
     *         resolves no longer holds the VIP back, as a health check would take it out), in
     *         ascending {@link VipKey#ORDER}.
     */
    List<VipKey> servableVips()
    {
        final List<VipKey> servable = new ArrayList<>();
        for (final Map.Entry<VipKey, VipState> vip : vips.entrySet())
        {
            boolean resolved = false;
            boolean resolving = false;
            for (final RealState real : vip.getValue().reals)
            {
                if (real.healthy)
                {
                    resolved |= real.mac != 0;
                    resolving |= real.mac == 0 && real.unresolvedRefreshes < MAC_PATIENCE_REFRESHES;
                }
            }
            if (resolved && !resolving)
            {
                servable.add(vip.getKey());
            }
        }
        servable.sort(VipKey.ORDER);
        return List.copyOf(servable);
    }

    /** Asks the resolver for every real's MAC again. @return whether any MAC changed. */
    boolean refreshMacs()
    {
        boolean changed = false;
        for (final VipState vip : vips.values())
        {
            for (final RealState real : vip.reals)
            {
                final long mac = resolver.resolveMac(real.address);
                real.unresolvedRefreshes = mac != 0 ? 0 : Math.min(real.unresolvedRefreshes + 1, MAC_PATIENCE_REFRESHES);
                if (mac != real.mac)
                {
                    real.mac = mac;
                    changed = true;
                }
            }
        }
        return changed;
    }

    /** Frees every counter the state holds (when the conductor closes). */
    void freeAll()
    {
        for (final VipState vip : vips.values())
        {
            vip.freeCounters();
            for (final RealState real : vip.reals)
            {
                real.freeCounters();
            }
        }
        vips = new LinkedHashMap<>();
    }

    private VipState planVip(final Plan plan, final VipConfig vip)
    {
        final VipState old = vips.get(vip.key());
        final int vipId;
        final AtomicCounter[] packets;
        final AtomicCounter[] bytes;
        final AtomicCounter[] selfTest;
        if (old != null)
        {
            vipId = old.id;
            packets = old.packetsByWorker;
            bytes = old.bytesByWorker;
            selfTest = old.selfTestByWorker;
        }
        else
        {
            vipId = nextVipId++;
            packets = allocate(plan, CounterTypes.VIP_PACKETS, vipId, "vip " + vip.key() + " packets");
            bytes = allocate(plan, CounterTypes.VIP_BYTES, vipId, "vip " + vip.key() + " bytes");
            selfTest = CounterArrays.allocateLabelledByWorker(counters, CounterTypes.VIP_SELF_TEST, workerCount, vipId,
                "vip " + vip.key() + " self-test");
            plan.added.add(selfTest);
        }

        final List<RealSpec> specs = vip.reals();
        final RealState[] reals = new RealState[specs.size()];
        for (int i = 0; i < reals.length; i++)
        {
            reals[i] = planReal(plan, vip, specs.get(i), old);
        }
        final boolean sameReals = old != null && sameMaglevInputs(old.reals, reals);
        return assemble(vipId, vip.spec(), packets, bytes, selfTest, reals, sameReals ? old.fullMaglev : buildMaglev(reals),
            old != null && sameEndpoints(old.reals, reals) ? old : null);
    }

    /**
     * A VIP's state for its reals as they are now, healthy or not. Maglev over every real stays
     * the base; the slots of a real that is down go to the live reals by a Maglev table over the
     * live ones, and every other slot stays where it was, so only that real's flows move. A
     * round-robin rotation and least-connection leave out reals that are down. With second
     * chance each slot also gets its secondary among the live reals other than its own.
     *
     * @param previous the VIP's state over the same reals (weights aside), whose round-robin
     *                 rotation is kept when the reals' weights and health have not changed and
     *                 whose least-connection counts are kept; null for new reals.
     */
    private VipState assemble(final int vipId, final VipSpec spec, final AtomicCounter[] packets, final AtomicCounter[] bytes,
        final AtomicCounter[] selfTest, final RealState[] reals, final int[] fullMaglev, final VipState previous)
    {
        int live = 0;
        for (final RealState real : reals)
        {
            live += real.healthy ? 1 : 0;
        }
        final int[] maglev;
        if (live == reals.length)
        {
            maglev = fullMaglev;
        }
        else
        {
            maglev = fullMaglev.clone();
            final RealState[] liveReals = new RealState[live];
            final int[] liveIndex = new int[live];
            for (int i = 0, j = 0; i < reals.length; i++)
            {
                if (reals[i].healthy)
                {
                    liveReals[j] = reals[i];
                    liveIndex[j++] = i;
                }
            }
            final int[] liveMaglev = live == 0 ? null : buildMaglev(liveReals);
            for (int slot = 0; slot < maglev.length; slot++)
            {
                if (maglev[slot] >= 0 && !reals[maglev[slot]].healthy)
                {
                    // Live reals may all be drained (weight 0): then the slot has no one.
                    maglev[slot] = liveMaglev == null || liveMaglev[slot] < 0 ? -1 : liveIndex[liveMaglev[slot]];
                }
            }
        }
        RoundRobin roundRobin = null;
        if (spec.scheduler() == SchedulerKind.ROUND_ROBIN)
        {
            final int[] weights = liveWeights(reals);
            roundRobin = previous != null && previous.roundRobin != null && previous.roundRobin.hasWeights(weights) ?
                previous.roundRobin : new RoundRobin(weights, packets.length);
        }
        LeastConnection leastConnection = null;
        if (spec.scheduler() == SchedulerKind.LEAST_CONNECTION)
        {
            // The same reals keep their counts whatever their weights: a health change must not
            // make every real look idle until the workers count again.
            final int[] weights = liveWeights(reals);
            leastConnection = previous != null && previous.leastConnection != null ?
                previous.leastConnection.withWeights(weights) : new LeastConnection(weights, packets.length);
        }
        // Second chance: the same rows, so the same table keeps the same secondaries.
        final int[] secondaries = !spec.secondChance() ? null :
            previous != null && previous.maglev == maglev && previous.secondaries != null ? previous.secondaries :
            MaglevSecondaries.build(maglev, endpointKeys(reals), liveWeights(reals));
        return new VipState(vipId, spec, packets, bytes, selfTest, reals, fullMaglev, maglev, secondaries, roundRobin,
            leastConnection);
    }

    /**
     * Counts one health check of a real of a VIP.
     *
     * @return true when it changed the real's health (the VIP's tables are then rebuilt here and
     *         a new forwarding table is due); false when nothing changed or the real is gone.
     */
    boolean recordHealth(final VipKey vipKey, final IpAddress address, final int port, final boolean ok, final long nowMs)
    {
        final VipState vip = vips.get(vipKey);
        final RealState real = vip == null ? null : vip.find(address, port);
        if (real == null || !real.recordCheck(ok, vip.spec.health().rise(), vip.spec.health().fall(), nowMs))
        {
            return false;
        }
        vips.put(vipKey, assemble(vip.id, vip.spec, vip.packetsByWorker, vip.bytesByWorker, vip.selfTestByWorker, vip.reals,
            vip.fullMaglev, vip));
        return true;
    }

    private RealState planReal(final Plan plan, final VipConfig vip, final RealSpec spec, final VipState oldVip)
    {
        final int port = vip.effectivePort(spec);
        final RealState old = oldVip == null ? null : oldVip.find(spec.address(), port);
        final boolean checked = vip.spec().health().enabled();
        if (old != null && old.weight == spec.weight() && (old.health != null) == checked)
        {
            return old;
        }
        if (old != null)
        {
            // Same real, new weight or a VIP that starts or stops checking it (a configuration
            // applied whole): it keeps its identity, counters and MAC, so its flows stay.
            final AtomicCounter[] health;
            if (checked == (old.health != null))
            {
                health = old.health;
            }
            else if (checked)
            {
                health = allocateHealth(plan, old.id, "real " + vip.key() + " " + spec.endpoint());
            }
            else
            {
                health = null;
                plan.replacedHealth.add(old.health);
            }
            final RealState changed =
                new RealState(old.id, old.address, old.port, spec.weight(), old.packetsByWorker, old.bytesByWorker, health);
            changed.copyRuntimeStateFrom(old);
            if (health != old.health)
            {
                // Checks start from "up" (as for a new real) and an unchecked real is up.
                changed.healthy = true;
                changed.streak = 0;
                if (health != null)
                {
                    health[0].setRelease(1);
                }
            }
            return changed;
        }
        final int realId = nextRealId++;
        final String label = "real " + vip.key() + " " + spec.endpoint();
        final RealState real = new RealState(
            realId,
            spec.address(),
            port,
            spec.weight(),
            allocate(plan, CounterTypes.REAL_PACKETS, realId, label + " packets"),
            allocate(plan, CounterTypes.REAL_BYTES, realId, label + " bytes"),
            vip.spec().health().enabled() ? allocateHealth(plan, realId, label) : null);
        if (real.health != null)
        {
            real.health[0].setRelease(1);
        }
        real.mac = resolver.resolveMac(spec.address());
        return real;
    }

    /** The three health counters of a real (see {@link RealState#health}), written by the conductor alone. */
    private AtomicCounter[] allocateHealth(final Plan plan, final int realId, final String label)
    {
        final AtomicCounter[] health = new AtomicCounter[3];
        plan.added.add(health);
        health[0] = WorkerCounters.allocate(counters, CounterTypes.REAL_HEALTH, -1, realId, label + " health");
        health[1] = WorkerCounters.allocate(counters, CounterTypes.REAL_HEALTH_CHANGED_MS, -1, realId, label + " health changed");
        health[2] = WorkerCounters.allocate(counters, CounterTypes.REAL_HEALTH_TRANSITIONS, -1, realId, label + " health transitions");
        return health;
    }

    private AtomicCounter[] allocate(final Plan plan, final int typeId, final int detail, final String label)
    {
        final AtomicCounter[] perWorker = CounterArrays.allocate(counters, typeId, workerCount, detail, label);
        plan.added.add(perWorker);
        return perWorker;
    }

    private int[] buildMaglev(final RealState[] reals)
    {
        final int[] weights = new int[reals.length];
        for (int i = 0; i < reals.length; i++)
        {
            weights[i] = reals[i].weight;
        }
        return MaglevTable.build(endpointKeys(reals), weights, maglevTableSize);
    }

    private static long[] endpointKeys(final RealState[] reals)
    {
        final long[] endpointKeys = new long[reals.length];
        for (int i = 0; i < reals.length; i++)
        {
            endpointKeys[i] = MaglevTable.endpointKey(reals[i].address, reals[i].port);
        }
        return endpointKeys;
    }

    /** Each real's weight, 0 for a real that is down. */
    private static int[] liveWeights(final RealState[] reals)
    {
        final int[] weights = new int[reals.length];
        for (int i = 0; i < reals.length; i++)
        {
            weights[i] = reals[i].healthy ? reals[i].weight : 0;
        }
        return weights;
    }

    /** Maglev depends on the reals' endpoints, weights and order only, not on their MACs. */
    private static boolean sameMaglevInputs(final RealState[] before, final RealState[] after)
    {
        if (!sameEndpoints(before, after))
        {
            return false;
        }
        for (int i = 0; i < before.length; i++)
        {
            if (before[i].weight != after[i].weight)
            {
                return false;
            }
        }
        return true;
    }

    /** The same reals in the same order, whatever their weights. */
    private static boolean sameEndpoints(final RealState[] before, final RealState[] after)
    {
        if (before.length != after.length)
        {
            return false;
        }
        for (int i = 0; i < before.length; i++)
        {
            if (before[i].address != after[i].address || before[i].port != after[i].port)
            {
                return false;
            }
        }
        return true;
    }
}
