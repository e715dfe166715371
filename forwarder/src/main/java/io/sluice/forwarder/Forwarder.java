package io.sluice.forwarder;

import io.sluice.forwarder.bgp.BgpConfig;
import io.sluice.forwarder.bgp.BirdSupervisor;
import io.sluice.forwarder.bgp.VipAnnouncer;
import io.sluice.forwarder.bgp.WorkerWatchdog;
import io.sluice.forwarder.cnc.ControlFile;
import io.sluice.forwarder.cnc.ControlFileDescriptor;
import io.sluice.forwarder.conductor.ConductorAgent;
import io.sluice.forwarder.conductor.ConductorContext;
import io.sluice.forwarder.conductor.ConfigFileStore;
import io.sluice.forwarder.conductor.NextHopResolver;
import io.sluice.forwarder.conductor.SelfTestGate;
import io.sluice.forwarder.conductor.VipSetListener;
import io.sluice.forwarder.config.Ipv4Prefix;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.datapath.DataPath;
import io.sluice.forwarder.datapath.WorkerFactory;
import io.sluice.forwarder.host.HostInterfaces;
import io.sluice.forwarder.host.LocalAddressWatcher;
import io.sluice.forwarder.host.NeighbourResolver;
import io.sluice.forwarder.table.ForwardingTablePublisher;
import io.sluice.linux.bpf.XdpMode;
import io.sluice.linux.netlink.RtNetlink;
import io.sluice.linux.xdp.XdpBindMode;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.CountersManager;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A running L4 forwarder in this process, after Aeron's {@code MediaDriver}: {@link #launch}
 * concludes a {@link Context}, creates the control file, opens the data path (one worker per
 * queue on AF_XDP or AF_PACKET sockets) and starts the conductor that applies configuration,
 * each agent on its own thread; {@link #close} stops them and releases everything. The
 * {@code sluice forwarder} command launches one and waits for a signal; tests and benchmarks
 * launch one embedded.
 */
public final class Forwarder implements AutoCloseable
{
    /** How long {@link #withdrawAndDrain} waits for BIRD to confirm the withdrawal. */
    public static final long WITHDRAW_TIMEOUT_MS = 2_000;

    private final Context ctx;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<AgentRunner> runners = new ArrayList<>();
    private DataPath dataPath;
    private BirdSupervisor bird;
    private String summary;
    private boolean closed;

    private Forwarder(final Context ctx)
    {
        this.ctx = ctx;
    }

    /**
     * Concludes the context and starts a forwarder with it.
     *
     * @throws IllegalArgumentException naming a bad setting, or an interface this network namespace does not have.
     * @throws io.sluice.forwarder.cnc.ControlFileException if a live forwarder owns the state directory.
     * @throws io.sluice.linux.LinuxException naming what could not be set up; whatever was opened is closed again.
     */
    public static Forwarder launch(final Context ctx)
    {
        ctx.conclude();
        final Forwarder forwarder = new Forwarder(ctx);
        try
        {
            forwarder.start();
        }
        catch (final RuntimeException ex)
        {
            forwarder.close();
            throw ex;
        }
        return forwarder;
    }

    private void start()
    {
        // First, so a missing BIRD is refused before anything is set up.
        bird = ctx.bgp == null ? null : new BirdSupervisor(ctx.bgp, ctx.stateDir, ctx.messages);
        final HostInterfaces interfaces = ctx.io == IoPath.NONE ? null : HostInterfaces.lookUp(ctx.iface, ctx.egressIface);
        final ControlFile controlFile = ControlFile.create(ctx.stateDir, ctx.maxCounters);
        resources.add(controlFile);
        final CountersManager counters =
            controlFile.countersManager(ctx.epochClock, ConductorAgent.COUNTER_FREE_TO_REUSE_TIMEOUT_MS);

        dataPath = DataPath.open(ctx, interfaces, counters);
        resources.add(dataPath);
        runners.addAll(dataPath.runners());

        final VipAnnouncer announcer = bird == null ? null : new VipAnnouncer(ctx.bgp, bird, counters);
        // What announces VIPs hears only of those whose self-test packet went through every worker.
        final SelfTestGate selfTests = new SelfTestGate(ctx.tables, ctx.queues, announcer == null ? (vips) -> { } : announcer,
            ctx.nanoClock, ctx.messages);
        final VipSetListener vipSet = dataPath.vipSet().andThen(selfTests);
        final ConductorAgent conductor = new ConductorAgent(new ConductorContext(
            controlFile.toForwarder(),
            controlFile.newReplyTransmitter(),
            counters,
            ctx.tables,
            ctx.queues,
            nextHopResolver(interfaces),
            ctx.configFile,
            ctx.epochClock,
            ctx.nanoClock,
            vipSet,
            announcer));
        final List<Agent> conductorThread = new ArrayList<>(List.of(conductor, selfTests));
        if (announcer != null)
        {
            conductorThread.add(announcer);
            if (!dataPath.runners().isEmpty())
            {
                conductorThread.add(new WorkerWatchdog(dataPath.workers().stream().map((worker) -> worker.counters().heartbeat)
                    .toList(), watchdogStallNs(), ctx.nanoClock, announcer, counters, ctx.messages));
            }
        }
        if (interfaces != null)
        {
            final LocalAddressWatcher localAddressWatcher = new LocalAddressWatcher(RtNetlink.open(), interfaces.indexes(),
                interfaces.localAddresses(), dataPath::localAddresses, ctx.epochClock);
            resources.add(localAddressWatcher);
            conductorThread.add(localAddressWatcher);
        }
        if (dataPath.housekeeping() != null)
        {
            conductorThread.add(dataPath.housekeeping());
        }
        runners.add(0, new AgentRunner(ctx.conductorIdleStrategy, ctx.errorHandler, null, new CompositeAgent(conductorThread)));
        summary = (interfaces == null ? "" : interfaces.description() + ", ") + ctx.queues + " worker(s), " +
            dataPath.description() + ", " + conductor.config().vips().size() + " VIP(s) restored, state " + ctx.stateDir +
            (bird == null ? "" :
                ", BGP as AS " + ctx.bgp.localAs() + " to " + ctx.bgp.neighbors().size() + " neighbour(s) by BIRD");

        for (final AgentRunner runner : runners)
        {
            AgentRunner.startOnThread(runner);
        }
        if (bird != null)
        {
            // Only now: the data path forwards, so whatever is announced from here on can be served.
            bird.start();
        }
    }

    /**
     * Leaves the routers' ECMP routes before stopping: withdraws every VIP, waits until BIRD
     * confirmed it, then keeps forwarding for {@code drainMs} while the routers move new packets
     * to the other forwarders. Without BGP it does nothing.
     *
     * @return a line for the operator, or null without BGP.
     */
    public String withdrawAndDrain(final long drainMs)
    {
        if (bird == null)
        {
            return null;
        }
        final boolean confirmed = bird.withdrawAll(WITHDRAW_TIMEOUT_MS);
        try
        {
            Thread.sleep(drainMs);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return (confirmed ? "withdrew every VIP" : "BIRD did not confirm the withdrawal within " + WITHDRAW_TIMEOUT_MS + " ms") +
            ", forwarded " + drainMs + " ms more";
    }

    /** A worker idle in poll() beats once per poll timeout: the stall time stays well above that. */
    private long watchdogStallNs()
    {
        return Math.max(WorkerWatchdog.DEFAULT_STALL_NS, TimeUnit.MILLISECONDS.toNanos(10L * ctx.workerPollTimeoutMs));
    }

    /** The context's resolver, else the kernel's routes and neighbours on the interface to reals. */
    private NextHopResolver nextHopResolver(final HostInterfaces interfaces)
    {
        if (ctx.nextHopResolver != null)
        {
            return ctx.nextHopResolver;
        }
        final NeighbourResolver resolver = new NeighbourResolver(RtNetlink.open(), interfaces.toReals().index());
        resources.add(resolver);
        return resolver;
    }

    public Context context()
    {
        return ctx;
    }

    /**
     * For the start-up line, e.g. {@code "eth0 (index 2, mac 02:00:00:00:00:01), 1 worker(s), AF_PACKET, 0 VIP(s)
     * restored, state /run/sluice"}.
     */
    public String summary()
    {
        return summary;
    }

    /**
     * One worker's processor and counters: for tests, diagnostics, and, with {@link IoPath#NONE},
     * for feeding its processor frames from memory (only while no agent runs it).
     */
    public WorkerFactory.Worker worker(final int index)
    {
        return dataPath.workers().get(index);
    }

    /** Stops every agent, then closes what was opened, the control file last (clients then see the forwarder has gone). */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        // BIRD first: its sessions close (a Cease to each router) while the data path still forwards.
        CloseHelper.quietClose(bird);
        CloseHelper.closeAll(runners);
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(resources.get(i));
        }
    }

    /**
     * Every setting of a forwarder. Set what differs from the defaults, then {@link Forwarder#launch}
     * calls {@link #conclude}, which checks each value (an {@link IllegalArgumentException} naming it)
     * and fills in what was left unset. A context is concluded once, and not changed afterwards.
     */
    public static final class Context
    {
        public static final int MAX_QUEUES = 64;
        public static final int MIN_FLOWS = 1 << 10;
        public static final int MAX_FLOWS = 1 << 24;
        public static final int DEFAULT_FLOWS = 1 << 20;
        /** How long an idle worker sleeps in poll(); also bounds how late it sees a new table when idle. */
        public static final int DEFAULT_WORKER_POLL_TIMEOUT_MS = 10;

        private boolean concluded;
        private String iface;
        private String egressIface;
        private IoPath io = IoPath.AUTO;
        private int queues = 1;
        private Path stateDir;
        private int flows = DEFAULT_FLOWS;
        private int[] workerCpus;
        private XdpMode xdpMode;
        private XdpBindMode xdpBindMode = XdpBindMode.AUTO;
        private Ipv4Prefix tunnelSource = Ipv4Prefix.DEFAULT_TUNNEL_SOURCE;
        private int guePort = PacketProcessor.DEFAULT_GUE_PORT;
        private int maxCounters = ControlFileDescriptor.DEFAULT_MAX_COUNTERS;
        private int workerPollTimeoutMs = DEFAULT_WORKER_POLL_TIMEOUT_MS;
        private Path configFile;
        private IdleStrategy conductorIdleStrategy;
        private ErrorHandler errorHandler;
        private Consumer<String> messages;
        private EpochClock epochClock;
        private NanoClock nanoClock;
        private NextHopResolver nextHopResolver;
        private ForwardingTablePublisher tables;
        private BgpConfig bgp;

        /**
         * Checks every setting and fills in the defaults of those left unset.
         *
         * @return this context.
         * @throws IllegalArgumentException naming the first bad setting.
         * @throws IllegalStateException if it was concluded already.
         */
        public Context conclude()
        {
            if (concluded)
            {
                throw new IllegalStateException("this forwarder context is concluded already");
            }
            require(io != null, "io must be set");
            require(stateDir != null, "stateDir must be set");
            if (io != IoPath.NONE)
            {
                require(iface != null, "iface must be set for io " + io);
            }
            require(egressIface == null || !egressIface.equals(iface), "egressIface " + egressIface + " is iface itself");
            require(io != IoPath.PACKET || (xdpMode == null && xdpBindMode == XdpBindMode.AUTO),
                "xdpMode and xdpBindMode apply to io XDP, not PACKET");
            require(xdpBindMode != null, "xdpBindMode must be set");
            require(queues >= 1 && queues <= MAX_QUEUES, "queues " + queues + " is outside 1-" + MAX_QUEUES);
            require(flows >= MIN_FLOWS && flows <= MAX_FLOWS && Integer.bitCount(flows) == 1,
                "flows " + flows + " must be a power of two from " + MIN_FLOWS + " to " + MAX_FLOWS);
            require(tunnelSource != null, "tunnelSource must be set");
            require(guePort >= 1 && guePort <= 65535, "guePort " + guePort + " is outside 1-65535");
            require(maxCounters >= 1 && (long)maxCounters * 512 <= Integer.MAX_VALUE / 2, "maxCounters " + maxCounters +
                " is out of range");
            require(workerPollTimeoutMs >= 1, "workerPollTimeoutMs " + workerPollTimeoutMs + " must be at least 1");
            concludeWorkerCpus();

            configFile = configFile == null ? stateDir.resolve(ConfigFileStore.DEFAULT_FILE_NAME) : configFile;
            conductorIdleStrategy = conductorIdleStrategy == null ? new SleepingMillisIdleStrategy(1) : conductorIdleStrategy;
            errorHandler = errorHandler == null ? (error) -> System.err.println("sluice forwarder: " + error) : errorHandler;
            messages = messages == null ? Context::printMessage : messages;
            epochClock = epochClock == null ? SystemEpochClock.INSTANCE : epochClock;
            nanoClock = nanoClock == null ? SystemNanoClock.INSTANCE : nanoClock;
            tables = tables == null ? new ForwardingTablePublisher() : tables;
            if (io == IoPath.NONE && nextHopResolver == null)
            {
                // No interface to resolve on: every real's MAC stays unknown.
                nextHopResolver = (address) -> 0L;
            }
            concluded = true;
            return this;
        }

        private void concludeWorkerCpus()
        {
            if (workerCpus == null)
            {
                workerCpus = new int[queues];
                Arrays.fill(workerCpus, -1);
                return;
            }
            require(workerCpus.length == queues, "workerCpus has " + workerCpus.length + " entries for " + queues + " queue(s)");
            final int available = Runtime.getRuntime().availableProcessors();
            for (final int cpu : workerCpus)
            {
                require(cpu >= -1 && cpu < available, "workerCpus: CPU " + cpu + " is not available to this process (it has " +
                    available + ")");
            }
        }

        private static void require(final boolean valid, final String problem)
        {
            if (!valid)
            {
                throw new IllegalArgumentException(problem);
            }
        }

        private static void printMessage(final String line)
        {
            System.out.println("sluice forwarder: " + line);
            System.out.flush();
        }

        /** The interface packets arrive on and leave by (the clients' side, with an egress interface). */
        public Context iface(final String iface)
        {
            this.iface = iface;
            return this;
        }

        public String iface()
        {
            return iface;
        }

        /** The interface packets to reals leave by (and NAT replies arrive on); null (the default) for {@link #iface} too. */
        public Context egressIface(final String egressIface)
        {
            this.egressIface = egressIface;
            return this;
        }

        public String egressIface()
        {
            return egressIface;
        }

        /** How packets are read and written; default {@link IoPath#AUTO}. */
        public Context io(final IoPath io)
        {
            this.io = io;
            return this;
        }

        public IoPath io()
        {
            return io;
        }

        /**
         * How many workers (default 1, at most {@link #MAX_QUEUES}): AF_XDP, one socket per queue
         * 0..N-1; AF_PACKET, one socket each, joined by PACKET_FANOUT.
         */
        public Context queues(final int queues)
        {
            this.queues = queues;
            return this;
        }

        public int queues()
        {
            return queues;
        }

        /** Where the control file and the persisted configuration live; required. */
        public Context stateDir(final Path stateDir)
        {
            this.stateDir = stateDir;
            return this;
        }

        public Path stateDir()
        {
            return stateDir;
        }

        /** Flow-table entries per worker, a power of two (default {@link #DEFAULT_FLOWS}). */
        public Context flows(final int flows)
        {
            this.flows = flows;
            return this;
        }

        public int flows()
        {
            return flows;
        }

        /** The CPU each worker thread is pinned to, indexed by worker, -1 for not pinned; default none pinned. */
        public Context workerCpus(final int[] workerCpus)
        {
            this.workerCpus = workerCpus;
            return this;
        }

        public int[] workerCpus()
        {
            return workerCpus;
        }

        /** Where the XDP program runs; null (the default) for native, else generic. */
        public Context xdpMode(final XdpMode xdpMode)
        {
            this.xdpMode = xdpMode;
            return this;
        }

        public XdpMode xdpMode()
        {
            return xdpMode;
        }

        /** How AF_XDP sockets share memory with the driver; default zero-copy where the driver offers it. */
        public Context xdpBindMode(final XdpBindMode xdpBindMode)
        {
            this.xdpBindMode = xdpBindMode;
            return this;
        }

        public XdpBindMode xdpBindMode()
        {
            return xdpBindMode;
        }

        /** Tunnel mode's outer source addresses (host bits from the flow's hash); default Katran's. */
        public Context tunnelSource(final Ipv4Prefix tunnelSource)
        {
            this.tunnelSource = tunnelSource;
            return this;
        }

        public Ipv4Prefix tunnelSource()
        {
            return tunnelSource;
        }

        /**
         * gue mode's UDP destination port, the reals' {@code sluice decap --gue-port}; default
         * {@link PacketProcessor#DEFAULT_GUE_PORT}.
         */
        public Context guePort(final int guePort)
        {
            this.guePort = guePort;
            return this;
        }

        public int guePort()
        {
            return guePort;
        }

        /** Room for counters in the control file; default {@link ControlFileDescriptor#DEFAULT_MAX_COUNTERS}. */
        public Context maxCounters(final int maxCounters)
        {
            this.maxCounters = maxCounters;
            return this;
        }

        public int maxCounters()
        {
            return maxCounters;
        }

        /** How long an idle worker sleeps in poll() at a time; default {@link #DEFAULT_WORKER_POLL_TIMEOUT_MS}. */
        public Context workerPollTimeoutMs(final int workerPollTimeoutMs)
        {
            this.workerPollTimeoutMs = workerPollTimeoutMs;
            return this;
        }

        public int workerPollTimeoutMs()
        {
            return workerPollTimeoutMs;
        }

        /**
         * The persisted configuration, restored at start and rewritten after every change; default
         * {@code <stateDir>/}{@link ConfigFileStore#DEFAULT_FILE_NAME}.
         */
        public Context configFile(final Path configFile)
        {
            this.configFile = configFile;
            return this;
        }

        public Path configFile()
        {
            return configFile;
        }

        /** How the conductor's thread idles; default a 1 ms sleep. */
        public Context conductorIdleStrategy(final IdleStrategy conductorIdleStrategy)
        {
            this.conductorIdleStrategy = conductorIdleStrategy;
            return this;
        }

        public IdleStrategy conductorIdleStrategy()
        {
            return conductorIdleStrategy;
        }

        /** Told what an agent throws; default one line on standard error. */
        public Context errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }

        public ErrorHandler errorHandler()
        {
            return errorHandler;
        }

        /**
         * Told the lines an operator should see while the forwarder starts (e.g. that AF_XDP
         * cannot be set up and AF_PACKET is used); default standard output, after "sluice forwarder: ".
         */
        public Context messages(final Consumer<String> messages)
        {
            this.messages = messages;
            return this;
        }

        public Consumer<String> messages()
        {
            return messages;
        }

        public Context epochClock(final EpochClock epochClock)
        {
            this.epochClock = epochClock;
            return this;
        }

        public EpochClock epochClock()
        {
            return epochClock;
        }

        public Context nanoClock(final NanoClock nanoClock)
        {
            this.nanoClock = nanoClock;
            return this;
        }

        public NanoClock nanoClock()
        {
            return nanoClock;
        }

        /**
         * Finds reals' next-hop MACs; default the kernel's routes and neighbours on the interface
         * to reals ({@link IoPath#NONE}: none are known).
         */
        public Context nextHopResolver(final NextHopResolver nextHopResolver)
        {
            this.nextHopResolver = nextHopResolver;
            return this;
        }

        public NextHopResolver nextHopResolver()
        {
            return nextHopResolver;
        }

        /** Where the conductor publishes forwarding tables for the workers; default a new one. */
        public Context tables(final ForwardingTablePublisher tables)
        {
            this.tables = tables;
            return this;
        }

        public ForwardingTablePublisher tables()
        {
            return tables;
        }

        /** Announce VIPs over BGP through BIRD with these settings; null (the default) for no BGP. */
        public Context bgp(final BgpConfig bgp)
        {
            this.bgp = bgp;
            return this;
        }

        public BgpConfig bgp()
        {
            return bgp;
        }
    }
}
