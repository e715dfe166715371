package io.sluice.forwarder.bgp;

import io.sluice.forwarder.conductor.BgpSettings;
import io.sluice.forwarder.conductor.VipSetListener;
import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.counters.CounterTypes;
import io.sluice.forwarder.counters.WorkerCounters;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides what the forwarder announces, on the conductor's thread: told by the conductor which
 * VIPs it has and which it can serve (through the {@link io.sluice.forwarder.conductor.SelfTestGate}:
 * only those whose self-test packet went through every worker), it wants a VIP address announced
 * while at least one VIP on it can be served (and the BGP file names it), withdrawn otherwise, and
 * hands that to the
 * {@link BirdSupervisor}. It also copies the supervisor's {@link BgpStatus} into the control
 * file's counters (allocated and freed here, the thread that allocates every counter), where
 * {@code sluice vip list} and {@code sluice stats} read them. While the {@link WorkerWatchdog}
 * finds a worker stuck it wants every address withdrawn, whatever can be served. New settings
 * ({@link #apply}, from {@code sluice apply}) are checked whole, then go to the supervisor, which
 * reconfigures BIRD without restarting it.
 */
public final class VipAnnouncer implements Agent, VipSetListener, BgpSettings
{
    private BgpConfig config;
    private final BirdSupervisor bird;
    private final CountersManager counters;
    private final Map<IpAddress, AtomicCounter> announcedByVip = new HashMap<>();
    private final Map<IpAddress, AtomicCounter> sessionByNeighbor = new HashMap<>();
    private final Map<IpAddress, AtomicCounter> establishedByNeighbor = new HashMap<>();
    private final Map<IpAddress, AtomicCounter> bfdByNeighbor = new HashMap<>();
    private final AtomicCounter birdRestarts;
    private final AtomicCounter announcements;
    private final AtomicCounter withdrawals;
    private List<VipKey> vips = List.of();
    private List<VipKey> servable = List.of();
    private boolean workersStalled;
    private boolean changed;
    private BgpStatus shown;

    public VipAnnouncer(final BgpConfig config, final BirdSupervisor bird, final CountersManager counters)
    {
        this.config = config;
        this.bird = bird;
        this.counters = counters;
        allocateNeighborCounters();
        birdRestarts = allocate(CounterTypes.BGP_SPEAKER, "bgp bird restarts");
        announcements = allocate(CounterTypes.BGP_SPEAKER, "bgp announcements");
        withdrawals = allocate(CounterTypes.BGP_SPEAKER, "bgp withdrawals");
    }

    @Override
    public String text()
    {
        return BgpSettingsText.format(config);
    }

    /** Checks the settings whole, then hands them to BIRD; what to announce is worked out again under them. */
    @Override
    public String apply(final String text)
    {
        final BgpConfig next = BgpSettingsText.parse(text, "the BGP settings sent");
        if (next.equals(config))
        {
            return "BGP settings unchanged";
        }
        config = next;
        closeNeighborCounters();
        allocateNeighborCounters();
        bird.reconfigure(next);
        changed = true;
        return "BGP settings applied: AS " + next.localAs() + ", " + next.neighbors().size() +
            (next.neighbors().size() == 1 ? " neighbour" : " neighbours") + ", BFD " + (next.bfd() == null ? "off" :
            next.bfd().intervalMs() + " ms x " + next.bfd().multiplier()) + "; BIRD reconfigured, unchanged sessions kept";
    }

    @Override
    public String roleName()
    {
        return "sluice-bgp-announcer";
    }

    @Override
    public void onVips(final List<VipKey> vips)
    {
        this.vips = vips;
        changed = true;
    }

    @Override
    public void onServableVips(final List<VipKey> servable)
    {
        this.servable = servable;
        changed = true;
    }

    /** From the {@link WorkerWatchdog}: while a worker is stuck, nothing is announced. */
    public void onWorkersStalled(final boolean stalled)
    {
        if (stalled != workersStalled)
        {
            workersStalled = stalled;
            changed = true;
        }
    }

    @Override
    public int doWork()
    {
        int work = 0;
        if (changed)
        {
            changed = false;
            final Map<IpAddress, Boolean> wanted = wanted();
            keepCountersFor(wanted.keySet());
            bird.want(wanted);
            // The new addresses' counters start at 0: show the last status in them too.
            shown = null;
            work++;
        }
        final BgpStatus status = bird.status();
        if (status != shown)
        {
            shown = status;
            show(status);
            work++;
        }
        return work;
    }

    @Override
    public void onClose()
    {
        announcedByVip.values().forEach(AtomicCounter::close);
        closeNeighborCounters();
        birdRestarts.close();
        announcements.close();
        withdrawals.close();
    }

    /**
     * Every VIP address the file lets this forwarder announce, true where one of its VIPs can be
     * served and no worker is stuck.
     */
    Map<IpAddress, Boolean> wanted()
    {
        final Map<IpAddress, Boolean> wanted = new TreeMap<>();
        for (final VipKey vip : vips)
        {
            if (config.announces(vip.address()))
            {
                wanted.put(vip.address(), false);
            }
        }
        for (final VipKey vip : workersStalled ? List.<VipKey>of() : servable)
        {
            wanted.computeIfPresent(vip.address(), (address, announce) -> true);
        }
        return wanted;
    }

    /** Keeps an "announced" counter for each of these addresses, and for no other. */
    private void keepCountersFor(final Set<IpAddress> addresses)
    {
        announcedByVip.keySet().removeIf((address) ->
        {
            final boolean gone = !addresses.contains(address);
            if (gone)
            {
                announcedByVip.get(address).close();
            }
            return gone;
        });
        for (final IpAddress address : addresses)
        {
            announcedByVip.computeIfAbsent(address,
                (key) -> allocate(CounterTypes.BGP_VIP_ANNOUNCED, "bgp vip " + key + " announced"));
        }
    }

    private void allocateNeighborCounters()
    {
        for (final BgpConfig.Neighbor neighbor : config.neighbors())
        {
            final String label = "bgp neighbor " + neighbor.address();
            sessionByNeighbor.put(neighbor.address(), allocate(CounterTypes.BGP_NEIGHBOR_STATE, label + " state"));
            establishedByNeighbor.put(neighbor.address(),
                allocate(CounterTypes.BGP_NEIGHBOR_ESTABLISHED, label + " established"));
            if (config.bfd() != null)
            {
                bfdByNeighbor.put(neighbor.address(), allocate(CounterTypes.BGP_NEIGHBOR_BFD, label + " bfd"));
            }
        }
    }

    private void closeNeighborCounters()
    {
        sessionByNeighbor.values().forEach(AtomicCounter::close);
        establishedByNeighbor.values().forEach(AtomicCounter::close);
        bfdByNeighbor.values().forEach(AtomicCounter::close);
        sessionByNeighbor.clear();
        establishedByNeighbor.clear();
        bfdByNeighbor.clear();
    }

    private void show(final BgpStatus status)
    {
        announcedByVip.forEach((address, counter) -> counter.setRelease(status.announced().contains(address) ? 1 : 0));
        sessionByNeighbor.forEach((address, counter) ->
            counter.setRelease(status.sessions().getOrDefault(address, SessionState.DOWN).code()));
        bfdByNeighbor.forEach((address, counter) ->
            counter.setRelease(status.bfd().getOrDefault(address, BfdState.NONE).code()));
        establishedByNeighbor.forEach((address, counter) -> counter.setRelease(status.established().getOrDefault(address, 0L)));
        birdRestarts.setRelease(status.birdRestarts());
        announcements.setRelease(status.announcements());
        withdrawals.setRelease(status.withdrawals());
    }

    private AtomicCounter allocate(final int typeId, final String label)
    {
        return WorkerCounters.allocate(counters, typeId, -1, 0, label);
    }
}
