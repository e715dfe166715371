package io.sluice.forwarder.counters;

import io.sluice.linux.bpf.VipRedirectProgram;
import io.sluice.linux.bpf.XdpVerdict;
import io.sluice.linux.xdp.XdpSocket;
import io.sluice.linux.xdp.XdpStatistics;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.util.List;

/**
 * What the kernel counts on the AF_XDP path, copied into the control file once a second so
 * {@code sluice stats} shows it beside the workers' own counters: the XDP program's verdicts
 * (how many packets it redirected, and how many it passed to the kernel and why) and each
 * socket's drops (RX ring full: the worker is behind; fill ring empty: it has no frame to
 * give). Runs on the conductor's thread; reading them is a syscall or a map lookup per value,
 * so it stays off the workers.
 */
public final class XdpKernelCounters implements Agent, AutoCloseable
{
    public static final long INTERVAL_MS = 1000;

    private final List<VipRedirectProgram> programs;
    private final List<XdpSocket> sockets;
    private final EpochClock clock;
    private final AtomicCounter[] verdicts;
    private final AtomicCounter[][] socketCounters;
    private long nextSampleMs;

    public XdpKernelCounters(
        final CountersManager counters, final VipRedirectProgram program, final List<XdpSocket> sockets, final EpochClock clock)
    {
        this(counters, List.of(program), sockets, clock);
    }

    /** @param programs the program on each interface (two with an egress interface): their verdicts are summed. */
    public XdpKernelCounters(
        final CountersManager counters, final List<VipRedirectProgram> programs, final List<XdpSocket> sockets,
        final EpochClock clock)
    {
        this.programs = List.copyOf(programs);
        this.sockets = List.copyOf(sockets);
        this.clock = clock;
        final XdpVerdict[] all = XdpVerdict.values();
        verdicts = new AtomicCounter[all.length];
        for (final XdpVerdict verdict : all)
        {
            verdicts[verdict.index()] = WorkerCounters.allocate(
                counters, CounterTypes.XDP_VERDICTS, -1, verdict.index(), "xdp " + verdict.label());
        }
        socketCounters = new AtomicCounter[this.sockets.size()][];
        for (int i = 0; i < socketCounters.length; i++)
        {
            socketCounters[i] = new AtomicCounter[SocketStatistic.values().length];
            for (final SocketStatistic statistic : SocketStatistic.values())
            {
                socketCounters[i][statistic.ordinal()] = WorkerCounters.allocate(
                    counters, CounterTypes.XDP_SOCKET, i, statistic.ordinal(), "xsk " + statistic.label);
            }
        }
    }

    /** The socket counters shown, in the order of {@code struct xdp_statistics}. */
    enum SocketStatistic
    {
        RX_DROPPED("rx-dropped"),
        RX_INVALID("rx-invalid-descriptors"),
        TX_INVALID("tx-invalid-descriptors"),
        RX_RING_FULL("rx-ring-full"),
        FILL_RING_EMPTY("fill-ring-empty"),
        TX_RING_EMPTY("tx-ring-empty");

        final String label;

        SocketStatistic(final String label)
        {
            this.label = label;
        }
    }

    @Override
    public int doWork()
    {
        final long nowMs = clock.time();
        if (nowMs < nextSampleMs)
        {
            return 0;
        }
        nextSampleMs = nowMs + INTERVAL_MS;
        sample();
        return 1;
    }

    /** Copies every value now (also used once at close, so the last second is not lost). */
    public void sample()
    {
        for (final XdpVerdict verdict : XdpVerdict.values())
        {
            long count = 0;
            for (final VipRedirectProgram program : programs)
            {
                count += program.count(verdict);
            }
            verdicts[verdict.index()].setRelease(count);
        }
        for (int i = 0; i < socketCounters.length; i++)
        {
            final XdpStatistics statistics = sockets.get(i).statistics();
            final AtomicCounter[] row = socketCounters[i];
            row[SocketStatistic.RX_DROPPED.ordinal()].setRelease(statistics.rxDropped());
            row[SocketStatistic.RX_INVALID.ordinal()].setRelease(statistics.rxInvalidDescriptors());
            row[SocketStatistic.TX_INVALID.ordinal()].setRelease(statistics.txInvalidDescriptors());
            row[SocketStatistic.RX_RING_FULL.ordinal()].setRelease(statistics.rxRingFull());
            row[SocketStatistic.FILL_RING_EMPTY.ordinal()].setRelease(statistics.rxFillRingEmpty());
            row[SocketStatistic.TX_RING_EMPTY.ordinal()].setRelease(statistics.txRingEmpty());
        }
    }

    @Override
    public String roleName()
    {
        return "sluice-xdp-counters";
    }

    @Override
    public void close()
    {
        for (final AtomicCounter counter : verdicts)
        {
            counter.close();
        }
        for (final AtomicCounter[] row : socketCounters)
        {
            for (final AtomicCounter counter : row)
            {
                counter.close();
            }
        }
    }
}
