package io.sluice.forwarder.conductor;

import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.ForwardingTablePublisher;
import io.sluice.forwarder.table.VipEntry;
import io.sluice.forwarder.worker.SelfTestResult;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Lets through to what announces VIPs only the servable VIPs whose self-test packet went through
 * every worker: on the conductor's thread, it reads each VIP's self-test counters (one per
 * worker, see {@link SelfTestResult}) for the forwarding table in force and decides once every
 * worker has reported on that table: passed when each forwarded the packet to a real, failed when
 * one did not. A table that changes anything is tested again by every worker; until they have
 * reported on it (a few milliseconds; an idle worker wakes every 10) a VIP keeps its last
 * outcome, so a change elsewhere does not withdraw and announce it again. A VIP with no outcome
 * yet (new, or no worker runs) is held back. A servable VIP whose self-test fails is logged once,
 * in one line with the reason; again when it passes.
 */
public final class SelfTestGate implements Agent, VipSetListener
{
    static final long CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final int UNDECIDED = -1;

    private final ForwardingTablePublisher tables;
    private final int workerCount;
    private final VipSetListener next;
    private final NanoClock clock;
    private final Consumer<String> messages;
    /** Each VIP's last decided outcome, and the worker it failed on. */
    private final Map<VipKey, Outcome> outcomes = new HashMap<>();
    /** The failures logged, by VIP: logged again only when the reason changes, or after a pass. */
    private final Map<VipKey, Integer> logged = new HashMap<>();
    private List<VipKey> servable = List.of();
    private List<VipKey> passedAndServable;
    private long decidedVersion = -1;
    private long nextCheckNs;

    private record Outcome(int code, int worker)
    {
        boolean passed()
        {
            return code == SelfTestResult.PASSED;
        }
    }

    /**
     * @param workerCount how many workers report on each VIP.
     * @param next        told every VIP set as it comes, and the servable VIPs that passed.
     */
    public SelfTestGate(final ForwardingTablePublisher tables, final int workerCount, final VipSetListener next,
        final NanoClock clock, final Consumer<String> messages)
    {
        this.tables = tables;
        this.workerCount = workerCount;
        this.next = next;
        this.clock = clock;
        this.messages = messages;
        this.nextCheckNs = clock.nanoTime();
    }

    @Override
    public String roleName()
    {
        return "sluice-self-test-gate";
    }

    @Override
    public void onVips(final List<VipKey> vips)
    {
        next.onVips(vips);
    }

    @Override
    public void onNatReals(final List<VipKey> natReals)
    {
        next.onNatReals(natReals);
    }

    @Override
    public void onServableVips(final List<VipKey> servable)
    {
        this.servable = servable;
        servable.forEach(this::logFailure);
        tellNext();
    }

    @Override
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        if (nowNs - nextCheckNs < 0)
        {
            return 0;
        }
        nextCheckNs = nowNs + CHECK_INTERVAL_NS;
        final ForwardingTable table = tables.current();
        if (table.version() == decidedVersion)
        {
            return 0;
        }
        decide(table);
        tellNext();
        return 1;
    }

    /** Takes the outcome of every VIP all workers reported on for this table; the table is decided once every VIP is. */
    private void decide(final ForwardingTable table)
    {
        boolean allDecided = true;
        final Set<VipKey> present = new HashSet<>();
        for (final VipEntry vip : table.vips())
        {
            final VipKey key = vip.spec().key();
            present.add(key);
            final Outcome outcome = outcome(vip.selfTestByWorker(), table.version());
            if (outcome.code() == UNDECIDED)
            {
                allDecided = false;
                continue;
            }
            outcomes.put(key, outcome);
            if (outcome.passed() && logged.remove(key) != null)
            {
                messages.accept("sluice forwarder: self-test of VIP " + key + " passes on every worker again");
            }
            logFailure(key);
        }
        outcomes.keySet().retainAll(present);
        logged.keySet().retainAll(present);
        if (allDecided)
        {
            decidedVersion = table.version();
        }
    }

    /** The workers' reports on this table version: undecided until all have reported, else the first failure or a pass. */
    private Outcome outcome(final AtomicCounter[] reports, final long version)
    {
        if (reports.length < workerCount)
        {
            return new Outcome(UNDECIDED, -1);
        }
        Outcome outcome = new Outcome(SelfTestResult.PASSED, -1);
        for (int worker = 0; worker < workerCount; worker++)
        {
            final long report = reports[worker].getAcquire();
            if (SelfTestResult.tableVersion(report) != version)
            {
                return new Outcome(UNDECIDED, -1);
            }
            final int code = SelfTestResult.outcome(report);
            if (code != SelfTestResult.PASSED && outcome.passed())
            {
                outcome = new Outcome(code, worker);
            }
        }
        return outcome;
    }

    /** Logs a servable VIP's failed self-test, once per reason. */
    private void logFailure(final VipKey key)
    {
        final Outcome outcome = outcomes.get(key);
        if (outcome == null || outcome.passed() || !servable.contains(key) ||
            Integer.valueOf(outcome.code()).equals(logged.get(key)))
        {
            return;
        }
        logged.put(key, outcome.code());
        messages.accept("sluice forwarder: self-test of VIP " + key + " failed on worker " + outcome.worker() + ": " +
            SelfTestResult.describe(outcome.code()));
    }

    /** Tells the next listener the servable VIPs that passed, when they changed. */
    private void tellNext()
    {
        final List<VipKey> passed = new ArrayList<>(servable.size());
        for (final VipKey key : servable)
        {
            final Outcome outcome = outcomes.get(key);
            if (outcome != null && outcome.passed())
            {
                passed.add(key);
            }
        }
        if (!passed.equals(passedAndServable))
        {
            passedAndServable = List.copyOf(passed);
            next.onServableVips(passedAndServable);
        }
    }
}
